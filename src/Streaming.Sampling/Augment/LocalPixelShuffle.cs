using Streaming.Imaging.Volumes;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Augment;

/// <summary>Blocks (origin, size) whose voxels are permuted; Key seeds each block's permutation.</summary>
public sealed record LocalShuffleParameters(Int3[] Origins, Int3[] Sizes, RandomKey Key)
{
    public static readonly LocalShuffleParameters None = new([], [], default);
}

/// <summary>
/// Models Genesis' local pixel shuffling: many small blocks, each with its voxels permuted. Like the reference, every
/// block reads the original view (not the partly shuffled one), so overlapping blocks do not compound.
/// </summary>
public static class LocalPixelShuffle
{
    public static LocalShuffleParameters Draw(ref KeyedRandom rng, AugmentationOptions o, Int3 shape)
    {
        if (!rng.Chance(o.LocalShuffleProbability) || o.LocalShuffleBlocks == 0) return LocalShuffleParameters.None;
        var origins = new Int3[o.LocalShuffleBlocks];
        var sizes = new Int3[o.LocalShuffleBlocks];
        for (var b = 0; b < origins.Length; b++)
        {
            var s = new Int3(
                rng.NextInclusive(1, Math.Min(o.LocalShuffleMaxBlockSize, shape.X)),
                rng.NextInclusive(1, Math.Min(o.LocalShuffleMaxBlockSize, shape.Y)),
                rng.NextInclusive(1, Math.Min(o.LocalShuffleMaxBlockSize, shape.Z)));
            sizes[b] = s;
            origins[b] = new Int3(rng.NextInt(shape.X - s.X + 1), rng.NextInt(shape.Y - s.Y + 1), rng.NextInt(shape.Z - s.Z + 1));
        }
        return new(origins, sizes, new RandomKey(rng.NextUInt64()));
    }

    public static void Apply(Span<float> view, Int3 shape, LocalShuffleParameters p, AugmentScratch s)
    {
        if (p.Origins.Length == 0) return;
        var source = s.View.AsSpan(0, view.Length);
        view.CopyTo(source);
        for (var b = 0; b < p.Origins.Length; b++)
        {
            Int3 o = p.Origins[b], z = p.Sizes[b];
            var n = (int)z.Volume;
            var block = s.Block(n);
            var k = 0;
            for (var zz = 0; zz < z.Z; zz++)
                for (var yy = 0; yy < z.Y; yy++, k += z.X)
                    source.Slice((int)shape.Index(o.X, o.Y + yy, o.Z + zz), z.X).CopyTo(block.AsSpan(k, z.X));
            var rng = p.Key.With(b).Stream();
            for (var i = n - 1; i > 0; i--)
            {
                var j = rng.NextInt(i + 1);
                (block[i], block[j]) = (block[j], block[i]);
            }
            k = 0;
            for (var zz = 0; zz < z.Z; zz++)
                for (var yy = 0; yy < z.Y; yy++, k += z.X)
                    block.AsSpan(k, z.X).CopyTo(view.Slice((int)shape.Index(o.X, o.Y + yy, o.Z + zz), z.X));
        }
    }
}
