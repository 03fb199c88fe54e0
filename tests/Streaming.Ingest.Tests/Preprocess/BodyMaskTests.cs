using Streaming.Ingest.Preprocess;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Tests.Preprocess;

public class BodyMaskTests
{
    private const float Air = -1000, Tissue = 40;

    [Fact]
    public void HollowSphere_CavityIsBody_OutsideIsNot()
    {
        // Shell 6 <= r <= 10 voxels around the centre of a 32^3 grid, air inside (r < 6) and outside.
        var g = VolumeGeometry.Axial(new Int3(32, 32, 32), new Vec3(1, 1, 1));
        static double R(int x, int y, int z) => Math.Sqrt((x - 15.5) * (x - 15.5) + (y - 15.5) * (y - 15.5) + (z - 15.5) * (z - 15.5));
        var img = VolumeFactory.FromIndex(g, (x, y, z) => R(x, y, z) is >= 6 and <= 10 ? Tissue : Air);
        var m = BodyMask.Compute(img, -500);
        long expected = 0;
        for (var z = 0; z < 32; z++)
            for (var y = 0; y < 32; y++)
                for (var x = 0; x < 32; x++)
                {
                    var inBall = R(x, y, z) <= 10;
                    Assert.Equal(inBall ? 1 : 0, m.Mask[x, y, z]);
                    if (inBall) expected++;
                }
        Assert.Equal(expected, m.BodyVoxels);
        Assert.Equal(1, m.Mask[16, 16, 16]); // the cavity's centre
        Assert.Equal(expected / 1000.0, m.BodyMl, 9);
    }

    [Fact]
    public void TableAcrossTheField_AirAboveAndBelowIsOutside_TableStaysInMask()
    {
        // A patient block resting on a 1-voxel table plate that spans the whole x/z extent at y = 20. The plate cuts
        // the air in two, but both halves touch the border, so neither is body. The plate is not air, so (by this
        // definition) it is in the mask, as every non-air object is.
        var g = VolumeGeometry.Axial(new Int3(30, 24, 10), new Vec3(1, 1, 1));
        var img = VolumeFactory.FromIndex(g, (x, y, z) =>
            y == 20 ? 200f : (x is >= 8 and < 22 && y is >= 10 and < 20 && z is >= 2 and < 8 ? Tissue : Air));
        var m = BodyMask.Compute(img, -500);
        Assert.Equal(0, m.Mask[15, 22, 5]); // below the table
        Assert.Equal(0, m.Mask[15, 3, 5]);  // above the patient
        Assert.Equal(1, m.Mask[15, 15, 5]); // patient
        Assert.Equal(1, m.Mask[0, 20, 0]);  // table
        Assert.Equal(14 * 10 * 6 + 30 * 10, m.BodyVoxels);
    }

    [Fact]
    public void TubeOpenAtBothEnds_VolumeFillLeaksIn_AxialFillKeepsItLikeATrachea()
    {
        var g = VolumeGeometry.Axial(new Int3(20, 20, 12), new Vec3(1, 1, 1));
        static bool Wall(int x, int y) { var r = Math.Sqrt((x - 9.5) * (x - 9.5) + (y - 9.5) * (y - 9.5)); return r is >= 4 and <= 6; }
        var open = VolumeFactory.FromIndex(g, (x, y, z) => Wall(x, y) ? Tissue : Air);
        // 3-D: the lumen reaches the z faces, so it is border air. Per axial slice it is enclosed by the wall.
        Assert.Equal(0, BodyMask.Compute(open, -500, BodyFill.Volume).Mask[10, 10, 6]);
        Assert.Equal(1, BodyMask.Compute(open, -500, BodyFill.AxialSlices).Mask[10, 10, 6]);
        Assert.Equal(0, BodyMask.Compute(open, -500, BodyFill.AxialSlices).Mask[0, 0, 6]);
        // Cap both ends (z = 1 and z = 10): the lumen between the caps is enclosed in 3-D too (like bowel gas).
        var closed = VolumeFactory.FromIndex(g, (x, y, z) =>
            Wall(x, y) || ((z == 1 || z == 10) && (x - 9.5) * (x - 9.5) + (y - 9.5) * (y - 9.5) <= 36) ? Tissue : Air);
        var m = BodyMask.Compute(closed, -500, BodyFill.Volume).Mask;
        Assert.Equal(1, m[10, 10, 6]);
        Assert.Equal(0, m[10, 10, 0]); // beyond the cap: open to the z face
    }

    [Theory]
    [InlineData(BodyFill.AxialSlices, 1)]
    [InlineData(BodyFill.Volume, 0)]
    public void LungCutByTheTopSlice_IsBodyOnlyWithAxialFill(BodyFill fill, byte expectedLung)
    {
        // An abdominal scan whose top slices cut through the lung bases: the lung (air) touches the top face.
        var g = VolumeGeometry.Axial(new Int3(24, 20, 10), new Vec3(1, 1, 1));
        var img = VolumeFactory.FromIndex(g, (x, y, z) =>
        {
            var inBody = (x - 11.5) * (x - 11.5) / 100 + (y - 9.5) * (y - 9.5) / 64 <= 1;
            var inLung = z >= 6 && (x - 7) * (x - 7) + (y - 9.5) * (y - 9.5) <= 9;
            return inBody && !inLung ? Tissue : Air;
        });
        var m = BodyMask.Compute(img, -500, fill);
        Assert.Equal(expectedLung, m.Mask[7, 9, 9]);
        Assert.Equal(expectedLung, m.Mask[7, 9, 6]);
        Assert.Equal(0, m.Mask[0, 0, 5]);
        Assert.Equal(1, m.Mask[12, 10, 3]);
    }

    [Fact]
    public void DiagonalContactDoesNotLeak_SixConnectivity()
    {
        // 6^3 grid: air border shell, tissue inside (1..4), with two air voxels: (1,1,1) faces the border air at
        // (0,1,1), so it is outside; (2,2,2) touches (1,1,1) only across a vertex, so with 6-connectivity it is
        // enclosed (26-connectivity would leak into it).
        var g = VolumeGeometry.Axial(new Int3(6, 6, 6), new Vec3(1, 1, 1));
        var img = VolumeFactory.FromIndex(g, (x, y, z) =>
            x is >= 1 and <= 4 && y is >= 1 and <= 4 && z is >= 1 and <= 4 && !(x == y && y == z && x <= 2) ? Tissue : Air);
        var m = BodyMask.Compute(img, -500);
        Assert.Equal(0, m.Mask[1, 1, 1]);
        Assert.Equal(1, m.Mask[2, 2, 2]);
        Assert.Equal(4 * 4 * 4 - 1, m.BodyVoxels);
    }

    [Fact]
    public void WindingAirChannel_ReachingTheBorder_IsFilledCompletely()
    {
        // A serpentine air channel carved in solid tissue, opening to the border only at one end: the scanline fill
        // must follow it back and forth through rows (runs re-entering earlier rows).
        var g = VolumeGeometry.Axial(new Int3(21, 21, 3), new Vec3(1, 1, 1));
        // Rows y = 1, 3, ..., 19 run x = 1..19; even rows 2..18 connect them alternately at x = 19 and x = 1.
        static bool Channel(int x, int y) =>
            y % 2 == 1 && x is >= 1 and <= 19 || y is >= 2 and <= 18 && y % 2 == 0 && x == (y / 2 % 2 == 1 ? 19 : 1);
        var img = VolumeFactory.FromIndex(g, (x, y, z) => z == 1 && (Channel(x, y) || (x == 0 && y == 1)) ? Air : Tissue);
        var m = BodyMask.Compute(img, -500);
        for (var y = 0; y < 21; y++)
            for (var x = 0; x < 21; x++)
                Assert.Equal(Channel(x, y) || (x == 0 && y == 1) ? 0 : 1, m.Mask[x, y, 1]);
    }

    [Theory]
    [InlineData(1, 0.45, BodyFill.Volume)]
    [InlineData(2, 0.55, BodyFill.Volume)]
    [InlineData(3, 0.65, BodyFill.Volume)]
    [InlineData(4, 0.45, BodyFill.AxialSlices)]
    [InlineData(5, 0.55, BodyFill.AxialSlices)]
    [InlineData(6, 0.65, BodyFill.AxialSlices)]
    public void RandomPorousVolume_MatchesReferenceBreadthFirstFill(int seed, double airFraction, BodyFill fill)
    {
        // Near the percolation threshold air forms long, winding 3-D paths that need every one of the 6 directions.
        var g = VolumeGeometry.Axial(new Int3(23, 19, 15), new Vec3(1, 1, 1));
        var rng = new Random(seed);
        var img = VolumeFactory.FromIndex(g, (x, y, z) => rng.NextDouble() < airFraction ? Air : Tissue);
        var m = BodyMask.Compute(img, -500, fill);
        var expected = ReferenceBody(img, -500, fill == BodyFill.Volume);
        Assert.Equal(expected, m.Mask.Data);
        Assert.Equal(expected.Count(b => b == 1), m.BodyVoxels);
    }

    /// <summary>Plain voxel-by-voxel BFS from border air (3-D: 6-connected from all faces; else 4-connected in-plane
    /// from each slice's edge): the definition, slowly.</summary>
    private static byte[] ReferenceBody(Volume<float> img, float threshold, bool volume)
    {
        var n = img.Shape;
        var outside = new bool[n.Volume];
        var queue = new Queue<(int X, int Y, int Z)>();
        void Visit(int x, int y, int z)
        {
            if (!n.Contains(new Int3(x, y, z))) return;
            var i = n.Index(x, y, z);
            if (outside[i] || !(img.Data[i] < threshold)) return;
            outside[i] = true;
            queue.Enqueue((x, y, z));
        }
        for (var z = 0; z < n.Z; z++)
            for (var y = 0; y < n.Y; y++)
                for (var x = 0; x < n.X; x++)
                    if (x == 0 || y == 0 || x == n.X - 1 || y == n.Y - 1 || (volume && (z == 0 || z == n.Z - 1))) Visit(x, y, z);
        while (queue.Count > 0)
        {
            var (x, y, z) = queue.Dequeue();
            Visit(x - 1, y, z); Visit(x + 1, y, z); Visit(x, y - 1, z); Visit(x, y + 1, z);
            if (volume) { Visit(x, y, z - 1); Visit(x, y, z + 1); }
        }
        return outside.Select(o => o ? (byte)0 : (byte)1).ToArray();
    }
}
