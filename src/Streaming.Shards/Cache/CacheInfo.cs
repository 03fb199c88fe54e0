using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Cache;

/// <summary>
/// One key folder as listed by <c>cache ls</c>: Failures = inputs whose latest state is failed (not failure log lines);
/// Error is set (and counts are 0) when it cannot be read.
/// </summary>
public sealed record CacheKeyInfo(string Key, string Path, string SpecName, Modality? Modality, int Volumes, int Failures, long Bytes, string? Error = null)
{
    public int CatalogProblems { get; init; }
}

public static class CacheInfo
{
    /// <summary>Every folder under <paramref name="cacheRoot"/> holding a spec.json, by key.</summary>
    public static IReadOnlyList<CacheKeyInfo> List(string cacheRoot)
    {
        if (!Directory.Exists(cacheRoot)) return [];
        var result = new List<CacheKeyInfo>();
        foreach (var dir in Directory.GetDirectories(cacheRoot).Order(StringComparer.Ordinal))
        {
            var layout = CacheLayout.FromKeyDir(dir);
            if (!File.Exists(layout.SpecFile)) continue;
            long bytes = 0;
            try
            {
                bytes = new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
                var spec = SpecHasher.Parse(File.ReadAllText(layout.SpecFile), layout.SpecFile);
                var store = CacheReader.OpenKey(dir);
                result.Add(new CacheKeyInfo(layout.Key, layout.KeyDir, spec.Name, spec.Modality, store.Catalog.Count,
                    store.CurrentFailures().Count, bytes)
                { CatalogProblems = store.Catalog.Problems.Count });
            }
            catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                result.Add(new CacheKeyInfo(layout.Key, layout.KeyDir, "?", null, 0, 0, bytes, e.Message));
            }
        }
        return result;
    }
}
