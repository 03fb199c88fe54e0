using System.Numerics;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Augment;

/// <summary>Additive Gaussian noise (HU); Std 0 means off. Key seeds the per-voxel hash.</summary>
public sealed record GaussianNoiseParameters(double Std, uint Key)
{
    public static readonly GaussianNoiseParameters None = new(0, 0);
}

/// <summary>
/// vox2vec's noise: std ~ U(0, NoiseStdMax) with probability P. Per-voxel normals come from a keyed hash of the voxel
/// index through a vectorised Box-Muller (cosine branch only, so each voxel's value depends on its index alone).
/// </summary>
public static class GaussianNoise
{
    public static GaussianNoiseParameters Draw(ref KeyedRandom rng, AugmentationOptions o)
    {
        if (!rng.Chance(o.NoiseProbability)) return GaussianNoiseParameters.None;
        var std = rng.Uniform(0, o.NoiseStdMax);
        return new(std, (uint)rng.NextUInt64());
    }

    public static void Apply(Span<float> view, GaussianNoiseParameters p)
    {
        if (p.Std == 0) return;
        var vc = Vector<float>.Count;
        var key1 = new Vector<uint>(p.Key);
        var key2 = new Vector<uint>(p.Key ^ 0xA5A5A5A5u);
        var lanes = VoxelHash.Lanes();
        var std = new Vector<float>((float)p.Std);
        var scale = new Vector<float>(1.0f / (1 << 24));
        var twoPi = new Vector<float>(2 * MathF.PI);
        var minus2 = new Vector<float>(-2f);
        Span<float> tail = stackalloc float[vc];
        for (var i = 0; i < view.Length; i += vc)
        {
            var idx = new Vector<uint>((uint)i) + lanes;
            // u1 in (0, 1] keeps the logarithm finite; u2 in [0, 1).
            var u1 = Vector.ConvertToSingle(Vector.ShiftRightLogical(VoxelHash.Hash(key1, idx), 8) + Vector<uint>.One) * scale;
            var u2 = Vector.ConvertToSingle(Vector.ShiftRightLogical(VoxelHash.Hash(key2, idx), 8)) * scale;
            var z = Vector.SquareRoot(minus2 * Vector.Log(u1)) * Vector.Cos(twoPi * u2);
            if (i + vc <= view.Length)
            {
                var d = view.Slice(i, vc);
                Vector.FusedMultiplyAdd(z, std, new Vector<float>(d)).CopyTo(d);
            }
            else
            {
                // The tail goes through the same vector code (a padded copy) so scalar and vector ulps never mix.
                tail.Clear();
                view[i..].CopyTo(tail);
                Vector.FusedMultiplyAdd(z, std, new Vector<float>(tail)).CopyTo(tail);
                tail[..(view.Length - i)].CopyTo(view[i..]);
            }
        }
    }
}
