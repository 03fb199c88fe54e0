using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;
using Streaming.Synth.Pictures;
using Streaming.Tests;

namespace Streaming.Synth.Tests;

public class PictureTests
{
    [Fact]
    public void RendersThreeViewsPerRowAsPng()
    {
        using var dir = new TempDir();
        var ph = PhantomGenerator.Generate(2, Modality.CT, SynthSize.Small, FieldOfView.Abdomen);
        var path = dir.Path("p.png");
        PhantomPicture.Render(path, [new PictureRow(ph.Image, ph.Labels)], panelHeight: 64);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0x89, bytes[0]);
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(bytes, 1, 3));
        var width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        var height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        Assert.True(width > 3 * 30 && height >= 64, $"{width}x{height}");
    }

    [Fact]
    public void CentroidIsInPhysicalMillimetres()
    {
        var g = new VolumeGeometry(new Int3(4, 4, 4), new Vec3(2, 2, 2), new Vec3(-10, 0, 5), Mat3.Identity);
        var labels = new Volume<byte>(g);
        labels[1, 2, 3] = 7; labels[3, 2, 3] = 7;
        Assert.Equal(new Vec3(-6, 4, 11), PhantomPicture.Centroid(labels, 7)); // index (2, 2, 3)
        Assert.True(double.IsNaN(PhantomPicture.Centroid(labels, 9).X));
    }

    [SharedDataFact]
    public void ComparisonFigureReadsTheRealCt()
    {
        using var dir = new TempDir();
        var ph = PhantomGenerator.Generate(18, Modality.CT, SynthSize.Small, FieldOfView.Abdomen);
        var path = dir.Path("cmp.png");
        ComparisonFigure.Write(path, ph, SharedData.Path("nifti", "ct-abdomen-3mm", "image.nii.gz"),
            SharedData.Path("nifti", "ct-abdomen-3mm", "labels.nii.gz"), panelHeight: 80);
        Assert.True(new FileInfo(path).Length > 1000);
    }
}
