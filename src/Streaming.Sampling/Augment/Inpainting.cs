using Streaming.Imaging.Volumes;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Augment;

/// <summary>Boxes filled with uniform [0, 1) noise from a hash keyed by Key.</summary>
public sealed record InpaintParameters(Int3[] Origins, Int3[] Sizes, uint Key)
{
    public static readonly InpaintParameters None = new([], [], 0);
}

/// <summary>
/// Models Genesis' in-painting: up to MaxBoxes boxes (another box follows with probability 0.95, as in the reference),
/// each side a uniform fraction of the view in [MinFraction, MaxFraction], filled with uniform noise. Runs on [0, 1]
/// values after windowing.
/// </summary>
public static class Inpainting
{
    public static InpaintParameters Draw(ref KeyedRandom rng, AugmentationOptions o, Int3 shape)
    {
        if (!rng.Chance(o.InpaintProbability)) return InpaintParameters.None;
        var origins = new List<Int3>();
        var sizes = new List<Int3>();
        while (origins.Count < o.InpaintMaxBoxes && rng.Chance(0.95))
        {
            var s = new Int3(Side(ref rng, o, shape.X), Side(ref rng, o, shape.Y), Side(ref rng, o, shape.Z));
            sizes.Add(s);
            origins.Add(new Int3(rng.NextInt(shape.X - s.X + 1), rng.NextInt(shape.Y - s.Y + 1), rng.NextInt(shape.Z - s.Z + 1)));
        }
        return new([.. origins], [.. sizes], (uint)rng.NextUInt64());
    }

    private static int Side(ref KeyedRandom rng, AugmentationOptions o, int n) =>
        Math.Clamp((int)Math.Round(rng.Uniform(o.InpaintMinFraction, o.InpaintMaxFraction) * n), 1, n);

    public static void Apply(Span<float> view, Int3 shape, InpaintParameters p)
    {
        for (var b = 0; b < p.Origins.Length; b++)
        {
            Int3 o = p.Origins[b], s = p.Sizes[b];
            var key = p.Key + (uint)b * 0x632BE5ABu;
            for (var z = 0; z < s.Z; z++)
                for (var y = 0; y < s.Y; y++)
                {
                    var start = (int)shape.Index(o.X, o.Y + y, o.Z + z);
                    var row = view.Slice(start, s.X);
                    for (var x = 0; x < row.Length; x++) row[x] = VoxelHash.Unit(VoxelHash.Hash(key, (uint)(start + x)));
                }
        }
    }
}
