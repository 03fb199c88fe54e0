using Streaming.Imaging.Volumes;
using Streaming.Sampling.Context;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// A descriptor network evaluated on a regular grid of a whole volume ("3-D context feature learning": descriptors at
/// every 4th voxel). forward takes the whole volume (1, 1, Z, Y, X), already scaled to the network's input range, and
/// returns one level (1, C, ⌈Z/s⌉, ⌈Y/s⌉, ⌈X/s⌉) whose cell (k, j, i) describes voxel (s·i, s·j, s·k); the geometry
/// is in the volume's normalised frame (every axis [-1, 1]), so the volume must be the whole common crop, never a
/// window (<see cref="WholeVolume"/>). Grid points are described in batches of <see cref="BatchSize"/>.
/// </summary>
public abstract class GridDescriptor : FeatureExtractor
{
    public const int DefaultStride = 4;

    protected GridDescriptor(string name, int channels, ContextSamplingOptions geometry, int stride, int batchSize)
        : base(name, 1, [new FeatureLevel(channels, new Int3(stride, stride, stride))])
    {
        geometry.Validate();
        if (stride < 1 || batchSize < 1) throw new ArgumentException("descriptor stride and batch size must be >= 1");
        Channels = channels; Geometry = geometry; Stride = stride; BatchSize = batchSize;
    }

    public int Channels { get; }
    public ContextSamplingOptions Geometry { get; }
    public int Stride { get; }
    public int BatchSize { get; set; }

    public override bool WholeVolume => true;

    /// <summary>(B, C) descriptors of the points <paramref name="centers"/> (B, 3) = normalised (x, y, z) in <paramref name="volume"/> (1, 1, Z, Y, X).</summary>
    public abstract Tensor Describe(Tensor volume, Tensor centers);

    public override Tensor[] forward(Tensor volume)
    {
        if (volume.dim() != 5 || volume.shape[0] != 1 || volume.shape[1] != 1)
            throw new ArgumentException($"{GetName()}: expects the whole volume as (1, 1, Z, Y, X); got [{string.Join(", ", volume.shape)}]");
        long nz = volume.shape[2], ny = volume.shape[3], nx = volume.shape[4];
        using var gz = Axis(nz, volume.device);
        using var gy = Axis(ny, volume.device);
        using var gx = Axis(nx, volume.device);
        long cz = gz.shape[0], cy = gy.shape[0], cx = gx.shape[0];
        var mesh = meshgrid([gz, gy, gx], indexing: "ij");
        using var centers = stack([mesh[2].flatten(), mesh[1].flatten(), mesh[0].flatten()], 1); // (P, 3) as (x, y, z)
        foreach (var m in mesh) m.Dispose();
        var parts = new List<Tensor>();
        try
        {
            for (long i = 0; i < centers.shape[0]; i += BatchSize)
            {
                using var scope = NewDisposeScope();
                var d = Describe(volume, centers.narrow(0, i, Math.Min(BatchSize, centers.shape[0] - i)));
                parts.Add(d.MoveToOuterDisposeScope());
            }
            using var all = cat(parts, 0);                                   // (P, C)
            return [all.t().reshape(1, Channels, cz, cy, cx).contiguous()];
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    /// <summary>Normalised coordinates of voxels 0, s, 2s, ... on an axis of n voxels.</summary>
    private Tensor Axis(long n, Device device)
    {
        using var v = arange(0, n, Stride, dtype: ScalarType.Float32, device: device);
        using var scale = (n > 1 ? 2.0 / (n - 1) : 0.0).ToScalar();
        using var shift = (n > 1 ? -1.0 : 0.0).ToScalar();
        return v.mul(scale).add_(shift);
    }
}
