using Streaming.Imaging.Volumes;
using Streaming.Training.Export;
using Streaming.Training.Models.Context;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Context;

public class ContextEmbedTests
{
    [Fact]
    public void Embed_runs_a_descriptor_grid_once_on_the_whole_volume_and_fills_each_cell_block()
    {
        set_num_threads(1);
        manual_seed(5);
        var shape = new Int3(10, 9, 7); // not multiples of 4: the last cells cover partial blocks
        var rng = new System.Random(2);
        var volume = Enumerable.Range(0, (int)shape.Volume).Select(_ => (float)rng.NextDouble()).ToArray();
        using var gv = new GreyValueDescriptor(channels: 8, smoothingVoxels: 0);
        using var embedder = new Embedder(gv, CPU);
        var full = embedder.Embed(volume, shape);
        Assert.Equal(8 * shape.Volume, full.Length);
        using var grid = gv.forward(tensor(volume, [1, 1, shape.Z, shape.Y, shape.X]))[0];
        var g = grid.data<float>().ToArray(); // (1, 8, 2, 3, 3)
        // Voxel (x, y, z) = (9, 5, 6) lies in cell (z, y, x) = (1, 1, 2): its features are that cell's, channel by channel.
        for (var c = 0; c < 8; c++)
            Assert.Equal(g[((c * 2 + 1) * 3 + 1) * 3 + 2], full[c * shape.Volume + shape.Index(9, 5, 6)]);
        var (maps, explained) = embedder.EmbedPca(volume, shape, components: 2);
        Assert.Equal(2 * shape.Volume, maps.Length);
        Assert.True(explained[0] >= explained[1]);
    }
}
