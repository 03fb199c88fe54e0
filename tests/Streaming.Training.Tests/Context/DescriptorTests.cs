using Streaming.Imaging.Volumes;
using Streaming.Sampling.Context;
using Streaming.Training.Export;
using Streaming.Training.Methods;
using Streaming.Training.Methods.Context;
using Streaming.Training.Models.Context;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Context;

public class DescriptorTests
{
    // One intra-op thread: these nets are tiny, and on a busy machine libtorch's spinning threads cost far more.
    public DescriptorTests() => set_num_threads(1);

    private static readonly Int3 Shape = new(23, 19, 17);

    private static float[] Volume(int seed)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, (int)Shape.Volume).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    [Fact]
    public void Extraction_patches_equal_the_training_samplers_patches()
    {
        using var scope = NewDisposeScope();
        var v = Volume(1);
        using var d = new PlanarDescriptor();
        var vol = tensor(v, [1, 1, Shape.Z, Shape.Y, Shape.X]);
        var centers = new[] { new Vec3(0.1, -0.3, 0.6), new Vec3(-0.95, 0.9, 0.0) }; // the second reaches outside (border)
        var ct = tensor(centers.SelectMany(c => new[] { (float)c.X, (float)c.Y, (float)c.Z }).ToArray(), [2, 3]);
        for (var n = 0; n < 3; n++)
        {
            var torchPatches = GridSampling.Patches(vol, ct, d.PatchGrid(n)).data<float>().ToArray();
            for (var i = 0; i < centers.Length; i++)
            {
                var grid = d.PatchGrid(n) with { Center = centers[i] };
                var managed = new float[grid.Count];
                TrilinearSampler.Sample(v, default, Shape, Shape, grid, managed);
                for (var j = 0; j < managed.Length; j++) Assert.InRange(torchPatches[i * grid.Count + j] - managed[j], -1e-5f, 1e-5f);
            }
        }
    }

    [Fact]
    public void Descriptor_grid_cell_k_j_i_describes_voxel_4i_4j_4k()
    {
        using var scope = NewDisposeScope();
        using var d = new PlanarDescriptor(batchSize: 7); // batches that do not divide the point count
        d.eval();
        using var _ = no_grad();
        manual_seed(2);
        var vol = rand([1, 1, 9, 9, 13]); // (x, y, z) = (13, 9, 9)
        var grid = d.forward(vol)[0];
        Assert.Equal(new long[] { 1, 192, 3, 3, 4 }, grid.shape); // ceil(9/4), ceil(9/4), ceil(13/4)
        // Voxel (x, y, z) = (8, 4, 8) → normalised (8/12, 4/8, 8/8) * 2 - 1; cell (z, y, x) = (2, 1, 2).
        var c = tensor(new[] { 8f / 12 * 2 - 1, 4f / 8 * 2 - 1, 8f / 8 * 2 - 1 }, [1, 3]);
        var direct = d.Describe(vol, c)[0].data<float>().ToArray();
        var cell = grid[0, .., 2, 1, 2].data<float>().ToArray();
        for (var k = 0; k < 192; k++) Assert.InRange(cell[k] - direct[k], -1e-4f, 1e-4f);
        Assert.True(d.WholeVolume);
        Assert.Equal(new Int3(4, 4, 4), d.Levels[0].Stride);
    }

    [Fact]
    public void Grey_value_differences_of_a_linear_volume_are_the_pattern_differences()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var g = new GreyValueDescriptor(channels: 16, smoothingVoxels: 0);
        var pattern = g.get_buffer("pattern")!;
        using (no_grad()) pattern.mul_(0.05.ToScalar()); // keep every point inside the volume (no border clamping)
        // I = 3 x_n + 2 y_n - z_n in normalised coordinates (linear: trilinear interpolation is exact).
        var v = new float[Shape.Volume];
        for (var z = 0; z < Shape.Z; z++) for (var y = 0; y < Shape.Y; y++) for (var x = 0; x < Shape.X; x++)
            v[Shape.Index(x, y, z)] = (float)(3 * (x / 22.0 * 2 - 1) + 2 * (y / 18.0 * 2 - 1) - (z / 16.0 * 2 - 1));
        var f = g.Describe(tensor(v, [1, 1, Shape.Z, Shape.Y, Shape.X]), tensor(new float[] { 0.1f, -0.2f, 0.05f }, [1, 3]))[0].data<float>().ToArray();
        var p = pattern.data<float>().ToArray();
        for (var i = 0; i < 16; i++)
        {
            double dx = p[i * 6] - p[i * 6 + 3], dy = p[i * 6 + 1] - p[i * 6 + 4], dz = p[i * 6 + 2] - p[i * 6 + 5];
            Assert.Equal(3 * dx + 2 * dy - dz, f[i], 4);
        }
    }

    [Theory]
    [InlineData("context2d-heatmap", 139_744 * 3)]
    [InlineData("doersch3d", 393_392)]
    [InlineData("gvdiff", 0)]
    public void Descriptors_export_and_reload_bit_for_bit(string method, long parameters)
    {
        using var scope = NewDisposeScope();
        var dir = Path.Combine(Path.GetTempPath(), "ctx-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            MethodOptions options = method switch
            {
                "context2d-heatmap" => new PlanarOffsetOptions(),
                "doersch3d" => new DoerschOptions(),
                _ => new GreyValueOptions(),
            };
            manual_seed(11);
            using var original = options.CreateFeatures();
            Assert.Equal(parameters, original.parameters().Sum(p => p.numel()));
            BackboneExport.Write(dir, original, BackboneManifest.Create(options, original, 5, null));
            var (reloaded, manifest) = BackboneExport.Read(dir);
            using var owned = reloaded;
            Assert.Equal(method, manifest.Method);
            Assert.True(reloaded.WholeVolume);
            original.eval(); reloaded.eval();
            using var ng = no_grad();
            var vol = rand([1, 1, 9, 10, 11]); // 3 x 3 x 3 grid points
            Assert.Equal(original.forward(vol)[0].data<float>().ToArray(), reloaded.forward(vol)[0].data<float>().ToArray());
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
