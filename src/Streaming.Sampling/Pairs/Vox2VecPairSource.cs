using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Augment;
using Streaming.Sampling.Random;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling.Pairs;

/// <summary>
/// vox2vec's pair sampler (section 3.1). Per volume slot (<see cref="SourceCore{TScratch}"/>: dataset mixing, skip
/// ledger, keys): place view A uniformly, draw the anchor uniformly among A's body voxels, place view B uniformly among
/// the patches that contain the anchor, and draw m positions among the body voxels of the overlap (without
/// replacement when there are at least m, else with). Only the chunks the two views touch are read. Every random
/// choice comes from a key derived from (seed, step, slot, attempt, purpose), so a batch is a pure function of
/// (seed, step, cache contents, skip ledger). Thread-safe: each thread gets its own readers and buffers.
/// </summary>
public sealed class Vox2VecPairSource : ILedgeredSource<PairBatch>, IDisposable
{
    /// <summary>Placements of view A tried before the slot redraws its volume (A must contain some body).</summary>
    public const int PlacementAttempts = 32;

    private readonly SourceCore<PairScratch> _core;
    private readonly Int3 _patch;

    public Vox2VecPairSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
        SamplingOptions options, SkipLedger? ledger = null)
    {
        options.Validate();
        if ((long)options.VolumesPerBatch * options.PairsPerVolume * options.PatchShape.Volume > Array.MaxLength)
            throw new ArgumentException($"sampling: {options.VolumesPerBatch * options.PairsPerVolume} pairs of {options.PatchShape} patches do not fit one array");
        Options = options;
        _patch = options.PatchShape;
        _core = new SourceCore<PairScratch>(volumes, open, options.Slots, () => new PairScratch(_patch), ledger);
    }

    public SamplingOptions Options { get; }
    public SkipLedger Ledger => _core.Ledger;
    public VolumePicker Picker => _core.Picker;
    public int PairsPerBatch => Options.VolumesPerBatch * Options.PairsPerVolume;

    public PairBatch Batch(long step) => this.BuildInOrder(step);

    public BatchBuild<PairBatch> Build(long step, Func<string, bool> isExcluded)
    {
        int pairs = PairsPerBatch, m = Options.PositionsPerPair, pv = (int)_patch.Volume, perSlot = Options.PairsPerVolume;
        // Every voxel of every view is written by its read (padding included), so skip zeroing ~40 MB per batch.
        var viewsA = GC.AllocateUninitializedArray<float>(pairs * pv);
        var viewsB = GC.AllocateUninitializedArray<float>(pairs * pv);
        var posA = new int[pairs * m * 3];
        var posB = new int[pairs * m * 3];

        var slots = _core.DrawSlots(step, isExcluded, d =>
        {
            for (var p = 0; p < perSlot; p++)
            {
                var pair = d.Slot * perSlot + p;
                if (!DrawPair(d, d.Key.With(KeyPurpose.Pair).With(p), viewsA.AsSpan(pair * pv, pv), viewsB.AsSpan(pair * pv, pv),
                        posA.AsSpan(pair * m * 3, m * 3), posB.AsSpan(pair * m * 3, m * 3)))
                    return false;
            }
            return true;
        });
        var ids = new string[pairs];
        for (var pair = 0; pair < pairs; pair++) ids[pair] = slots.Volumes[pair / perSlot].Id;

        float[]? cleanA = Options.IncludeClean ? (float[])viewsA.Clone() : null;
        float[]? cleanB = Options.IncludeClean ? (float[])viewsB.Clone() : null;
        if (Options.Augmentations.Enabled)
        {
            var augKey = _core.AugmentKey(step);
            var s = _core.Scratch;
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

        return slots.Build(new PairBatch
        {
            Step = step, Pairs = pairs, PatchShape = _patch, PositionsPerPair = m,
            ViewsA = viewsA, ViewsB = viewsB, CleanA = cleanA, CleanB = cleanB,
            PositionsA = posA, PositionsB = posB, VolumeIds = ids, BytesDecoded = slots.BytesDecoded,
        });
    }

    private void Augment(Span<float> view, RandomKey key, PairScratch s) =>
        ViewAugmentation.Apply(view, _patch, ViewAugmentation.Draw(key, Options.Augmentations, _patch), s.Augment);

    /// <summary>One pair from the slot's volume; false when no placement of view A met the body (the slot then redraws).</summary>
    private bool DrawPair(SlotDraw<PairScratch> d, RandomKey key, Span<float> viewA, Span<float> viewB, Span<int> posA, Span<int> posB)
    {
        var s = d.Scratch;
        var rng = key.Stream();
        var shape = d.Volume.Shape;
        for (var t = 0; t < PlacementAttempts; t++)
        {
            var oA = PatchPlacement.Anywhere(ref rng, shape, _patch);
            d.Read(oA, _patch, viewA, s.BodyA, s.RegionImage, s.RegionBody);
            var c = BodyVoxels.Collect(s.BodyA, _patch, default, _patch, s.Candidates);
            if (c == 0) continue;
            var anchor = oA + Unindex(s.Candidates[rng.NextInt(c)]);
            var oB = PatchPlacement.Containing(ref rng, shape, _patch, anchor);
            d.Read(oB, _patch, viewB, s.BodyB, s.RegionImage, s.RegionBody);

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

    public void Dispose() => _core.Dispose();
}
