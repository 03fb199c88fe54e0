using Streaming.Ingest.Preprocess;
using Streaming.Ingest.Read;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Tests.Preprocess;

public class FixedShapeResizerTests
{
    private static readonly Mat3 FlipXy = new(-1, 0, 0, 0, -1, 0, 0, 0, 1);

    [Fact]
    public void Geometry_keeps_the_box_corners_and_divides_the_extent()
    {
        var g = new VolumeGeometry(new Int3(40, 30, 10), new Vec3(1.5, 2, 3), new Vec3(10, -5, 7), FlipXy);
        var r = FixedShapeResizer.Geometry(g, new Int3(16, 12, 20));
        Assert.Equal(new Vec3(3.75, 5, 1.5), r.Spacing);
        Assert.Equal(g.Direction, r.Direction);
        // Both outer corners (index -0.5 and n - 0.5) are the same physical points.
        VolumeFactory.AssertVec(g.IndexToPhysical(-0.5, -0.5, -0.5), r.IndexToPhysical(-0.5, -0.5, -0.5));
        VolumeFactory.AssertVec(g.IndexToPhysical(39.5, 29.5, 9.5), r.IndexToPhysical(15.5, 11.5, 19.5));
    }

    [Fact]
    public void Image_is_trilinear_in_physical_space_and_labels_are_nearest()
    {
        var g = new VolumeGeometry(new Int3(24, 20, 12), new Vec3(1, 1.5, 2), new Vec3(3, 4, 5), FlipXy);
        // A linear function of position is reproduced exactly by linear interpolation wherever no edge clamp applies.
        double F(Vec3 p) => 2 * p.X - 3 * p.Y + 0.5 * p.Z;
        var image = VolumeFactory.FromPhysical(g, F);
        var labels = VolumeFactory.FromIndex(g, (x, y, z) => (byte)(x / 6 + 4 * (z / 4)));
        var body = VolumeFactory.FromIndex(g, (x, y, z) => (byte)(y < 10 ? 1 : 0));
        var crop = new CropResult(image, body, labels, new CropBox(new Int3(0, 0, 0), g.Shape));

        var shape = new Int3(16, 8, 18);
        var r = FixedShapeResizer.Resize(crop, shape);
        var rg = r.Image.Geometry;
        Assert.Equal(shape, r.Image.Shape);
        Assert.Equal(rg, r.Labels!.Geometry);
        Assert.Equal(rg, r.Body.Geometry);
        for (var z = 0; z < shape.Z; z++)
            for (var y = 0; y < shape.Y; y++)
                for (var x = 0; x < shape.X; x++)
                {
                    var c = g.PhysicalToIndex(rg.IndexToPhysical(x, y, z));
                    // Inside the input's first and last voxel centres: exact; outside: the edge value (clamped).
                    var clamped = g.IndexToPhysical(Math.Clamp(c.X, 0, 23), Math.Clamp(c.Y, 0, 19), Math.Clamp(c.Z, 0, 11));
                    Assert.Equal(F(clamped), r.Image[x, y, z], 3);
                    // Nearest: the input voxel whose extent holds the output centre.
                    int ix = (int)Math.Floor(c.X + 0.5), iy = (int)Math.Floor(c.Y + 0.5), iz = (int)Math.Floor(c.Z + 0.5);
                    Assert.Equal(labels[ix, iy, iz], r.Labels[x, y, z]);
                    Assert.Equal(body[ix, iy, iz], r.Body[x, y, z]);
                }
        Assert.Same(crop, FixedShapeResizer.Resize(crop, g.Shape));
    }

    [Fact]
    public void Preprocessor_with_target_shape_gives_that_shape_with_labels_on_the_organ()
    {
        var g = new VolumeGeometry(new Int3(48, 48, 24), new Vec3(0.7, 0.7, 1.25), new Vec3(30, 20, -10), FlipXy);
        var labels = VolumeFactory.FromIndex(g, (x, y, z) => (byte)(x is >= 20 and < 30 && y is >= 20 and < 28 && z is >= 6 and < 18 ? 5 : 0));
        var image = VolumeFactory.FromIndex(g, (x, y, z) =>
        {
            double u = (x - 23.5) / 23.5, v = (y - 23.5) / 23.5;
            if (u * u / 0.5 + v * v / 0.3 > 1 || z < 2 || z > 21) return -1000f;
            return labels[x, y, z] == 5 ? 60f : 40f;
        });
        var spec = new PreprocessSpec
        {
            Name = "fixed", Modality = Modality.CT, TargetSpacing = new Vec3(1, 1, 1), TargetShape = new Int3(16, 16, 8),
            Intensity = new IntensitySpec(), Body = new BodySpec { MinBodyMl = 1 }, Crop = new CropSpec { MinShape = new Int3(4, 4, 4) }, Shard = new ShardSpec(),
        };
        var r = Preprocessor.Run(new LoadedImage(image, new Dictionary<string, string>()), labels, spec);
        Assert.Equal(new Int3(16, 16, 8), r.Image.Shape);
        Assert.Equal(r.Image.Geometry, r.Labels!.Geometry);
        // The crop box (on the 1 mm working grid) and the final grid cover the same physical box.
        var box = r.Crop;
        VolumeFactory.AssertVec(r.ResampledGeometry.IndexToPhysical(box.Start.X - 0.5, box.Start.Y - 0.5, box.Start.Z - 0.5),
            r.Image.Geometry.IndexToPhysical(-0.5, -0.5, -0.5), 1e-6);
        // Labels stay on the organ (60 HU, tissue 40 HU): only the boundary voxels blend, each closer to the organ.
        var organ = r.Image.Data.Where((_, i) => r.Labels.Data[i] == 5).ToArray();
        Assert.NotEmpty(organ);
        Assert.All(organ, v => Assert.InRange(v, 45f, 60f));
        Assert.True(organ.Average() > 55, $"mean of labeled voxels {organ.Average()}");
    }
}
