namespace Streaming.Sampling.Sources;

/// <summary>
/// What the source core needs from a batch kind's options: the seed of its keys, how many volume slots a batch has
/// (each slot gets its own volume; vox2vec's n, SAL's 2 subjects), and dataset mixing weights (dataset name → weight;
/// empty = proportional to volume count).
/// </summary>
public sealed record SlotOptions(long Seed, int Slots, IReadOnlyDictionary<string, double> DatasetWeights)
{
    public void Validate()
    {
        if (Slots < 1) throw new ArgumentException("sampling: a batch needs at least one volume slot (volumesPerBatch >= 1)");
        foreach (var (k, w) in DatasetWeights)
            if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentException($"sampling.datasetWeights[{k}] must be a finite weight >= 0");
    }
}
