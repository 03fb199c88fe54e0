namespace Streaming.Ingest.Pipeline;

/// <summary>Recognises "no space left on device" (ENOSPC, and EDQUOT: quota exceeded) behind .NET's IOException.</summary>
public static class DiskFull
{
    private const int Enospc = 28, Edquot = 122;

    public static bool Is(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is IOException io && (io.HResult is Enospc or Edquot || Is(io.Message))) return true;
        return false;
    }

    public static bool Is(string reason) =>
        reason.Contains("No space left on device", StringComparison.OrdinalIgnoreCase) || reason.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase);

    public static string Reason(Exception e) => $"no space left on device while writing ({e.Message})";

    public static string Message(int times, string last) =>
        $"disk full: {times} writes in a row failed with \"no space left on device\"; stopped. Free space in the cache folder " +
        $"(e.g. `streaming cache gc`) and run the same command again: what is cached is kept. Last error: {last}";
}
