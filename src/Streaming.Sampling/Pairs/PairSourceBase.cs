using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Augment;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Pairs;

/// <summary>
/// The part every pair kind shares (vox2vec patch pairs now; SAL slice pairs and 2.5D planar pairs later): volume
/// slots with dataset mixing, the skip-ledger rule, keyed random streams, reader and buffer reuse per thread,
/// augmentation and batch assembly. A kind implements <see cref="DrawPair"/>: fill two views and their positions
/// from one volume.
/// </summary>
public abstract class PairSourceBase : ILedgeredPairSource, IDisposable
{
    /// <summary>Draws per slot before giving up (all drawn volumes excluded or corrupt).</summary>
    public const int MaxDrawsPerSlot = 256;
    /// <summary>Draws per slot during which a volume already in the batch is redrawn (the paper's n different volumes).</summary>
    public const int DistinctDraws = 16;
    private const int ReadersPerWorker = 32;
    private const long AugmentPart = -1, VolumePart = -2, PairPart = -3;

    private readonly IReadOnlyList<ShardVolumeInfo> _volumes;
    private readonly VolumePicker _picker;
    private readonly ThreadLocal<WorkerScratch> _scratch;
    private readonly RandomKey _root;
    protected Int3 Patch { get; }

    protected PairSourceBase(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
        SamplingOptions options, SkipLedger? ledger = null)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(open);
        options.Validate();
        if (volumes.Select(v => v.Id).Distinct(StringComparer.Ordinal).Count() != volumes.Count)
            throw new ArgumentException("sampling: volume ids must be unique");
        if ((long)options.VolumesPerBatch * options.PairsPerVolume * options.PatchShape.Volume > Array.MaxLength)
            throw new ArgumentException($"sampling: {options.VolumesPerBatch * options.PairsPerVolume} pairs of {options.PatchShape} patches do not fit one array");
        _volumes = volumes;
        Options = options;
        Ledger = ledger ?? new SkipLedger();
        _picker = new VolumePicker(volumes, options.DatasetWeights);
        Patch = options.PatchShape;
        _root = RandomKey.FromSeed(options.Seed);
        _scratch = new ThreadLocal<WorkerScratch>(() => new WorkerScratch(Patch, open, ReadersPerWorker), trackAllValues: true);
    }

    public SamplingOptions Options { get; }
    public SkipLedger Ledger { get; }
    public VolumePicker Picker => _picker;
    public int PairsPerBatch => Options.VolumesPerBatch * Options.PairsPerVolume;

    /// <summary>Checkpoint state for a run whose next step is <paramref name="nextStep"/>.</summary>
    public SamplerState State(long nextStep) => new(Options.Seed, nextStep, Ledger.Snapshot());

    /// <summary>
    /// Builds a step against this source's ledger and records what it finds. Calls in step order give the canonical
    /// stream; <see cref="Prefetch.PrefetchStream"/> keeps that order for any number of workers.
    /// </summary>
    public PairBatch Batch(long step)
    {
        var build = Build(step, id => Ledger.IsExcludedAt(id, step));
        foreach (var d in build.Discovered) Ledger.Record(d);
        return build.Batch;
    }

    public PairBuild Build(long step, Func<string, bool> isExcluded)
    {
        var s = _scratch.Value!;
        int pairs = PairsPerBatch, m = Options.PositionsPerPair, pv = (int)Patch.Volume;
        // Every voxel of every view is written by its read (padding included), so skip zeroing ~40 MB per batch.
        var viewsA = GC.AllocateUninitializedArray<float>(pairs * pv);
        var viewsB = GC.AllocateUninitializedArray<float>(pairs * pv);
        var posA = new int[pairs * m * 3];
        var posB = new int[pairs * m * 3];
        var ids = new string[pairs];
        var consulted = new Dictionary<string, bool>(StringComparer.Ordinal);
        var discovered = new List<SkippedVolume>();
        var foundBad = new HashSet<int>();
        var used = new HashSet<int>();
        var stepKey = _root.With(step);
        long bytes = 0;

        for (var slot = 0; slot < Options.VolumesPerBatch; slot++)
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt == MaxDrawsPerSlot)
                    throw new InvalidDataException($"sampling step {step}, slot {slot}: no readable volume in {MaxDrawsPerSlot} draws " +
                                                   $"({Ledger.Snapshot().Count + discovered.Count} volumes skipped as corrupt)");
                var slotKey = stepKey.With(slot).With(attempt);
                var pick = slotKey.With(VolumePart).Stream();
                var vi = _picker.Pick(ref pick);
                var info = _volumes[vi];
                if (!consulted.TryGetValue(info.Id, out var excluded)) consulted[info.Id] = excluded = isExcluded(info.Id);
                if (excluded || foundBad.Contains(vi)) continue;
                if (used.Contains(vi) && attempt < DistinctDraws && _picker.DrawableCount >= Options.VolumesPerBatch) continue;
                try
                {
                    var ok = true;
                    for (var p = 0; p < Options.PairsPerVolume && ok; p++)
                    {
                        var pair = slot * Options.PairsPerVolume + p;
                        ok = DrawPair(info, slotKey.With(PairPart).With(p), s,
                            viewsA.AsSpan(pair * pv, pv), viewsB.AsSpan(pair * pv, pv),
                            posA.AsSpan(pair * m * 3, m * 3), posB.AsSpan(pair * m * 3, m * 3), ref bytes);
                        ids[pair] = info.Id;
                    }
                    if (!ok) continue;
                }
                catch (ChunkCorruptException e)
                {
                    s.Readers.Drop(info.Id);
                    foundBad.Add(vi);
                    discovered.Add(new SkippedVolume(info.Id, step, e.Message));
                    continue;
                }
                used.Add(vi);
                break;
            }
        }

        float[]? cleanA = Options.IncludeClean ? (float[])viewsA.Clone() : null;
        float[]? cleanB = Options.IncludeClean ? (float[])viewsB.Clone() : null;
        if (Options.Augmentations.Enabled)
        {
            var augKey = stepKey.With(AugmentPart);
            for (var pair = 0; pair < pairs; pair++)
            {
                Augment(viewsA.AsSpan(pair * pv, pv), augKey.With(pair).With(0), s);
                Augment(viewsB.AsSpan(pair * pv, pv), augKey.With(pair).With(1), s);
                if (cleanA is not null)
                {
                    ViewAugmentation.ApplyClean(cleanA.AsSpan(pair * pv, pv), Options.Augmentations);
                    ViewAugmentation.ApplyClean(cleanB!.AsSpan(pair * pv, pv), Options.Augmentations);
                }
            }
        }

        var batch = new PairBatch
        {
            Step = step, Pairs = pairs, PatchShape = Patch, PositionsPerPair = m,
            ViewsA = viewsA, ViewsB = viewsB, CleanA = cleanA, CleanB = cleanB,
            PositionsA = posA, PositionsB = posB, VolumeIds = ids, BytesDecoded = bytes,
        };
        return new PairBuild(batch, consulted, discovered);
    }

    private void Augment(Span<float> view, RandomKey key, WorkerScratch s) =>
        ViewAugmentation.Apply(view, Patch, ViewAugmentation.Draw(key, Options.Augmentations, Patch), s.Augment);

    protected Int3 Unindex(int i)
    {
        var x = i % Patch.X;
        var r = i / Patch.X;
        return new Int3(x, r % Patch.Y, r / Patch.Y);
    }

    /// <summary>
    /// Draws one pair from one volume into the two views (C-order patches) and the (z, y, x) positions; adds the bytes
    /// decoded. False when this volume gave no usable pair for this key (the slot then redraws its volume).
    /// Throws <see cref="ChunkCorruptException"/> as the reader does.
    /// </summary>
    protected abstract bool DrawPair(ShardVolumeInfo info, RandomKey key, WorkerScratch s, Span<float> viewA, Span<float> viewB,
        Span<int> posA, Span<int> posB, ref long bytes);

    public void Dispose()
    {
        foreach (var s in _scratch.Values) s.Dispose();
        _scratch.Dispose();
    }
}
