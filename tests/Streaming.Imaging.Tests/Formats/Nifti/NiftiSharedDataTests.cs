using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Imaging.Tests.Formats.Nifti;

/// <summary>
/// Real volumes from ../shared/data. Expected numbers were computed independently from the raw bytes
/// (Python struct + gzip) and from the folder README.
/// </summary>
public sealed class NiftiSharedDataTests
{
    private static string Ct => SharedData.Path("nifti", "ct-abdomen-3mm", "image.nii.gz");
    private static string CtLabels => SharedData.Path("nifti", "ct-abdomen-3mm", "labels.nii.gz");

    // sform (RAS) of the abdomen CT: diag(3, 3, 3), offset (-177.95633, 11.319, 94.30176); LPS negates x and y.
    private static readonly VolumeGeometry CtGeometry = new(
        new Int3(122, 101, 30), new Vec3(3, 3, 3),
        new Vec3(177.95632934570312, -11.319000244140625, 94.3017578125), new Mat3(-1, 0, 0, 0, -1, 0, 0, 0, 1));

    [SharedDataFact]
    public void Ct_abdomen_header_is_read_without_the_voxels()
    {
        var h = NiftiReader.ReadHeader(Ct);
        Assert.Equal(1, h.Version);
        Assert.False(h.BigEndian);
        Assert.Equal(new Int3(122, 101, 30), h.Shape);
        Assert.Equal((int)NiftiDataType.Int16, h.DataTypeCode);
        Assert.Equal(16, h.BitPix);
        Assert.Equal(352, h.VoxOffset);
        Assert.Equal(2, h.SformCode);
        Assert.Equal(0, h.QformCode);
        Assert.Equal([3.0, 3.0, 3.0], h.PixDim.Skip(1).Take(3));
    }

    [SharedDataFact]
    public void Ct_abdomen_reads_as_HU_on_a_3mm_grid_in_LPS()
    {
        var image = NiftiReader.Read(Ct);
        var v = image.Volume;
        NiftiTestVolumes.AssertGeometry(CtGeometry, v.Geometry);
        Assert.Equal(-1100f, v.Data.Min());
        Assert.Equal(1207f, v.Data.Max());
        Assert.Equal(-130894872.0, v.Data.Sum(x => (double)x));
        Assert.Equal(132614, v.Data.Count(x => x < -500)); // air and lung
        Assert.Equal(-1024f, v[0, 0, 0]);
        Assert.Equal("sform", image.Metadata["geometry_source"]);
        Assert.Equal("2", image.Metadata["sform_code"]);
        Assert.Equal("INT16", image.Metadata["datatype"]);
    }

    [SharedDataFact]
    public void Ct_abdomen_labels_skip_the_extension_and_share_the_image_geometry()
    {
        Assert.Equal(13168, NiftiReader.ReadHeader(CtLabels).VoxOffset);
        var labels = NiftiReader.ReadLabels(CtLabels);
        NiftiTestVolumes.AssertGeometry(CtGeometry, labels.Geometry);
        var counts = labels.Data.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(42, counts.Count); // background + the README's 41 classes
        Assert.Equal(259435, counts[0]);
        Assert.Equal(38634, counts[5]); // liver (TotalSegmentator class 5)
        Assert.Equal(9452, counts[1]); // spleen
        Assert.Equal(117, labels.Data.Max());
    }

    [SharedDataFact]
    public void Mr_brain_uint8_with_an_MNI_sform_reads_with_its_1mm_grid()
    {
        var path = SharedData.Path("nifti", "mr-brain-1mm", "ch2bet.nii.gz");
        var h = NiftiReader.ReadHeader(path);
        Assert.Equal(4, h.SformCode);
        Assert.Equal((int)NiftiDataType.UInt8, h.DataTypeCode);
        Assert.Equal("spm - algebra", h.Description);
        var image = NiftiReader.Read(path);
        NiftiTestVolumes.AssertGeometry(
            new VolumeGeometry(new Int3(181, 217, 181), new Vec3(1, 1, 1), new Vec3(90, 125, -71), new Mat3(-1, 0, 0, 0, -1, 0, 0, 0, 1)),
            image.Volume.Geometry);
        Assert.Equal(0f, image.Volume.Data.Min());
        Assert.Equal(133f, image.Volume.Data.Max());
        Assert.Equal(1737193, image.Volume.Data.Count(x => x != 0));
        Assert.Equal(158526435.0, image.Volume.Data.Sum(x => (double)x));
        Assert.Equal(33f, image.Volume[90, 108, 90]);
    }

    [SharedDataFact]
    public void Mr_abdomen_with_a_negative_x_y_sform_is_canonical_in_LPS()
    {
        var image = NiftiReader.Read(SharedData.Path("nifti", "mr-abdomen-3mm", "image.nii.gz"));
        NiftiTestVolumes.AssertGeometry(
            new VolumeGeometry(new Int3(117, 91, 20), new Vec3(3, 3, 3),
                new Vec3(-168.59963989257812, -166.35943603515625, 28.989641189575195), Mat3.Identity),
            image.Volume.Geometry);
        Assert.Equal(41238711.0, image.Volume.Data.Sum(x => (double)x));
    }

    [SharedDataFact]
    public void Dicom_companion_label_map_has_a_flipped_y_axis_in_LPS()
    {
        var labels = NiftiReader.ReadLabels(SharedData.Path("dicom", "ct-abdomen-j2k", "labels.nii.gz"));
        // sform (RAS) diag(-0.9765625, 0.9765625, 2) → LPS x along +x, y along -y.
        NiftiTestVolumes.AssertGeometry(
            new VolumeGeometry(new Int3(512, 512, 20), new Vec3(0.9765625, 0.9765625, 2),
                new Vec3(-249.51171875, 61.51171875, -804.5), new Mat3(1, 0, 0, 0, -1, 0, 0, 0, 1)),
            labels.Geometry);
        Assert.Equal(32, labels.Data.Distinct().Count());
        Assert.Equal(4503460, labels.Data.Count(x => x == 0));
    }

    [SharedDataFact]
    public void Raw_read_gives_the_stored_int16_values()
    {
        var raw = NiftiReader.ReadRaw(Ct);
        Assert.Equal(NiftiDataType.Int16, raw.DataType);
        var v = raw.Voxels<short>();
        Assert.Equal(122 * 101 * 30, v.Length);
        Assert.Equal(-1024, v[0]);
        long sum = 0;
        foreach (var x in v) sum += x;
        Assert.Equal(-130894872L, sum);
    }
}
