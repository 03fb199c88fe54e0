using Streaming.Evaluation.Metrics;
using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Tests;

public class MetricsTests
{
    [Fact]
    public void Line_segments_give_hand_computed_dice_hd95_and_msd()
    {
        // A 12x1x1 grid (every voxel is surface). Reference x = 0..9, prediction x = 0..4, spacing 2 mm along x.
        var shape = new Int3(12, 1, 1);
        var reference = new byte[12]; var predicted = new byte[12];
        for (var x = 0; x < 10; x++) reference[x] = 3;
        for (var x = 0; x < 5; x++) predicted[x] = 3;
        var m = SegmentationMetrics.ForClass(predicted, reference, shape, new Vec3(2, 1, 1), 3);
        Assert.Equal(2.0 * 5 / 15, m.Dice, 12);
        // reference→prediction: 0,0,0,0,0,2,4,6,8,10 mm; the 95th percentile (linear) is 8 + 0.55 * 2 = 9.1.
        // prediction→reference: all 0. HD95 = max = 9.1. Mean over both directions: 30 / 15 = 2.
        Assert.Equal(9.1, m.Hd95, 9);
        Assert.Equal(2.0, m.MeanSurfaceDistance, 9);
        Assert.Equal(10, m.ReferenceVoxels);
        Assert.Equal(5, m.PredictedVoxels);
        Assert.Equal(5, m.Intersection);
    }

    [Fact]
    public void Single_voxels_apart_are_measured_in_millimetres()
    {
        var shape = new Int3(8, 6, 4);
        var reference = new byte[shape.Volume]; var predicted = new byte[shape.Volume];
        reference[shape.Index(1, 1, 1)] = 1;
        predicted[shape.Index(4, 5, 1)] = 1; // 3 voxels in x at 2 mm, 4 voxels in y at 1.5 mm: sqrt(36 + 36)
        var m = SegmentationMetrics.ForClass(predicted, reference, shape, new Vec3(2, 1.5, 3), 1);
        Assert.Equal(0, m.Dice);
        Assert.Equal(Math.Sqrt(72), m.Hd95, 9);
        Assert.Equal(Math.Sqrt(72), m.MeanSurfaceDistance, 9);
    }

    [Fact]
    public void Cube_inside_cube_surface_distances()
    {
        // Reference: 5x5x5 cube; prediction: its 3x3x3 core. Every core surface voxel is 1 voxel from the reference
        // surface; reference surface voxels are 1 (faces), sqrt2 (edges) or sqrt3 (corners) voxels from the core's.
        var shape = new Int3(7, 7, 7);
        var reference = new byte[shape.Volume]; var predicted = new byte[shape.Volume];
        for (var z = 1; z <= 5; z++) for (var y = 1; y <= 5; y++) for (var x = 1; x <= 5; x++) reference[shape.Index(x, y, z)] = 2;
        for (var z = 2; z <= 4; z++) for (var y = 2; y <= 4; y++) for (var x = 2; x <= 4; x++) predicted[shape.Index(x, y, z)] = 2;
        var m = SegmentationMetrics.ForClass(predicted, reference, shape, new Vec3(1, 1, 1), 2);
        Assert.Equal(2.0 * 27 / (125 + 27), m.Dice, 12);
        // Reference surface: 98 voxels = 54 face (d=1), 36 edge (d=sqrt2), 8 corner (d=sqrt3).
        // Prediction surface: 26 voxels (all but the centre), each at distance 1.
        var r2p = Enumerable.Repeat(1.0, 54).Concat(Enumerable.Repeat(Math.Sqrt(2), 36)).Concat(Enumerable.Repeat(Math.Sqrt(3), 8)).ToArray();
        Assert.Equal((r2p.Sum() + 26) / (98 + 26), m.MeanSurfaceDistance, 9);
        // 95th percentile of r2p: rank 0.95 * 97 = 92.15 falls among the corners (sorted index 90..97) → sqrt3.
        Assert.Equal(Math.Sqrt(3), m.Hd95, 9);
    }

    [Fact]
    public void Empty_classes_are_nan_not_zero_or_perfect()
    {
        var shape = new Int3(4, 4, 4);
        var a = new byte[shape.Volume]; var b = new byte[shape.Volume];
        var none = SegmentationMetrics.ForClass(a, b, shape, new Vec3(1, 1, 1), 1);
        Assert.True(double.IsNaN(none.Dice));
        a[5] = 1;
        var missed = SegmentationMetrics.ForClass(a, b, shape, new Vec3(1, 1, 1), 1);
        Assert.Equal(0, missed.Dice);
        Assert.True(double.IsNaN(missed.Hd95));
    }

    [Fact]
    public void Distance_transform_matches_brute_force_with_anisotropic_spacing()
    {
        var rng = new Random(3);
        int nx = 9, ny = 7, nz = 5;
        var src = new bool[nx * ny * nz];
        for (var i = 0; i < src.Length; i++) src[i] = rng.NextDouble() < 0.05;
        src[17] = true;
        var d = DistanceTransform.SquaredToNearest(src, nx, ny, nz, 0.8, 1.7, 3.1);
        for (var z = 0; z < nz; z++) for (var y = 0; y < ny; y++) for (var x = 0; x < nx; x++)
        {
            var best = double.PositiveInfinity;
            for (var k = 0; k < nz; k++) for (var j = 0; j < ny; j++) for (var i = 0; i < nx; i++)
                if (src[i + nx * (j + ny * k)])
                    best = Math.Min(best, Sq((x - i) * 0.8) + Sq((y - j) * 1.7) + Sq((z - k) * 3.1));
            Assert.Equal(best, d[x + nx * (y + ny * z)], 9);
        }
    }

    [Fact]
    public void Percentile_is_numpy_linear()
    {
        Assert.Equal(3.85, SegmentationMetrics.Percentile([1, 2, 3, 4], 95), 12);
        Assert.Equal(7, SegmentationMetrics.Percentile([7], 95), 12);
    }

    private static double Sq(double v) => v * v;
}
