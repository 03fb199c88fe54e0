namespace Streaming.Sampling.Context;

/// <summary>
/// Normalised coordinates of a volume: on an axis of n voxels, -1 is the centre of voxel 0 and +1 the centre of voxel
/// n - 1 ("3-D context feature learning" normalises every axis of the common crop to [-1, 1]). Points outside are
/// clamped to the border voxel (replicate padding, grid_sample's padding_mode = border), the same at training and
/// extraction time, so no modality-dependent pad value is needed.
/// </summary>
public static class NormalizedFrame
{
    /// <summary>Continuous voxel coordinate of normalised p on an axis of n voxels, clamped to [0, n - 1].</summary>
    public static double ToVoxel(double p, int n) => n == 1 ? 0 : Math.Clamp((p + 1) * 0.5 * (n - 1), 0, n - 1);

    public static double ToNormalized(double voxel, int n) => n == 1 ? 0 : voxel / (n - 1) * 2 - 1;
}
