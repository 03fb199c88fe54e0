using Streaming.Ingest.Pipeline;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Read.Archives;

/// <summary>
/// Generic DICOM collections: every series in every folder below the root becomes a volume (id = dataset/relative
/// folder, plus the series key when a folder holds several). Headers are scanned while enumerating, so use it for
/// collections, not for NLST-sized trees (the NLST layout defers scans to the pipeline's parallel discovery stage).
/// </summary>
internal static class DicomFolderDiscovery
{
    public static IEnumerable<DiscoveryUnit> Units(ArchiveSource source, ISeriesScanner scanner)
    {
        var folders = Directory.EnumerateDirectories(source.Root, "*", SearchOption.AllDirectories).Prepend(source.Root)
            .Where(d => Directory.EnumerateFiles(d).Any(f => !NiftiNames.IsNifti(f)))
            .OrderBy(d => d, StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var (series, skipped) = scanner.Scan(folder);
            var rel = Path.GetRelativePath(source.Root, folder).Replace('\\', '/');
            var baseId = rel == "." ? source.DatasetName : $"{source.DatasetName}/{rel}";
            var notes = skipped.Select(s => new IngestFailure(s.Path, IngestStage.Discover, s.Reason, baseId)).ToList();
            foreach (var s in series)
            {
                var id = series.Count == 1 ? baseId : $"{baseId}/{s.SeriesInstanceUid}";
                var modality = string.Equals(s.Modality, "MR", StringComparison.OrdinalIgnoreCase) ? Modality.MR : source.Modality ?? Modality.CT;
                var item = new SourceItem(id, source.DatasetName, modality, SourceKind.DicomSeries, s.Files, series.Count == 1 ? NlstDiscovery.LabelsFor(folder) : null);
                yield return new DiscoveryUnit(id, item, null, source) { Notes = notes };
                notes = [];
            }
        }
    }
}
