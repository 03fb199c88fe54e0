using System.Text.Json;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Synth.Output;
using Streaming.Tests;

namespace Streaming.Synth.Tests;

public class CorruptTests
{
    [Theory]
    [InlineData(SynthLayout.Flare)]
    [InlineData(SynthLayout.Amos)]
    public void NiftiFaultsAreWrittenListedAndRejectedByTheReader(SynthLayout layout)
    {
        using var dir = new TempDir();
        var report = SynthRunner.Run(new SynthOptions { OutputDir = dir.Root, Count = 1, Layout = layout, Corrupt = true, Parallelism = 1 });
        var manifest = Manifest(report.ManifestPath!);
        Assert.Equal(CorruptWriter.NiftiFaults.Order(), manifest.Select(m => m.Fault).Order());
        Assert.Equal(report.Faults.Select(f => (f.Path, f.Fault)), manifest);
        foreach (var (path, fault) in manifest)
        {
            var full = Path.Combine(dir.Root, path);
            Assert.True(File.Exists(full), path);
            Assert.Contains("corrupt-" + fault, Path.GetFileName(path));
            var e = Assert.ThrowsAny<Exception>(() => NiftiReader.Read(full));
            Assert.True(e is InvalidDataException or EndOfStreamException, $"{fault}: {e.GetType().Name}: {e.Message}");
        }
        // The good case is still readable beside them.
        NiftiReader.Read(report.Cases[0].ImagePath);
    }

    [Fact]
    public void DicomFaultsAreWrittenListedAndVisibleToTheScannerAndReader()
    {
        using var dir = new TempDir();
        var report = SynthRunner.Run(new SynthOptions { OutputDir = dir.Root, Count = 1, Layout = SynthLayout.Nlst, Corrupt = true, Parallelism = 1 });
        var manifest = Manifest(report.ManifestPath!).ToDictionary(m => m.Fault, m => Path.Combine(dir.Root, m.Path));
        Assert.Equal(CorruptWriter.DicomFaults.Order(), manifest.Keys.Order());

        // Missing middle slice: the reader sees the gap in positions.
        var missing = Assert.Single(DicomSeriesScanner.Scan(manifest[CorruptWriter.MissingSlice]).Series);
        Assert.Throws<InvalidDataException>(() => DicomSeriesReader.Read(missing.Files));

        // Mixed series: two series UIDs in one folder.
        Assert.Equal(2, DicomSeriesScanner.Scan(manifest[CorruptWriter.MixedSeries]).Series.Count);

        // Stray file: skipped by the scanner, which names it; the series itself stays readable.
        var stray = manifest[CorruptWriter.StrayFile];
        var scan = DicomSeriesScanner.Scan(Path.GetDirectoryName(stray)!);
        Assert.Contains(scan.Skipped, s => Path.GetFullPath(s.Path) == Path.GetFullPath(stray));
        DicomSeriesReader.Read(Assert.Single(scan.Series).Files);
    }

    private static List<(string Path, string Fault)> Manifest(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("faults").EnumerateArray()
            .Select(f => (f.GetProperty("path").GetString()!, f.GetProperty("fault").GetString()!)).ToList();
    }
}
