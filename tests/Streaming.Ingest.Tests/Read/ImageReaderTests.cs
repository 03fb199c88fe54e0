using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Volumes;
using Streaming.Ingest.Read;
using Streaming.Tests;

namespace Streaming.Ingest.Tests.Read;

/// <summary>The adapters from a discovered source item to the imaging kernel's readers.</summary>
public sealed class ImageReaderTests
{
    private static string SharedCt => SharedData.Path("nifti", "ct-abdomen-3mm", "image.nii.gz");
    private static string SharedCtLabels => SharedData.Path("nifti", "ct-abdomen-3mm", "labels.nii.gz");

    [SharedDataFact]
    public void Image_reader_serves_nifti_source_items_only()
    {
        var reader = new NiftiImageReader();
        var item = new SourceItem("ct", "shared", Modality.CT, SourceKind.Nifti, [SharedCt], SharedCtLabels);
        Assert.True(reader.CanRead(item));
        Assert.False(reader.CanRead(item with { Kind = SourceKind.DicomSeries }));
        var image = reader.Read(item);
        Assert.Equal(new Int3(122, 101, 30), image.Volume.Shape);
        Assert.Throws<ArgumentException>(() => reader.Read(item with { Kind = SourceKind.DicomSeries }));
    }

    [Fact]
    public void Image_reader_serves_dicom_items_and_checks_modality()
    {
        using var tmp = new TempDir();
        var files = DicomSeriesWriter.Write(tmp.Root, SmallCt(), new DicomSeriesWriteOptions { PatientId = "P" });
        var reader = new DicomImageReader();
        var item = new SourceItem("s1", "ds", Modality.CT, SourceKind.DicomSeries, files);
        Assert.True(reader.CanRead(item));
        Assert.False(reader.CanRead(item with { Kind = SourceKind.Nifti }));
        Assert.Equal(new Int3(5, 4, 3), reader.Read(item).Volume.Shape);
        var e = Assert.Throws<InvalidDataException>(() => reader.Read(item with { Modality = Modality.MR }));
        Assert.Contains("Modality is CT but the spec is MR", e.Message);
    }

    /// <summary>5x4x3 voxels whose value names the voxel: -1000 + 100 z + 10 y + x.</summary>
    private static Volume<float> SmallCt()
    {
        var v = new Volume<float>(VolumeGeometry.Axial(new Int3(5, 4, 3), new Vec3(0.7, 0.8, 2.5)));
        for (var z = 0; z < 3; z++)
            for (var y = 0; y < 4; y++)
                for (var x = 0; x < 5; x++)
                    v[x, y, z] = -1000 + 100 * z + 10 * y + x;
        return v;
    }
}
