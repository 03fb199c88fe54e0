using Streaming.Ingest.Read;
using Streaming.Ingest.Read.Archives;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Synth.Tests;

/// <summary>Every synth layout is discovered by ingest unchanged: same cases, same label pairing, same modality.</summary>
public class IngestDiscoveryTests
{
    [Theory]
    [InlineData(SynthLayout.Flare, SynthModality.Ct, ArchiveLayout.Flare)]
    [InlineData(SynthLayout.Amos, SynthModality.Mixed, ArchiveLayout.Amos)]
    [InlineData(SynthLayout.Nlst, SynthModality.Ct, ArchiveLayout.Nlst)]
    public void IngestDiscoversEveryCaseWithItsLabels(SynthLayout layout, SynthModality modality, ArchiveLayout expected)
    {
        using var dir = new TempDir();
        var report = SynthRunner.Run(new SynthOptions { OutputDir = dir.Root, Count = 5, Layout = layout, Modality = modality, Parallelism = 2 });
        var root = Path.Combine(dir.Root, layout.ToString().ToUpperInvariant());
        Assert.Equal(expected, ArchiveDiscovery.Detect(root));

        var discovery = new ArchiveDiscovery(new GdcmSeriesScanner());
        var items = discovery.Units(new ArchiveSource(ArchiveLayout.Auto, root), Modality.CT)
            .Select(discovery.Resolve).ToList();
        Assert.All(items, i => Assert.Null(i.Failure));
        Assert.All(items, i => Assert.Empty(i.Notes));
        var found = items.Select(i => i.Item!).ToList();
        Assert.Equal(report.Cases.Count, found.Count);
        foreach (var c in report.Cases)
        {
            SourceItem item = layout == SynthLayout.Nlst
                ? found.Single(f => Path.GetDirectoryName(f.Files[0]) == c.ImagePath)
                : found.Single(f => f.Files[0] == c.ImagePath);
            Assert.Equal(c.LabelPath, item.LabelPath);
            Assert.Equal(c.Modality, item.Modality);
            if (layout == SynthLayout.Nlst) Assert.Equal(c.Shape.Z, item.Files.Count);
        }
    }

    [Fact]
    public void IngestReportsTheStrayFileOfTheCorruptNlstTree()
    {
        using var dir = new TempDir();
        var report = SynthRunner.Run(new SynthOptions { OutputDir = dir.Root, Count = 1, Layout = SynthLayout.Nlst, Corrupt = true, Parallelism = 1 });
        var stray = Path.GetFullPath(Path.Combine(dir.Root, report.Faults.Single(f => f.Fault == Output.CorruptWriter.StrayFile).Path));
        var discovery = new ArchiveDiscovery(new GdcmSeriesScanner());
        var items = discovery.Units(new ArchiveSource(ArchiveLayout.Nlst, Path.Combine(dir.Root, "NLST")), Modality.CT)
            .Select(discovery.Resolve).ToList();
        Assert.Contains(items.SelectMany(i => i.Notes), n => Path.GetFullPath(n.Path) == stray);
    }
}
