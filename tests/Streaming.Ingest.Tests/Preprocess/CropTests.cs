using Streaming.Ingest.Preprocess;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Tests.Preprocess;

public class CropTests
{
    private static readonly VolumeGeometry Grid = VolumeGeometry.Axial(new Int3(20, 16, 10), new Vec3(1, 1, 2), new Vec3(-5, 7, 100));

    /// <summary>Body = box [x0, x1] x [y0, y1] x [z0, z1] (inclusive).</summary>
    private static Volume<byte> BodyBox(int x0, int x1, int y0, int y1, int z0, int z1) =>
        VolumeFactory.FromIndex(Grid, (x, y, z) => (byte)(x >= x0 && x <= x1 && y >= y0 && y <= y1 && z >= z0 && z <= z1 ? 1 : 0));

    private static Volume<float> Image => VolumeFactory.FromIndex(Grid, (x, y, z) => (float)(x + 100 * y + 10000 * z));

    [Fact]
    public void BoundingBoxPlusMargin_ClippedToGrid()
    {
        var crop = Cropper.Crop(Image, BodyBox(3, 10, 0, 5, 4, 6), null, new CropSpec { MinShape = new Int3(1, 1, 1), Margin = 2 }, -1024);
        // x: 1..12, y: 0..7 (clipped at 0), z: 2..8.
        Assert.Equal(new CropBox(new Int3(1, 0, 2), new Int3(12, 8, 7)), crop.Box);
        Assert.Equal(new Int3(12, 8, 7), crop.Image.Shape);
        VolumeFactory.AssertVec(new Vec3(-4, 7, 104), crop.Image.Geometry.Origin);
        Assert.Equal(Image[1, 0, 2], crop.Image[0, 0, 0]);
        Assert.Equal(Image[12, 7, 8], crop.Image[11, 7, 6]);
        Assert.Equal(1, crop.Body[2, 0, 2]); // resampled (3, 0, 4)
        Assert.Equal(0, crop.Body[1, 0, 2]);
    }

    [Fact]
    public void PaddedCentred_ToMinShape_WithNegativeStartAndAirOutsideTheGrid()
    {
        var labels = VolumeFactory.FromIndex(Grid, (x, y, z) => (byte)(x == 4 && y == 4 && z == 4 ? 9 : 0));
        var crop = Cropper.Crop(Image, BodyBox(2, 6, 3, 5, 4, 4), labels, new CropSpec { MinShape = new Int3(8, 24, 5) }, -1024);
        // x: 5 wide → +3: start 2 - 1 = 1, 8 wide (1..8, all inside the grid: real data, not padding).
        // y: 3 wide → +21: start 3 - 10 = -7, 24 wide (-7..16; 7 rows before and 1 after the grid are padding).
        // z: 1 deep → +4: start 4 - 2 = 2, 5 deep.
        Assert.Equal(new CropBox(new Int3(1, -7, 2), new Int3(8, 24, 5)), crop.Box);
        VolumeFactory.AssertVec(Grid.IndexToPhysical(1, -7, 2), crop.Image.Geometry.Origin);
        VolumeFactory.AssertVec(new Vec3(-4, 0, 104), crop.Image.Geometry.Origin);
        Assert.Equal(-1024f, crop.Image[0, 0, 0]);      // y = -7: padding
        Assert.Equal(-1024f, crop.Image[3, 23, 1]);     // y = 16: padding
        Assert.Equal(Image[4, 0, 3], crop.Image[3, 7, 1]); // y = 0: first real row
        Assert.Equal(9, crop.Labels![3, 11, 2]);        // label voxel (4, 4, 4)
        Assert.Equal(1, crop.Labels.Data.Count(v => v != 0));
        Assert.Equal(15, crop.Body.Data.Count(v => v != 0));
        // Every output voxel maps to the physical position of the resampled voxel it came from.
        var og = crop.Image.Geometry;
        VolumeFactory.AssertVec(Grid.IndexToPhysical(4, 4, 4), og.IndexToPhysical(3, 11, 2));
    }

    [Fact]
    public void FixedExtent_CentresOnTheBodyBox_CuttingOrPaddingEachAxis()
    {
        // Grid spacing (1, 1, 2) mm. Body x 3..10 (8 wide), y 0..5 (6), z 4..6 (3).
        var spec = new CropSpec { MinShape = new Int3(1, 1, 1), Margin = 5, FixedExtentMm = new Vec3(4, 9.2, 14) };
        var crop = Cropper.Crop(Image, BodyBox(3, 10, 0, 5, 4, 6), null, spec, -1024);
        // Fixed axes centre on the body box itself (the margin, clipped at the grid edge, would shift the centre).
        // x: 4 mm = 4 voxels; body 8 wide -> 4 drops 2 each side: 5..8.
        // y: 9.2 mm rounds to 9 voxels; body 6 wide -> 9 adds 1 before, 2 after: -1..7.
        // z: 14 mm / 2 mm = 7 slices; body 3 deep -> 7 adds 2 each side: 2..8.
        Assert.Equal(new CropBox(new Int3(5, -1, 2), new Int3(4, 9, 7)), crop.Box);
        Assert.Equal(-1024f, crop.Image[0, 0, 0]);
        Assert.Equal(Image[5, 0, 2], crop.Image[0, 1, 0]);
        Assert.Equal(Image[8, 7, 8], crop.Image[3, 8, 6]);
    }

    [Fact]
    public void FixedExtent_PadsPastTheGridAndZeroKeepsTheBodyBox()
    {
        // Body x 2..6 (5 wide, centre 4), y 3..5, z 4..4. x fixed at 11 mm (11 voxels: 6 more, 3 each side: -1..9);
        // y keeps the body box (extent 0); z fixed at 30 mm = 15 slices (14 more: 7 each side: -3..11, past both ends).
        var spec = new CropSpec { MinShape = new Int3(1, 1, 1), FixedExtentMm = new Vec3(11, 0, 30) };
        var crop = Cropper.Crop(Image, BodyBox(2, 6, 3, 5, 4, 4), null, spec, -1024);
        Assert.Equal(new CropBox(new Int3(-1, 3, -3), new Int3(11, 3, 15)), crop.Box);
        Assert.Equal(-1024f, crop.Image[0, 0, 5]);               // x = -1: padding
        Assert.Equal(-1024f, crop.Image[5, 0, 0]);               // z = -3: padding
        Assert.Equal(Image[4, 3, 4], crop.Image[5, 0, 7]);       // the body's centre sits at the box centre
        Assert.Equal(5 * 3, crop.Body.Data.Count(v => v != 0));  // the whole body is inside
        // MinShape still applies after the fixed extent.
        var padded = Cropper.ComputeBox(BodyBox(2, 6, 3, 5, 4, 4), spec with { MinShape = new Int3(1, 7, 1) });
        Assert.Equal(new CropBox(new Int3(-1, 1, -3), new Int3(11, 7, 15)), padded);
    }

    [Fact]
    public void EmptyBody_IsRejected()
    {
        var ex = Assert.Throws<InvalidDataException>(() =>
            Cropper.Crop(Image, new Volume<byte>(Grid), null, new CropSpec(), -1024));
        Assert.Contains("empty", ex.Message);
    }
}
