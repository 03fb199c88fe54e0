using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;
using Streaming.Tests;

namespace Streaming.Synth.Tests;

public class DicomOutputTests
{
    [Theory]
    [InlineData(DicomTransferSyntax.ExplicitVrLittleEndian, -1024.0)]
    [InlineData(DicomTransferSyntax.JpegLsLossless, -1024.0)]
    [InlineData(DicomTransferSyntax.RleLossless, 0.0)]
    public void SeriesReadBackThroughGdcmWithTheSameHu(DicomTransferSyntax syntax, double intercept)
    {
        using var dir = new TempDir();
        var p = PhantomSampler.Draw(8, Modality.CT, SynthSize.Small, FieldOfView.Thorax) with { OutOfFieldValue = -2048 };
        var ph = PhantomGenerator.Generate(p);
        var files = DicomSeriesWriter.Write(dir.Path("s"), ph.Image, new DicomSeriesWriteOptions
        {
            PatientId = "100001", TransferSyntax = syntax, RescaleIntercept = intercept, SeriesDescription = "test",
        });
        Assert.Equal(ph.Image.Shape.Z, files.Count);
        var scan = DicomSeriesScanner.Scan(dir.Path("s"));
        var series = Assert.Single(scan.Series);
        var read = DicomSeriesReader.Read(series.Files).Volume;
        Assert.Equal(ph.Image.Shape, read.Shape);
        Assert.Equal(ph.Image.Geometry.Spacing.Z, read.Geometry.Spacing.Z, 1e-3);
        Assert.Equal(ph.Image.Geometry.Origin.Z, read.Geometry.Origin.Z, 1e-3);
        // Integer HU (including the -2048 padding) survive the rescale exactly.
        Assert.True(ph.Image.Data.AsSpan().SequenceEqual(read.Data));
    }
}
