using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
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
public sealed class Vox2VecPairSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
    SamplingOptions options, SkipLedger? ledger = null) : PairSourceBase(volumes, open, options, ledger)
{
    /// <summary>Placements of view A tried before the slot redraws its volume (A must contain some body).</summary>
    public const int PlacementAttempts = 32;

    /// <summary>One pair from one volume; false when no placement of view A met the body (the slot then redraws).</summary>
    protected override bool DrawPair(ShardVolumeInfo info, RandomKey key, WorkerScratch s, Span<float> viewA, Span<float> viewB,
        Span<int> posA, Span<int> posB, ref long bytes)
    {
        var rng = key.Stream();
        var reader = s.Readers.Get(info);
        var shape = info.Shape;
        var pad = PatchReader.PadValue(info.Modality);
        for (var t = 0; t < PlacementAttempts; t++)
        {
            var oA = PatchPlacement.Anywhere(ref rng, shape, Patch);
            bytes += PatchReader.Read(reader, oA, Patch, viewA, s.BodyA, pad, s.RegionImage, s.RegionBody).BytesDecoded;
            var c = BodyVoxels.Collect(s.BodyA, Patch, default, Patch, s.Candidates);
            if (c == 0) continue;
            var anchor = oA + Unindex(s.Candidates[rng.NextInt(c)]);
            var oB = PatchPlacement.Containing(ref rng, shape, Patch, anchor);
            bytes += PatchReader.Read(reader, oB, Patch, viewB, s.BodyB, pad, s.RegionImage, s.RegionBody).BytesDecoded;

            // The overlap, in view A's coordinates (and inside the volume); it holds the anchor, so it has body.
            var lo = Int3.Max(Int3.Max(oA, oB), default) - oA;
            var hi = Int3.Min(Int3.Min(oA + Patch, oB + Patch), shape) - oA;
            c = BodyVoxels.Collect(s.BodyA, Patch, lo, hi, s.Candidates);
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

}
