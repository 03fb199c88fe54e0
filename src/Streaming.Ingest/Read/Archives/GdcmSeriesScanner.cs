using Streaming.Imaging.Formats.Dicom;

namespace Streaming.Ingest.Read.Archives;

/// <summary>Header-only series scan of one folder through GDCM, in the shape NLST discovery needs.</summary>
public sealed class GdcmSeriesScanner : ISeriesScanner
{
    public (IReadOnlyList<SeriesCandidate> Series, IReadOnlyList<(string Path, string Reason)> Skipped) Scan(string folder)
    {
        var r = DicomSeriesScanner.Scan(folder);
        var series = r.Series.Select(s => new SeriesCandidate(s.SeriesKey, folder, s.Modality, s.IsAxial, s.SliceCount, 0,
            s.SeriesDescription ?? "", s.Files)).ToList();
        return (series, r.Skipped.Select(k => (k.Path, k.Reason)).ToList());
    }
}
