using Streaming.Imaging.Volumes;
using Streaming.Training.Config;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Export;

/// <summary>
/// Per-voxel feature maps of a whole (preprocessed) volume with a trained backbone: overlapping sliding windows,
/// every level upsampled (nearest) to full resolution and concatenated (the same representation the loss saw),
/// overlaps averaged. <see cref="EmbedPca"/> reduces the features to a few principal components in two passes, so a
/// whole CT never needs its 1008-channel map in memory.
/// </summary>
public sealed class Embedder : IDisposable
{
    private readonly FeatureExtractor backbone;
    private readonly Device device;
    private readonly bool owns;

    public Embedder(FeatureExtractor backbone, Device device, bool ownsBackbone = false)
    {
        this.backbone = backbone; this.device = device; owns = ownsBackbone;
        backbone.to(device);
        backbone.eval();
    }

    /// <summary>Loads backbone.json + backbone.safetensors from a run directory (or any folder holding them).</summary>
    public static Embedder FromDirectory(string directory, string device = "cpu")
    {
        var d = DeviceSpec.Open(device); // first: it loads an outside libtorch when one is configured
        var (b, _) = BackboneExport.Read(directory);
        return new Embedder(b, d, ownsBackbone: true);
    }

    public int Channels => backbone.RepresentationDim;

    /// <summary>Features (C, Z, Y, X) C-order for a volume of shape (x, y, z) stored x-fastest.</summary>
    public float[] Embed(float[] volume, Int3 shape, EmbedOptions? options = null)
    {
        var o = options ?? new EmbedOptions();
        Check(volume, shape, o);
        long total = (long)Channels * shape.Volume;
        if (total > Array.MaxLength)
            throw new ArgumentException($"{Channels} channels x {shape.Volume} voxels do not fit one array; use EmbedPca or embed a crop");
        using var sum = zeros([Channels, shape.Z, shape.Y, shape.X]);
        using var count = zeros([1, shape.Z, shape.Y, shape.X]);
        Slide(volume, shape, o, (f, z, y, x) =>
        {
            Region(sum, z, y, x, f.shape).add_(f);
            Region(count, z, y, x, f.shape).add_(1);
        });
        using var mean = sum / count;
        return mean.data<float>().ToArray();
    }

    /// <summary>
    /// The first <paramref name="components"/> principal components of the features, (K, Z, Y, X) C-order, plus the
    /// explained-variance fraction of each. Pass 1 estimates mean and covariance from evenly spaced voxels; pass 2
    /// projects every window and averages overlaps.
    /// </summary>
    public (float[] Maps, double[] ExplainedVariance) EmbedPca(float[] volume, Int3 shape, int components = 3, EmbedOptions? options = null)
    {
        var o = options ?? new EmbedOptions();
        Check(volume, shape, o);
        if (components < 1 || components > Channels) throw new ArgumentException($"components must be in 1..{Channels}");
        int every = (int)Math.Max(1, Math.Ceiling(Math.Pow((double)shape.Volume / o.PcaSampleVoxels, 1.0 / 3)));
        using var xtx = zeros([Channels, Channels], ScalarType.Float64);
        using var s1 = zeros([Channels], ScalarType.Float64);
        long n = 0;
        Slide(volume, shape, o, (f, z, y, x) =>
        {
            // voxels on the global grid (multiples of `every`) inside this window, counted once per window
            var sel = f.index_select(1, Grid(z, f.shape[1], every)).index_select(2, Grid(y, f.shape[2], every)).index_select(3, Grid(x, f.shape[3], every));
            var flat = sel.reshape(Channels, -1).to(ScalarType.Float64).to(CPU);
            s1.add_(flat.sum(1));
            xtx.add_(flat.matmul(flat.t()));
            n += flat.shape[1];
        });
        if (n < 2) throw new ArgumentException("volume too small for PCA");
        using var mean = s1 / n;
        using var cov = xtx / n - mean.outer(mean);
        var (evals, evecs) = linalg.eigh(cov);
        using var evalsScope = evals; using var evecsScope = evecs;
        using var top = evecs[.., TensorIndex.Slice(Channels - components, Channels)].flip(1).t().contiguous(); // (K, C), largest first
        double totalVar = Math.Max(evals.sum().item<double>(), 1e-30);
        var explained = evals.flip(0).narrow(0, 0, components).data<double>().Select(v => Math.Max(v, 0) / totalVar).ToArray();
        using var proj = top.to(ScalarType.Float32).to(device);
        using var center = mean.to(ScalarType.Float32).to(device);
        using var sum = zeros([components, shape.Z, shape.Y, shape.X]);
        using var count = zeros([1, shape.Z, shape.Y, shape.X]);
        Slide(volume, shape, o, (f, z, y, x) =>
        {
            var c = f.reshape(Channels, -1) - center.unsqueeze(1);
            var p = proj.matmul(c).reshape(components, f.shape[1], f.shape[2], f.shape[3]).to(CPU);
            Region(sum, z, y, x, p.shape).add_(p);
            Region(count, z, y, x, p.shape).add_(1);
        });
        using var maps = sum / count;
        return (maps.data<float>().ToArray(), explained);
    }

    /// <summary>Runs every window; <paramref name="visit"/> gets (C, wz, wy, wx) features cropped to the volume and the window's corner.</summary>
    private void Slide(float[] volume, Int3 shape, EmbedOptions o, Action<Tensor, long, long, long> visit)
    {
        using var vol = tensor(volume, [1, 1, shape.Z, shape.Y, shape.X]);
        // Edge-pad small volumes up to the window so every level of the pyramid has at least one voxel.
        long wz = o.Window.Z, wy = o.Window.Y, wx = o.Window.X;
        long pz = Math.Max(0, wz - shape.Z), py = Math.Max(0, wy - shape.Y), px = Math.Max(0, wx - shape.X);
        using var padded = pz + py + px > 0 ? nn.functional.pad(vol, [0, px, 0, py, 0, pz], PaddingModes.Replicate) : vol.alias();
        foreach (var z in Starts(padded.shape[2], wz, o.Window.Z - o.Overlap.Z))
            foreach (var y in Starts(padded.shape[3], wy, o.Window.Y - o.Overlap.Y))
                foreach (var x in Starts(padded.shape[4], wx, o.Window.X - o.Overlap.X))
                {
                    using var scope = NewDisposeScope();
                    using var noGrad = no_grad();
                    var win = padded[.., .., TensorIndex.Slice(z, z + wz), TensorIndex.Slice(y, y + wy), TensorIndex.Slice(x, x + wx)].to(device);
                    var pyramid = backbone.forward(win);
                    var size = win.shape[2..];
                    var levels = pyramid.Select(p => p.shape[2..].SequenceEqual(size) ? p : nn.functional.interpolate(p, size: size, mode: InterpolationMode.Nearest)).ToArray();
                    var f = cat(levels, 1)[0];
                    long cz = Math.Min(wz, shape.Z - z), cy = Math.Min(wy, shape.Y - y), cx = Math.Min(wx, shape.X - x);
                    visit(f[.., TensorIndex.Slice(0, cz), TensorIndex.Slice(0, cy), TensorIndex.Slice(0, cx)].to(CPU), z, y, x);
                }
    }

    private static IEnumerable<long> Starts(long n, long w, long step)
    {
        if (n <= w) { yield return 0; yield break; }
        long s = 0;
        for (; s + w < n; s += step) yield return s;
        yield return n - w; // last window flush with the end
    }

    /// <summary>Indices in [start, start + len) that are multiples of <paramref name="every"/>, relative to start.</summary>
    private static Tensor Grid(long start, long len, int every)
    {
        long first = (start + every - 1) / every * every;
        return arange(first - start, len, every, dtype: ScalarType.Int64);
    }

    private static Tensor Region(Tensor t, long z, long y, long x, long[] shape) =>
        t[.., TensorIndex.Slice(z, z + shape[1]), TensorIndex.Slice(y, y + shape[2]), TensorIndex.Slice(x, x + shape[3])];

    private static void Check(float[] volume, Int3 shape, EmbedOptions o)
    {
        o.Validate();
        if (!shape.AllPositive || volume.LongLength != shape.Volume)
            throw new ArgumentException($"volume has {volume.LongLength} values, shape {shape} needs {shape.Volume}");
    }

    public void Dispose()
    {
        if (owns) backbone.Dispose();
    }
}
