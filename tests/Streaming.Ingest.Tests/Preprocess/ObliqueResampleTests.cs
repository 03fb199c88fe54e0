using Streaming.Ingest.Preprocess;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Tests.Preprocess;

public class ObliqueResampleTests
{
    private static double F(Vec3 p) => 3 * p.X - 2 * p.Y + 1.25 * p.Z + 40;

    public static TheoryData<double, double, double, double> Rotations => new()
    {
        { 0, 0, 1, 30 },   // 30° about z (gantry-tilt-like in-plane rotation)
        { 1, 1, 1, 40 },   // 40° about an oblique axis
        { 1, -2, 0.5, 75 },
    };

    [Theory]
    [MemberData(nameof(Rotations))]
    public void Rotated_ReproducesLinearFieldInside_AndAirOutside(double ax, double ay, double az, double degrees)
    {
        var dir = VolumeFactory.Rotation(new Vec3(ax, ay, az), degrees * Math.PI / 180);
        var g = new VolumeGeometry(new Int3(14, 11, 9), new Vec3(1.2, 0.9, 1.5), new Vec3(5, -3, 20), dir);
        const float outside = -1024;
        var r = Resampler.Resample(VolumeFactory.FromPhysical(g, F), null, new Vec3(1, 1, 1.5), outside);
        var o = r.Image.Geometry;
        Assert.Equal(Mat3.Identity, o.Direction);

        int inside = 0, outsideCount = 0;
        for (var z = 0; z < o.Shape.Z; z++)
            for (var y = 0; y < o.Shape.Y; y++)
                for (var x = 0; x < o.Shape.X; x++)
                {
                    var p = o.IndexToPhysical(x, y, z);
                    var c = g.PhysicalToIndex(p);
                    bool clearlyIn = c.X > 1e-3 && c.Y > 1e-3 && c.Z > 1e-3 &&
                                     c.X < 13 - 1e-3 && c.Y < 10 - 1e-3 && c.Z < 8 - 1e-3;
                    bool clearlyOut = c.X < -1e-3 || c.Y < -1e-3 || c.Z < -1e-3 ||
                                      c.X > 13 + 1e-3 || c.Y > 10 + 1e-3 || c.Z > 8 + 1e-3;
                    if (clearlyIn) { Assert.Equal(F(p), r.Image[x, y, z], 1e-3); inside++; }
                    else if (clearlyOut) { Assert.Equal(outside, r.Image[x, y, z]); outsideCount++; }
                }
        Assert.True(inside > 300, $"only {inside} voxels inside");
        Assert.True(outsideCount > 100, $"only {outsideCount} voxels outside");
    }

    [Fact]
    public void OutputGrid_CoversBoundingBoxOfCornerCentres()
    {
        // 2 x 2 x 1 voxels 10 mm apart rotated 30° about z: corners at (0,0), (8.660,5), (-5,8.660), (3.660,13.660).
        var g = new VolumeGeometry(new Int3(2, 2, 1), new Vec3(10, 10, 1), new Vec3(0, 0, 0),
            VolumeFactory.Rotation(new Vec3(0, 0, 1), Math.PI / 6));
        var o = Resampler.OutputGrid(g, new Vec3(1, 1, 1));
        VolumeFactory.AssertVec(new Vec3(-5, 0, 0), o.Origin);
        // x extent 13.660 → 14 samples; y extent 13.660 → 14; z → 1.
        Assert.Equal(new Int3(14, 14, 1), o.Shape);
    }

    [Fact]
    public void Rotated_LabelsTakeExistingValuesAndAgreeWithConstantImageRegions()
    {
        var dir = VolumeFactory.Rotation(new Vec3(0, 0, 1), Math.PI / 6);
        var g = new VolumeGeometry(new Int3(12, 12, 4), new Vec3(1, 1, 2), new Vec3(0, 0, 0), dir);
        // Labels in 4x4x4-voxel blocks with values {0, 3, 7}; the image is 100 * label.
        var labels = VolumeFactory.FromIndex(g, (x, y, z) => (byte)(((x / 4 + y / 4) % 3) switch { 0 => 0, 1 => 3, _ => 7 }));
        var image = VolumeFactory.FromIndex(g, (x, y, z) => 100f * labels[x, y, z]);
        var r = Resampler.Resample(image, labels, new Vec3(0.5, 0.5, 1), -5);
        Assert.Equal(r.Image.Geometry, r.Labels!.Geometry);
        Assert.All(r.Labels.Data, l => Assert.Contains(l, new byte[] { 0, 3, 7 }));
        var agree = 0;
        for (var i = 0; i < r.Image.Data.Length; i++)
        {
            var v = r.Image.Data[i];
            // Where the image is exactly 100*L with L a label, all 8 neighbours had label L, so NN must give L too.
            if (v is 300f or 700f) { Assert.Equal((byte)(v / 100), r.Labels.Data[i]); agree++; }
            if (v == -5f) Assert.Equal(0, r.Labels.Data[i]);
        }
        Assert.True(agree > 100);
    }

    public static TheoryData<int> LabelGrids => new() { 0, 1, 2 };

    [Theory]
    [MemberData(nameof(LabelGrids))]
    public void Labels_AreTheNearestInputVoxel_ByPhysicalPosition(int kind)
    {
        var dir = kind switch
        {
            0 => new Mat3(-1, 0, 0, 0, -1, 0, 0, 0, 1),          // flipped, resampled
            1 => new Mat3(0, 0, 1, -1, 0, 0, 0, 1, 0),           // permuted, resampled
            _ => VolumeFactory.Rotation(new Vec3(2, -1, 1), 0.6), // oblique
        };
        var g = new VolumeGeometry(new Int3(11, 9, 7), new Vec3(0.9, 1.3, 1.7), new Vec3(4, -2, 9), dir);
        var labels = VolumeFactory.FromIndex(g, (x, y, z) => (byte)(1 + x + 11 * y + 99 * z % 150));
        var image = new Volume<float>(g);
        var r = Resampler.Resample(image, labels, new Vec3(0.7, 1.1, 0.8), 0);
        var o = r.Labels!.Geometry;
        var checkedCount = 0;
        for (var z = 0; z < o.Shape.Z; z++)
            for (var y = 0; y < o.Shape.Y; y++)
                for (var x = 0; x < o.Shape.X; x++)
                {
                    var c = g.PhysicalToIndex(o.IndexToPhysical(x, y, z));
                    // Skip near-ties (x.5) and the field-of-view edge, where either answer is defensible.
                    if (IsNearHalf(c.X) || IsNearHalf(c.Y) || IsNearHalf(c.Z)) continue;
                    if (c.X < 0.01 || c.Y < 0.01 || c.Z < 0.01 || c.X > 9.99 || c.Y > 7.99 || c.Z > 5.99)
                    {
                        if (c.X < -0.01 || c.Y < -0.01 || c.Z < -0.01 || c.X > 10.01 || c.Y > 8.01 || c.Z > 6.01)
                            Assert.Equal(0, r.Labels[x, y, z]);
                        continue;
                    }
                    var expected = labels[(int)Math.Round(c.X), (int)Math.Round(c.Y), (int)Math.Round(c.Z)];
                    Assert.Equal(expected, r.Labels[x, y, z]);
                    checkedCount++;
                }
        Assert.True(checkedCount > 500, $"only {checkedCount} voxels checked");
    }

    private static bool IsNearHalf(double v) => Math.Abs(v - Math.Floor(v) - 0.5) < 1e-6;
}
