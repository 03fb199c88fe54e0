namespace Streaming.Shards.Cache;

/// <summary>Checks a cache root before any work starts, so a wrong --cache is one clear line instead of a failure per volume.</summary>
public static class CacheRootCheck
{
    public static void EnsureWritable(string cacheRoot)
    {
        if (string.IsNullOrWhiteSpace(cacheRoot)) throw new ArgumentException("--cache is empty");
        if (File.Exists(cacheRoot))
            throw new ArgumentException($"cache root {cacheRoot} is a file, not a folder; pass --cache with a folder (it is created if missing)");
        try
        {
            Directory.CreateDirectory(cacheRoot);
            var probe = Path.Combine(cacheRoot, $".write-test-{Environment.ProcessId}-{Guid.NewGuid():N}{CacheLayout.TempExtension}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UnauthorizedAccessException($"cache root {cacheRoot} is not writable ({e.Message}); pass --cache with a folder you can write to", e);
        }
    }
}
