namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Every call into GDCM that ingest makes, batched per folder or series: header reads (discovery, grouping, ordering)
/// and pixel decoding. <see cref="InProcessGdcm"/> calls GDCM directly; <see cref="Isolation.GdcmWorkerPool"/> runs the same calls
/// in a child process, so an assertion in GDCM (SIGABRT) costs one file or one series instead of the run.
/// </summary>
public interface IGdcmAccess
{
    /// <summary>One result per path, in order: the header, or why the file is not usable (including a native crash).</summary>
    IReadOnlyList<HeaderResult> ReadHeaders(IReadOnlyList<string> paths, CancellationToken ct = default);

    /// <summary>
    /// Decodes the files in order and hands each to <paramref name="onDecoded"/> (index, pixels) as soon as it is
    /// decoded, so only one file's pixels are in flight. Throws <see cref="InvalidDataException"/> naming the file for
    /// bad data, <see cref="GdcmCrashException"/> when the decoder died on a file.
    /// </summary>
    void Decode(IReadOnlyList<string> paths, Action<int, DecodedPixels> onDecoded, CancellationToken ct = default);
}

/// <summary>A header, or the reason a file was not usable (Error non-null), for one path.</summary>
public sealed record HeaderResult(string Path, DicomHeader? Header, string? Error)
{
    public bool Ok => Header is not null;
}

/// <summary>
/// The GDCM decoder died (a native assertion or fault) while working on <see cref="File"/>; the signal says how.
/// An <see cref="IOException"/> (never retried: GDCM asserts again on the same bytes) that the pipeline records against the input.
/// </summary>
public sealed class GdcmCrashException(string file, int signal, string detail, string consequence = "the file was skipped")
    : IOException($"{file}: the DICOM decoder (GDCM) crashed on this file with {SignalName(signal)}{(detail.Length > 0 ? $" ({detail})" : "")}; {consequence}")
{
    public string File { get; } = file;
    public int Signal { get; } = signal;

    public static string SignalName(int signal) => signal switch
    {
        6 => "SIGABRT (signal 6)",
        11 => "SIGSEGV (signal 11)",
        7 => "SIGBUS (signal 7)",
        8 => "SIGFPE (signal 8)",
        9 => "SIGKILL (signal 9)",
        4 => "SIGILL (signal 4)",
        0 => "an unexpected exit",
        _ => $"signal {signal}",
    };
}
