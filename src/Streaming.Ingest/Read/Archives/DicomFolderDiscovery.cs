using System.Security.Cryptography;
using System.Text;
using Streaming.Imaging.Files;
using Streaming.Imaging.Volumes;
using Streaming.Ingest.Pipeline;

namespace Streaming.Ingest.Read.Archives;

/// <summary>
/// Generic DICOM collections: every series in every folder below the root becomes a volume (id = dataset/relative
/// folder, plus the series UID when a folder holds several, or for a series without a SeriesInstanceUID a short hash of
/// its number, description and size: never an absolute path, so the same archive mounted elsewhere keeps its ids).
/// Headers are scanned while enumerating, so use it for collections, not for NLST-sized trees (the NLST layout defers
/// scans to the pipeline's parallel discovery stage).
/// </summary>
internal static class DicomFolderDiscovery
{
    public static IEnumerable<DiscoveryUnit> Units(ArchiveSource source, ISeriesScanner scanner, ArchiveWalker walker, List<WalkProblem> problems)
    {
        foreach (var listing in walker.Tree(source.Root, problems).OrderBy(l => l.Folder, StringComparer.Ordinal).ToList())
        {
            var files = listing.Files.Where(f => !NiftiNames.IsNifti(f)).ToList();
            if (files.Count == 0) continue;
            var (series, skipped) = scanner.Scan(listing.Folder, files);
            var rel = RawPath.Display(Path.GetRelativePath(source.Root, listing.Folder).Replace('\\', '/'));
            var baseId = rel == "." ? source.DatasetName : $"{source.DatasetName}/{rel}";
            problems.AddRange(skipped.Select(s => new WalkProblem(RawPath.Display(s.Path), s.Reason, false)));
            foreach (var s in series)
            {
                var id = series.Count == 1 ? baseId : $"{baseId}/{SeriesName(s)}";
                var modality = string.Equals(s.Modality, "MR", StringComparison.OrdinalIgnoreCase) ? Modality.MR : source.Modality ?? Modality.CT;
                var item = new SourceItem(id, source.DatasetName, modality, SourceKind.DicomSeries, s.Files, series.Count == 1 ? NlstDiscovery.LabelsFor(listing.Folder) : null);
                yield return new DiscoveryUnit(id, item, null, source);
            }
        }
    }

    private static string SeriesName(SeriesCandidate s) =>
        !s.SeriesInstanceUid.StartsWith("no-SeriesInstanceUID:", StringComparison.Ordinal) ? s.SeriesInstanceUid
            : "series-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s.SeriesInstanceUid)))[..12];
}
