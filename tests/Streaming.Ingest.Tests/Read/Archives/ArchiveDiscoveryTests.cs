using Streaming.Ingest.Read;
using Streaming.Ingest.Read.Archives;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Ingest.Tests.Read.Archives;

public class ArchiveDiscoveryTests
{
    private sealed class FolderNameScanner : ISeriesScanner
    {
        // Folder names encode the series: "<uid>-<modality>-<axial|sag>-<slices>".
        public (IReadOnlyList<SeriesCandidate>, IReadOnlyList<(string, string)>) Scan(string folder, IReadOnlyList<string> all)
        {
            var p = Path.GetFileName(folder).Split('-');
            if (p.Length != 4) return ([], []);
            var files = all.Where(f => f.EndsWith(".dcm")).ToList();
            var skipped = all.Where(f => f.EndsWith(".txt")).Select(f => (f, "not a DICOM file")).ToList();
            return ([new SeriesCandidate(p[0], folder, p[1], p[2] == "axial", int.Parse(p[3]), 1, "", files)], skipped);
        }
    }

    /// <summary>An empty file; .dcm files get the DICOM preamble ("DICM" at byte 128) that layout detection looks for.</summary>
    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, path.EndsWith(".dcm") ? [.. new byte[128], .. "DICM"u8.ToArray()] : "x"u8.ToArray());
    }

    [Fact]
    public void Flare_layout_pairs_images_with_labels_and_finds_unlabeled()
    {
        using var t = new TempDir();
        var root = t.Path("FLARE");
        Touch(Path.Combine(root, "imagesTr", "FLARE_Tr_0001_0000.nii.gz"));
        Touch(Path.Combine(root, "labelsTr", "FLARE_Tr_0001.nii.gz"));
        Touch(Path.Combine(root, "imagesTr", "FLARE_Tr_0002_0000.nii.gz"));
        Touch(Path.Combine(root, "unlabeled", "FLARE_Un_0001_0000.nii.gz"));
        Assert.Equal(ArchiveLayout.Flare, ArchiveDiscovery.Detect(root));
        var d = new ArchiveDiscovery(new FolderNameScanner());
        var items = d.Units(ArchiveSource.Parse("flare=" + root), Modality.CT).Select(u => d.Resolve(u).Item!).ToList();
        Assert.Equal(["FLARE/FLARE_Tr_0001", "FLARE/FLARE_Tr_0002", "FLARE/FLARE_Un_0001"], items.Select(i => i.Id));
        Assert.EndsWith("labelsTr/FLARE_Tr_0001.nii.gz", items[0].LabelPath);
        Assert.Null(items[1].LabelPath);
        Assert.All(items, i => Assert.Equal(Modality.CT, i.Modality));
    }

    [Fact]
    public void Amos_ids_from_500_are_mri()
    {
        using var t = new TempDir();
        var root = t.Path("AMOS");
        Touch(Path.Combine(root, "imagesTr", "amos_0001.nii.gz"));
        Touch(Path.Combine(root, "imagesTr", "amos_0507.nii.gz"));
        Touch(Path.Combine(root, "labelsTr", "amos_0507.nii.gz"));
        Touch(Path.Combine(root, "imagesTs", "amos_0600.nii.gz"));
        Assert.Equal(ArchiveLayout.Amos, ArchiveDiscovery.Detect(root));
        var d = new ArchiveDiscovery(new FolderNameScanner());
        var items = d.Units(new ArchiveSource(ArchiveLayout.Auto, root), Modality.CT).Select(u => d.Resolve(u).Item!).ToDictionary(i => i.Id);
        Assert.Equal(Modality.CT, items["AMOS/amos_0001"].Modality);
        Assert.Equal(Modality.MR, items["AMOS/amos_0507"].Modality);
        Assert.NotNull(items["AMOS/amos_0507"].LabelPath);
        Assert.Null(items["AMOS/amos_0600"].LabelPath);
    }

    [Fact]
    public void Nlst_chooses_the_axial_ct_series_with_most_slices_and_reports_patients_without_one()
    {
        using var t = new TempDir();
        var root = t.Path("NLST");
        Touch(Path.Combine(root, "100001", "study1", "1.1-CT-axial-120", "a.dcm"));
        Touch(Path.Combine(root, "100001", "study1", "1.2-CT-axial-240", "a.dcm"));
        Touch(Path.Combine(root, "100001", "study1", "1.2-CT-axial-240", "notes.txt"));
        Touch(Path.Combine(root, "100001", "study1", "1.2-CT-axial-240.labels.nii.gz"));
        Touch(Path.Combine(root, "100001", "study1", "1.3-CT-sag-400", "a.dcm"));
        Touch(Path.Combine(root, "100002", "study1", "2.1-CT-axial-12", "a.dcm"));
        Touch(Path.Combine(root, "100002", "study1", "2.2-MR-axial-300", "a.dcm"));
        Assert.Equal(ArchiveLayout.Nlst, ArchiveDiscovery.Detect(root));
        var d = new ArchiveDiscovery(new FolderNameScanner());
        var found = d.Units(ArchiveSource.Parse("nlst=" + root), Modality.CT).Select(d.Resolve).ToList();
        var ok = found[0].Item!;
        Assert.Equal("NLST/100001", ok.Id);
        Assert.Equal(SourceKind.DicomSeries, ok.Kind);
        Assert.Contains("1.2-CT-axial-240", ok.Files[0]);
        Assert.EndsWith("1.2-CT-axial-240.labels.nii.gz", ok.LabelPath);
        Assert.Contains(found[0].Notes, n => n.Path.EndsWith("notes.txt") && n.Reason == "not a DICOM file");
        Assert.Null(found[1].Item);
        Assert.Contains("no axial CT series with at least 32 slices", found[1].Failure!.Reason);
        Assert.Contains("12 slices", found[1].Failure!.Reason);
    }

    [Fact]
    public void Glob_takes_matching_files_with_ids_from_relative_paths()
    {
        using var t = new TempDir();
        Touch(t.Path("a", "x.nii.gz"));
        Touch(t.Path("a", "x.labels.nii.gz"));
        Touch(t.Path("b", "y.nii"));
        Touch(t.Path("b", "z.txt"));
        var src = ArchiveSource.Parse($"glob:mine={t.Root}/**/*.nii*");
        Assert.Equal(t.Root, src.Root);
        var d = new ArchiveDiscovery(new FolderNameScanner());
        var items = d.Units(src, Modality.MR).Select(u => d.Resolve(u).Item!).ToList();
        Assert.Equal(["mine/a/x", "mine/b/y"], items.Select(i => i.Id));
        Assert.EndsWith("x.labels.nii.gz", items[0].LabelPath);
        Assert.All(items, i => Assert.Equal(Modality.MR, i.Modality));
    }

    [SharedDataFact]
    public void Dicom_collections_are_detected_by_file_content_not_names()
    {
        // ct-abdomen-j2k/series holds files named CT.<uid> (no .dcm) beside a labels.nii.gz.
        Assert.Equal(ArchiveLayout.Dicom, ArchiveDiscovery.Detect(SharedData.Path("dicom", "ct-abdomen-j2k")));
        Assert.Equal(ArchiveLayout.Dicom, ArchiveDiscovery.Detect(SharedData.Path("dicom")));
        Assert.Equal(ArchiveLayout.Glob, ArchiveDiscovery.Detect(SharedData.Path("nifti")));
    }

    [Fact]
    public void Unknown_layout_is_a_clear_error() =>
        Assert.Contains("unknown layout 'flair'", Assert.Throws<ArgumentException>(() => ArchiveSource.Parse("flair=/x")).Message);
}
