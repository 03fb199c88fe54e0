using Streaming.Ingest.Pipeline;
using Streaming.Imaging.Files;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Read.Archives;

/// <summary>
/// NLST-style DICOM trees: ROOT/patient/study/series/*.dcm. One volume per patient: the axial CT series with the most
/// slices, at least <see cref="MinSlices"/> (ties: lowest series number, then UID), so localizers and thick
/// reconstructions are passed over. Labels of a series: "SERIESFOLDER.labels.nii.gz" beside the series folder, or
/// "labels.nii.gz" in its parent when the parent holds that one series only.
/// </summary>
public static class NlstDiscovery
{
    public const int MinSlices = 32;

    public static IEnumerable<DiscoveryUnit> Units(ArchiveSource source) => Units(source, new ArchiveWalker());

    internal static IEnumerable<DiscoveryUnit> Units(ArchiveSource source, ArchiveWalker walker) =>
        ArchiveWalker.Subfolders(source.Root)
            .Select(d => Path.GetFileName(d))
            .Where(n => !n.StartsWith('.'))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new DiscoveryUnit($"{source.DatasetName}/{RawPath.Display(n)}", null, Path.Combine(source.Root, n), source) { Walker = walker });

    public static DiscoveredItem Resolve(DiscoveryUnit unit, ISeriesScanner scanner)
    {
        var patientFolder = unit.PatientFolder ?? throw new ArgumentException("not an NLST unit");
        var candidates = new List<SeriesCandidate>();
        var problems = new List<WalkProblem>();
        var walker = unit.Walker ?? new ArchiveWalker();
        foreach (var listing in walker.Tree(patientFolder, problems).Where(l => l.Files.Any(f => !NiftiNames.IsNifti(f))).OrderBy(l => l.Folder, StringComparer.Ordinal))
        {
            var (series, skipped) = scanner.Scan(listing.Folder, listing.Files.Where(f => !NiftiNames.IsNifti(f) && !IsLabelFile(f)).ToList());
            candidates.AddRange(series);
            problems.AddRange(skipped.Select(s => new WalkProblem(RawPath.Display(s.Path), s.Reason, false)));
        }
        var (failures, notes) = WalkFindings.Split(problems, unit.Key);
        var chosen = Choose(candidates);
        if (chosen is null)
        {
            var found = candidates.Count == 0 ? "no DICOM series" :
                string.Join("; ", candidates.Select(c => $"{Path.GetFileName(c.Folder)}: {c.Modality ?? "?"} {(c.IsAxial ? "axial" : "non-axial")} {c.SliceCount} slices"));
            return new DiscoveredItem(null, new IngestFailure(RawPath.Display(patientFolder), IngestStage.Discover,
                $"no axial CT series with at least {MinSlices} slices ({found})", unit.Key), notes)
            { MoreFailures = failures };
        }
        var item = new SourceItem(unit.Key, unit.Source.DatasetName, Modality.CT, SourceKind.DicomSeries, chosen.Files, LabelsFor(chosen.Folder));
        return DiscoveredItem.Of(item, notes) with { MoreFailures = failures };
    }

    /// <summary>The series to ingest, or null when none qualifies.</summary>
    public static SeriesCandidate? Choose(IEnumerable<SeriesCandidate> candidates) =>
        candidates
            .Where(c => c.IsAxial && c.SliceCount >= MinSlices && string.Equals(c.Modality ?? "CT", "CT", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(c => c.SliceCount)
            .ThenBy(c => c.SeriesNumber)
            .ThenBy(c => c.SeriesInstanceUid, StringComparer.Ordinal)
            .FirstOrDefault();

    private static bool IsLabelFile(string f) => f.EndsWith(".labels.nii.gz", StringComparison.Ordinal);

    internal static string? LabelsFor(string seriesFolder)
    {
        var trimmed = seriesFolder.TrimEnd(Path.DirectorySeparatorChar);
        var beside = trimmed + ".labels.nii.gz";
        if (RawPath.Exists(beside)) return beside;
        var parent = Path.GetDirectoryName(trimmed)!;
        var shared = Path.Combine(parent, "labels.nii.gz");
        return RawPath.Exists(shared) && ArchiveWalker.Subfolders(parent).Count == 1 ? shared : null;
    }
}
