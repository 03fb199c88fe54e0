using Streaming.Evaluation.Data;
using Streaming.Evaluation.Training;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Labeled;
using Streaming.Sampling.Random;

namespace Streaming.Evaluation.Supervised;

/// <summary>
/// Batches of labeled training volumes for the supervised protocols, in epochs as the paper trains: item j = step ×
/// batch + b is case perm_e[j mod n] of epoch e = j / n, each epoch a seeded permutation. Whole volumes (all of one
/// shape, e.g. the spec's targetShape 128x128x64) or patches placed by <see cref="PatchSampler"/> (foreground-biased,
/// zero-padded past the volume). Batch k is a pure function of (seed, k), so a resumed run sees the same batches.
/// Inputs are used as given (already input-scaled); no augmentation, as in the paper.
/// </summary>
public sealed class LabeledCaseSource : IBatchSource<LabeledBatch>
{
    private readonly IReadOnlyList<LabeledCase> cases;
    private readonly int batchSize;
    private readonly Int3 item;
    private readonly bool whole;
    private readonly int multiple;
    private readonly PatchSampler[] samplers;
    private readonly RandomKey key;

    public LabeledCaseSource(IReadOnlyList<LabeledCase> cases, int batchSize, Int3? patch, int multiple, double foregroundFraction, long seed)
    {
        if (cases.Count == 0) throw new ArgumentException("no training cases");
        if (batchSize < 1) throw new ArgumentException("batch size must be >= 1");
        this.cases = cases; this.batchSize = batchSize; this.multiple = multiple;
        key = RandomKey.FromSeed(seed);
        whole = patch is null;
        if (whole)
        {
            item = cases[0].Shape;
            var other = cases.FirstOrDefault(c => c.Shape != item);
            if (other is not null)
                throw new ArgumentException($"whole-volume training needs one shape, but {cases[0].Id} is {item} and {other.Id} is {other.Shape}: " +
                                            "set the spec's targetShape or train on patches (supervised.patch)");
            if (item.X % multiple != 0 || item.Y % multiple != 0 || item.Z % multiple != 0)
                throw new ArgumentException($"whole volumes of {item} are not multiples of {multiple} (the U-Net's coarsest stride): change targetShape or use patches");
            samplers = [];
        }
        else
        {
            item = patch!.Value;
            samplers = cases.Select(c => new PatchSampler(c.Labels.Data, c.Shape, Padded(c.Shape, item), foregroundFraction)).ToArray();
        }
    }

    public Int3 ItemShape => item;

    public LabeledBatch Batch(long step)
    {
        var n = cases.Count;
        var images = new float[item.Volume * batchSize];
        var labels = new byte[item.Volume * batchSize];
        var ids = new string[batchSize];
        for (var b = 0; b < batchSize; b++)
        {
            var j = step * batchSize + b;
            var ci = Permutation(j / n)[(int)(j % n)];
            var c = cases[ci];
            ids[b] = c.Id;
            var origin = new Int3(0, 0, 0);
            if (!whole)
            {
                var rng = key.With(step).With(b).Stream();
                origin = samplers[ci].Next(new Random((int)(rng.NextUInt64() & int.MaxValue)), item, new Int3(multiple, multiple, multiple));
            }
            Copy(c.Input.Data, c.Shape, origin, images.AsSpan((int)(b * item.Volume), (int)item.Volume));
            Copy(c.Labels.Data, c.Shape, origin, labels.AsSpan((int)(b * item.Volume), (int)item.Volume));
        }
        return new LabeledBatch { Step = step, Items = batchSize, PatchShape = item, Images = images, Labels = labels, VolumeIds = ids };
    }

    /// <summary>Case order of epoch <paramref name="epoch"/>: a Fisher–Yates shuffle keyed by (seed, epoch).</summary>
    private int[] Permutation(long epoch)
    {
        var p = Enumerable.Range(0, cases.Count).ToArray();
        var rng = key.With(-1 - epoch).Stream();
        for (var i = p.Length - 1; i > 0; i--)
        {
            var k = rng.NextInt(i + 1);
            (p[i], p[k]) = (p[k], p[i]);
        }
        return p;
    }

    private Int3 Padded(Int3 s, Int3 patch) =>
        Int3.Max(new Int3(RoundUp(s.X), RoundUp(s.Y), RoundUp(s.Z)), patch);

    private int RoundUp(int v) => (v + multiple - 1) / multiple * multiple;

    /// <summary>Copies the box at <paramref name="o"/> of the item's extent; voxels past the volume stay 0.</summary>
    private void Copy<T>(T[] src, Int3 s, Int3 o, Span<T> dst) where T : unmanaged
    {
        for (var z = 0; z < item.Z; z++)
        {
            var sz = o.Z + z;
            if (sz >= s.Z) break;
            for (var y = 0; y < item.Y; y++)
            {
                var sy = o.Y + y;
                if (sy >= s.Y) break;
                var len = Math.Min(item.X, s.X - o.X);
                if (len <= 0) continue;
                src.AsSpan((int)s.Index(o.X, sy, sz), len).CopyTo(dst.Slice((int)item.Index(0, y, z), len));
            }
        }
    }
}
