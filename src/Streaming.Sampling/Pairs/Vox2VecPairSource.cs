using Streaming.Ingest.Shards;
using Streaming.Ingest.Volumes;
using Streaming.Sampling.Augment;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Pairs;

/// <summary>
/// vox2vec's pair sampler (section 3.1). Per volume slot: pick a volume (dataset mixing), place view A uniformly, draw
/// the anchor uniformly among A's body voxels, place view B uniformly among the patches that contain the anchor, and
/// draw m positions among the body voxels of the overlap (without replacement when there are at least m, else with).
/// Only the chunks the two views touch are read. Every random choice comes from a key derived from
/// (seed, step, slot, attempt, purpose), so a batch is a pure function of (seed, step, cache contents, skip ledger).
/// Thread-safe: each thread gets its own readers and buffers.
/// </summary>
public sealed class Vox2VecPairSource : ILedgeredPairSource, IDisposable
{
    /// <summary>Draws per slot before giving up (all drawn volumes excluded or corrupt).</summary>
    public const int MaxDrawsPerSlot = 256;
    /// <summary>Draws per slot during which a volume already in the batch is redrawn (the paper's n different volumes).</summary>
    public const int DistinctDraws = 16;
    /// <summary>Placements of view A tried before the slot redraws its volume (A must contain some body).</summary>
    public const int PlacementAttempts = 32;
    private const int ReadersPerWorker = 32;
    private const long AugmentPart = -1, VolumePart = -2, PairPart = -3;

    private readonly IReadOnlyList<ShardVolumeInfo> _volumes;
    private readonly VolumePicker _picker;
    private readonly ThreadLocal<WorkerScratch> _scratch;
    private readonly RandomKey _root;
    private readonly Int3 _patch;

    public Vox2VecPairSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
        SamplingOptions options, SkipLedger? ledger = null)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(open);
        options.Validate();
        if (volumes.Select(v => v.Id).Distinct(StringComparer.Ordinal).Count() != volumes.Count)
            throw new ArgumentException("sampling: volume ids must be unique");
        _volumes = volumes;
        Options = options;
        Ledger = ledger ?? new SkipLedger();
        _picker = new VolumePicker(volumes, options.DatasetWeights);
        _patch = options.PatchShape;
        _root = RandomKey.FromSeed(options.Seed);
        _scratch = new ThreadLocal<WorkerScratch>(() => new WorkerScratch(_patch, open, ReadersPerWorker), trackAllValues: true);
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
        int pairs = PairsPerBatch, m = Options.PositionsPerPair, pv = (int)_patch.Volume;
        var viewsA = new float[(long)pairs * pv];
        var viewsB = new float[(long)pairs * pv];
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
            Step = step, Pairs = pairs, PatchShape = _patch, PositionsPerPair = m,
            ViewsA = viewsA, ViewsB = viewsB, CleanA = cleanA, CleanB = cleanB,
            PositionsA = posA, PositionsB = posB, VolumeIds = ids, BytesDecoded = bytes,
        };
        return new PairBuild(batch, consulted, discovered);
    }

    private void Augment(Span<float> view, RandomKey key, WorkerScratch s) =>
        ViewAugmentation.Apply(view, _patch, ViewAugmentation.Draw(key, Options.Augmentations, _patch), s.Augment);

    /// <summary>One pair from one volume; false when no placement of view A met the body (the slot then redraws).</summary>
    private bool DrawPair(ShardVolumeInfo info, RandomKey key, WorkerScratch s, Span<float> viewA, Span<float> viewB,
        Span<int> posA, Span<int> posB, ref long bytes)
    {
        var rng = key.Stream();
        var reader = s.Readers.Get(info);
        var shape = info.Shape;
        var pad = PatchReader.PadValue(info.Modality);
        for (var t = 0; t < PlacementAttempts; t++)
        {
            var oA = PatchPlacement.Anywhere(ref rng, shape, _patch);
            bytes += PatchReader.Read(reader, oA, _patch, viewA, s.BodyA, pad, s.RegionImage, s.RegionBody).BytesDecoded;
            var c = BodyVoxels.Collect(s.BodyA, _patch, default, _patch, s.Candidates);
            if (c == 0) continue;
            var anchor = oA + Unindex(s.Candidates[rng.NextInt(c)]);
            var oB = PatchPlacement.Containing(ref rng, shape, _patch, anchor);
            bytes += PatchReader.Read(reader, oB, _patch, viewB, s.BodyB, pad, s.RegionImage, s.RegionBody).BytesDecoded;

            // The overlap, in view A's coordinates (and inside the volume); it holds the anchor, so it has body.
            var lo = Int3.Max(Int3.Max(oA, oB), default) - oA;
            var hi = Int3.Min(Int3.Min(oA + _patch, oB + _patch), shape) - oA;
            c = BodyVoxels.Collect(s.BodyA, _patch, lo, hi, s.Candidates);
            WritePositions(ref rng, s.Candidates.AsSpan(0, c), oA, oB, posA, posB);
            return true;
        }
        return false;
    }

    private void WritePositions(ref KeyedRandom rng, Span<int> candidates, Int3 oA, Int3 oB, Span<int> posA, Span<int> posB)
    {
        var m = posA.Length / 3;
        var c = candidates.Length;
        for (var i = 0; i < m; i++)
        {
            int local;
            if (c >= m)
            {
                // Partial Fisher-Yates: m distinct voxels.
                var j = i + rng.NextInt(c - i);
                (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
                local = candidates[i];
            }
            else local = candidates[rng.NextInt(c)];
            var a = Unindex(local);
            var b = oA + a - oB;
            posA[3 * i] = a.Z; posA[3 * i + 1] = a.Y; posA[3 * i + 2] = a.X;
            posB[3 * i] = b.Z; posB[3 * i + 1] = b.Y; posB[3 * i + 2] = b.X;
        }
    }

    private Int3 Unindex(int i)
    {
        var x = i % _patch.X;
        var r = i / _patch.X;
        return new Int3(x, r % _patch.Y, r / _patch.Y);
    }

    public void Dispose()
    {
        foreach (var s in _scratch.Values) s.Dispose();
        _scratch.Dispose();
    }
}
