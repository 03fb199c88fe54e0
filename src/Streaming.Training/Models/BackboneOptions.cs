namespace Streaming.Training.Models;

/// <summary>Normalisation inside residual blocks. BatchNorm follows vox2vec; GroupNorm suits very small batches.</summary>
public enum NormKind { Batch, Group }

/// <summary>Shape of a multi-level dense backbone: level l has BaseChannels * 2^l channels and stride 2^l.</summary>
public sealed record BackboneOptions
{
    public int InChannels { get; init; } = 1;
    public int BaseChannels { get; init; } = 16;
    public int Levels { get; init; } = 6;
    public int BlocksPerLevel { get; init; } = 2;
    public NormKind Norm { get; init; } = NormKind.Batch;

    public int[] LevelChannels() => Enumerable.Range(0, Levels).Select(l => BaseChannels << l).ToArray();

    public void Validate()
    {
        if (InChannels < 1) throw new ArgumentException("model.inChannels must be >= 1");
        if (BaseChannels < 1) throw new ArgumentException("model.baseChannels must be >= 1");
        if (Levels is < 1 or > 8) throw new ArgumentException("model.levels must be in 1..8");
        if (BlocksPerLevel < 1) throw new ArgumentException("model.blocksPerLevel must be >= 1");
    }
}
