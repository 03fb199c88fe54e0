using Streaming.Shards.Format;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Sources;

/// <summary>
/// The engine every cache-reading batch kind composes (as Dataflow's blocks compose SourceCore/TargetCore): volume
/// slots with dataset mixing, the skip-ledger rule, keyed random streams (seed, step, slot, attempt) and per-worker
/// reader and buffer reuse. A kind owns its options, its batch type and its per-worker scratch; it calls
/// <see cref="DrawSlots"/> with a function that fills one slot's items from the drawn volume, then assembles and
/// augments the batch (keys from <see cref="AugmentKey"/>). See SAMPLING.md for the rules.
/// </summary>
/// <remarks>
/// Thread-safe: <see cref="DrawSlots"/> may run on several threads at once; each thread gets its own readers
/// (IShardVolume is not thread-safe) and its own <typeparamref name="TScratch"/>, made by the factory on first use.
/// </remarks>
public sealed class SourceCore<TScratch> : IDisposable where TScratch : class
{
    /// <summary>Draws per slot before giving up (all drawn volumes excluded or corrupt).</summary>
    public const int MaxDrawsPerSlot = 256;
    /// <summary>Draws per slot during which a volume already in the batch is redrawn (the paper's n different volumes).</summary>
    public const int DistinctDraws = 16;
    private const int ReadersPerWorker = 32;

    private readonly IReadOnlyList<ShardVolumeInfo> _volumes;
    private readonly RandomKey _root;
    private readonly ThreadLocal<Worker> _workers;

    public SourceCore(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open, SlotOptions options,
        Func<TScratch> scratch, SkipLedger? ledger = null)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(scratch);
        options.Validate();
        if (volumes.Select(v => v.Id).Distinct(StringComparer.Ordinal).Count() != volumes.Count)
            throw new ArgumentException("sampling: volume ids must be unique");
        _volumes = volumes;
        Options = options;
        Ledger = ledger ?? new SkipLedger();
        Picker = new VolumePicker(volumes, options.DatasetWeights);
        _root = RandomKey.FromSeed(options.Seed);
        _workers = new ThreadLocal<Worker>(() => new Worker(new ReaderCache(open, ReadersPerWorker), scratch()), trackAllValues: true);
    }

    public SlotOptions Options { get; }
    public SkipLedger Ledger { get; }
    public VolumePicker Picker { get; }
    public IReadOnlyList<ShardVolumeInfo> Volumes => _volumes;

    /// <summary>This thread's scratch (for the kind's work after the slots: assembly, augmentation).</summary>
    public TScratch Scratch => _workers.Value!.Scratch;

    /// <summary>(seed, step): the root of every key of the step.</summary>
    public RandomKey StepKey(long step) => _root.With(step);

    /// <summary>(seed, step, <see cref="KeyPurpose.Augment"/>): then .With(item).With(view) per augmented view.</summary>
    public RandomKey AugmentKey(long step) => StepKey(step).With(KeyPurpose.Augment);

    /// <summary>
    /// For each slot: key (seed, step, slot, attempt), pick a volume (dataset by weight, then uniformly), and unless it
    /// is excluded by <paramref name="isExcluded"/>, found corrupt earlier in this step or (for the first
    /// <see cref="DistinctDraws"/> attempts, when there are enough volumes) already used by this batch, hand it to
    /// <paramref name="fill"/>. <paramref name="fill"/> returns false when the volume gave nothing usable for this key
    /// (the slot redraws with attempt + 1); a <see cref="ChunkCorruptException"/> records the volume as discovered
    /// corrupt at this step and redraws too.
    /// </summary>
    public SlotResult DrawSlots(long step, Func<string, bool> isExcluded, Func<SlotDraw<TScratch>, bool> fill)
    {
        var w = _workers.Value!;
        var consulted = new Dictionary<string, bool>(StringComparer.Ordinal);
        var discovered = new List<SkippedVolume>();
        var foundBad = new HashSet<int>();
        var used = new HashSet<int>();
        var drawn = new ShardVolumeInfo[Options.Slots];
        var stepKey = StepKey(step);
        long bytes = 0;

        for (var slot = 0; slot < Options.Slots; slot++)
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt == MaxDrawsPerSlot)
                    throw new InvalidDataException($"sampling step {step}, slot {slot}: no readable volume in {MaxDrawsPerSlot} draws " +
                                                   $"({Ledger.Snapshot().Count + discovered.Count} volumes skipped as corrupt)");
                var slotKey = stepKey.With(slot).With(attempt);
                var pick = slotKey.With(KeyPurpose.Volume).Stream();
                var vi = Picker.Pick(ref pick);
                var info = _volumes[vi];
                if (!consulted.TryGetValue(info.Id, out var excluded)) consulted[info.Id] = excluded = isExcluded(info.Id);
                if (excluded || foundBad.Contains(vi)) continue;
                if (used.Contains(vi) && attempt < DistinctDraws && Picker.DrawableCount >= Options.Slots) continue;
                var draw = new SlotDraw<TScratch>(step, slot, attempt, info, slotKey, w.Readers, w.Scratch);
                bool ok;
                try { ok = fill(draw); }
                catch (ChunkCorruptException e)
                {
                    w.Readers.Drop(info.Id);
                    foundBad.Add(vi);
                    discovered.Add(new SkippedVolume(info.Id, step, e.Message));
                    continue;
                }
                finally { bytes += draw.BytesDecoded; }
                if (!ok) continue;
                used.Add(vi);
                drawn[slot] = info;
                break;
            }
        }
        return new SlotResult(drawn, consulted, discovered, bytes);
    }

    public void Dispose()
    {
        foreach (var w in _workers.Values)
        {
            w.Readers.Dispose();
            (w.Scratch as IDisposable)?.Dispose();
        }
        _workers.Dispose();
    }

    private sealed record Worker(ReaderCache Readers, TScratch Scratch);
}
