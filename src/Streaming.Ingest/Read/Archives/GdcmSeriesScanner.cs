using Streaming.Imaging.Formats.Dicom;

namespace Streaming.Ingest.Read.Archives;

/// <summary>Header-only series scan of one folder through GDCM (in a worker process during ingest), in the shape discovery needs.</summary>
public sealed class GdcmSeriesScanner(IGdcmAccess gdcm, string? archiveRoot = null) : ISeriesScanner
{
    public GdcmSeriesScanner() : this(InProcessGdcm.Instance) { }

    public (IReadOnlyList<SeriesCandidate> Series, IReadOnlyList<(string Path, string Reason)> Skipped) Scan(string folder, IReadOnlyList<string> files)
    {
        var r = DicomSeriesScanner.Scan(files, gdcm, archiveRoot);
        var series = r.Series.Select(s => new SeriesCandidate(s.SeriesKey, folder, s.Modality, s.IsAxial, s.SliceCount, 0,
            s.SeriesDescription ?? "", s.Files)).ToList();
        return (series, r.Skipped.Select(k => (k.Path, k.Reason)).ToList());
    }
}
