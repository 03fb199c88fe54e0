using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Training;

/// <summary>
/// Training patch placement on one labeled volume: half the time centred on a foreground voxel (of a foreground class
/// drawn uniformly among those present, so small organs are seen as often as the liver), otherwise anywhere. Origins
/// are multiples of the extractor's alignment (per axis) so cached feature levels can be cropped exactly.
/// </summary>
public sealed class PatchSampler
{
    private readonly int[][] byClass;
    private readonly Int3 shape;
    private readonly Int3 padded;

    public PatchSampler(ReadOnlySpan<byte> labels, Int3 shape, Int3 paddedShape, double foregroundFraction = 0.5)
    {
        if (labels.Length != shape.Volume) throw new ArgumentException($"labels have {labels.Length} voxels, shape {shape} needs {shape.Volume}");
        if (!(foregroundFraction is >= 0 and <= 1)) throw new ArgumentException("foreground fraction must be in [0, 1]");
        this.shape = shape; padded = paddedShape; ForegroundFraction = foregroundFraction;
        var lists = new List<int>[256];
        for (var i = 0; i < labels.Length; i++)
            if (labels[i] != 0) (lists[labels[i]] ??= []).Add(i);
        byClass = lists.Where(l => l is not null).Select(l => l.ToArray()).ToArray();
    }

    public double ForegroundFraction { get; }
    public int ForegroundClasses => byClass.Length;

    /// <summary>Origin of a patch of <paramref name="size"/> (each axis a multiple of its stride and at most the padded shape).</summary>
    public Int3 Next(Random rng, Int3 size, Int3 stride)
    {
        if (size.X > padded.X || size.Y > padded.Y || size.Z > padded.Z)
            throw new ArgumentException($"patch {size} is larger than the padded volume {padded}");
        if (byClass.Length > 0 && rng.NextDouble() < ForegroundFraction)
        {
            var voxels = byClass[rng.Next(byClass.Length)];
            var v = voxels[rng.Next(voxels.Length)];
            int x = v % shape.X, y = v / shape.X % shape.Y, z = v / (shape.X * shape.Y);
            return new Int3(Place(x, size.X, padded.X, stride.X), Place(y, size.Y, padded.Y, stride.Y), Place(z, size.Z, padded.Z, stride.Z));
        }
        return new Int3(Uniform(rng, size.X, padded.X, stride.X), Uniform(rng, size.Y, padded.Y, stride.Y), Uniform(rng, size.Z, padded.Z, stride.Z));
    }

    /// <summary>The stride-aligned origin nearest to centring voxel <paramref name="v"/> that still contains it.</summary>
    private static int Place(int v, int size, int n, int stride)
    {
        var lo = FloorDiv(v - size + 1 + stride - 1, stride) * stride; // smallest aligned origin with v < origin + size
        var hi = FloorDiv(v, stride) * stride;                         // largest aligned origin with origin <= v
        var centred = (int)Math.Round((v - size / 2.0) / stride, MidpointRounding.AwayFromZero) * stride;
        return Math.Clamp(Math.Clamp(centred, lo, hi), 0, (n - size) / stride * stride);
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);

    private static int Uniform(Random rng, int size, int n, int stride) => rng.Next((n - size) / stride + 1) * stride;
}
