using Streaming.Evaluation.Inference;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Evaluation.Tests;

public class GeometryTests
{
    /// <summary>
    /// An original grid stored RAS-like (x and y flipped relative to LPS), 10x8x6 voxels at 2 mm; the canonical grid
    /// is the same voxels reoriented (identity direction) and then cropped to x 2..7, y 1..6, z 0..3.
    /// </summary>
    private static (VolumeGeometry Original, VolumeGeometry Final) Grids()
    {
        var original = new VolumeGeometry(new Int3(10, 8, 6), new Vec3(2, 2, 2), new Vec3(50, 30, -10), new Mat3(-1, 0, 0, 0, -1, 0, 0, 0, 1));
        // Canonical voxel (i, j, k) = original voxel (9 - i, 7 - j, k): origin at original voxel (9, 7, 0).
        var canonicalOrigin = original.IndexToPhysical(9, 7, 0);
        var cropStart = new Int3(2, 1, 0);
        var final = new VolumeGeometry(new Int3(6, 6, 4), new Vec3(2, 2, 2),
            canonicalOrigin + new Vec3(cropStart.X * 2, cropStart.Y * 2, 0), Mat3.Identity);
        return (original, final);
    }

    [Fact]
    public void Prediction_maps_back_to_the_original_voxels_and_outside_the_crop_is_background()
    {
        var (original, final) = Grids();
        var labels = new byte[final.Shape.Volume];
        labels[final.Shape.Index(0, 0, 0)] = 5; // canonical (2, 1, 0) = original (7, 6, 0)
        labels[final.Shape.Index(5, 4, 3)] = 9; // canonical (7, 5, 3) = original (2, 2, 3)
        var back = OriginalGridResampler.Resample(labels, final, original);
        Assert.Equal(original, back.Geometry);
        Assert.Equal(5, back[7, 6, 0]);
        Assert.Equal(9, back[2, 2, 3]);
        Assert.Equal(2, back.Data.Count(v => v != 0));
        // Original voxel (0, 0, 0) is canonical (9, 7, 0): outside the crop → background, and no exception.
        Assert.Equal(0, back[0, 0, 0]);
    }

    [Fact]
    public void Written_prediction_has_the_input_geometry()
    {
        var (original, final) = Grids();
        var record = new VolumeRecord
        {
            Id = "FLARE/case_1", Dataset = "FLARE", Modality = Modality.CT, SourcePaths = ["a.nii.gz"], SourceFingerprint = "f", SpecKey = "k",
            OriginalGeometry = GeometryRecord.From(original), FinalGeometry = GeometryRecord.From(final), HasLabels = true,
        };
        var labels = new byte[final.Shape.Volume];
        labels[final.Shape.Index(3, 2, 1)] = 4; // canonical (5, 3, 1) = original (4, 4, 1)
        using var dir = new TempDir();
        var path = PredictionWriter.Write(dir.Path("pred", PredictionWriter.FileName(record.Id)), labels, record);
        Assert.EndsWith("FLARE_case_1.nii.gz", path);
        var header = NiftiReader.ReadHeader(path);
        Assert.Equal((int)NiftiDataType.UInt8, header.DataTypeCode);
        var read = NiftiReader.ReadLabels(path);
        Assert.Equal(original.Shape, read.Shape);
        Assert.True((read.Geometry.Origin - original.Origin).Norm < 1e-4);
        Assert.True((read.Geometry.Spacing - original.Spacing).Norm < 1e-6);
        Assert.True(read.Geometry.Direction.ApproximatelyEquals(original.Direction, 1e-6));
        Assert.Equal(4, read[4, 4, 1]);
        Assert.Equal(1, read.Data.Count(v => v != 0));
    }
}
