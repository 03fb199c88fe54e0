using Streaming.Imaging.Files;
using Streaming.Ingest.Read;
using Streaming.Ingest.Read.Archives;
using Streaming.Shards.Cache;
using Streaming.Shards.Format;

namespace Streaming.Ingest.Pipeline;

/// <summary>
/// <c>cache verify --repair</c>: re-ingests every volume whose shard verify found corrupt or missing, from the source
/// files the catalog records, with the key folder's own spec. A source that is gone (or changed so much that it no
/// longer reads) is reported as a failure like in any ingest; the damaged shard then stays reported by verify.
/// </summary>
public static class CacheRepair
{
    public static async Task<IngestSummary> RepairAsync(CacheStore store, VerifyReport report, int workers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(report);
        var items = report.Damaged.Select(ItemFor).ToList();
        var options = new IngestOptions
        {
            Sources = [],
            CacheRoot = store.Layout.Root,
            Spec = store.Spec,
            Pipeline = new IngestPipelineOptions { Workers = Math.Max(1, workers), Partition = Partition.All },
        };
        return await IngestRunner.RunItemsAsync(options, items, null, ct);
    }

    /// <summary>The source item a record was made from (NIfTI when it has one .nii/.nii.gz file, else a DICOM series).</summary>
    public static SourceItem ItemFor(VolumeRecord r)
    {
        var files = r.SourcePaths.Select(RawPath.FromDisplay).ToList();
        var kind = files.Count == 1 && NiftiNames.IsNifti(files[0]) ? SourceKind.Nifti : SourceKind.DicomSeries;
        return new SourceItem(r.Id, r.Dataset, r.Modality, kind, files, r.LabelPath is { } l ? RawPath.FromDisplay(l) : null);
    }
}
