using Streaming.Imaging.Volumes;

namespace Streaming.Training.Export;

/// <summary>Sliding-window settings of <see cref="Embedder"/> (sizes as (x, y, z) voxels).</summary>
public sealed record EmbedOptions
{
    /// <summary>Window fed to the backbone: the training patch (<see cref="ForPatch"/>; vox2vec's by default). Smaller volumes are edge-padded to it.</summary>
    public Int3 Window { get; init; } = new(128, 128, 32);
    /// <summary>Overlap of neighbouring windows (a quarter of the window); overlapping predictions are averaged (hides window seams).</summary>
    public Int3 Overlap { get; init; } = new(32, 32, 8);

    /// <summary>Windows the size of the training patch, overlapping by a quarter of it.</summary>
    public static EmbedOptions ForPatch(Int3 patch) => new() { Window = patch, Overlap = new Int3(patch.X / 4, patch.Y / 4, patch.Z / 4) };
    /// <summary>PCA: at most this many voxels (evenly spaced) feed the covariance estimate.</summary>
    public int PcaSampleVoxels { get; init; } = 200_000;

    public void Validate()
    {
        if (!Window.AllPositive) throw new ArgumentException("embed window must be positive");
        if (Overlap.X < 0 || Overlap.Y < 0 || Overlap.Z < 0 || Overlap.X >= Window.X || Overlap.Y >= Window.Y || Overlap.Z >= Window.Z)
            throw new ArgumentException("embed overlap must be >= 0 and smaller than the window");
        if (PcaSampleVoxels < 16) throw new ArgumentException("embed pcaSampleVoxels must be >= 16");
    }
}
