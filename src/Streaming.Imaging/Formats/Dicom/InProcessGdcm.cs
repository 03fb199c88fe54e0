namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// GDCM in this process: what the worker host runs, and the baseline that the isolation overhead is measured against.
/// A native assertion here ends the process; ingest uses <see cref="Isolation.GdcmWorkerPool"/>.
/// </summary>
public sealed class InProcessGdcm : IGdcmAccess
{
    public static readonly InProcessGdcm Instance = new();

    public IReadOnlyList<HeaderResult> ReadHeaders(IReadOnlyList<string> paths, CancellationToken ct = default)
    {
        var results = new HeaderResult[paths.Count];
        for (var i = 0; i < paths.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            results[i] = ReadHeader(paths[i]);
        }
        return results;
    }

    public static HeaderResult ReadHeader(string path)
    {
        try { return new HeaderResult(path, DicomHeaderReader.Read(path), null); }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ApplicationException)
        {
            return new HeaderResult(path, null, e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message);
        }
    }

    public void Decode(IReadOnlyList<string> paths, Action<int, DecodedPixels> onDecoded, CancellationToken ct = default)
    {
        for (var i = 0; i < paths.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            onDecoded(i, GdcmPixelDecoder.Decode(paths[i]));
        }
    }
}
