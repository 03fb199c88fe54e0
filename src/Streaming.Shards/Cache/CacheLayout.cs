using System.Text.RegularExpressions;
using Streaming.Shards.Format;

namespace Streaming.Shards.Cache;

/// <summary>
/// Where things live in a cache: <c>&lt;root&gt;/&lt;key&gt;/spec.json</c> (canonical spec), <c>shards/&lt;fingerprint&gt;.arrow</c>,
/// <c>catalog/&lt;partition&gt;.jsonl</c> (one VolumeRecord per line), <c>failures/&lt;partition&gt;.jsonl</c>, and
/// <c>catalog/merged.jsonl</c> written by <see cref="CacheStore.MergeCatalogs"/>.
/// </summary>
public sealed partial record CacheLayout(string Root, string Key)
{
    public const string AllPartition = "all";
    public const string MergedName = "merged";
    public const string LinesExtension = ".jsonl";
    public const string TempExtension = ".tmp";

    public string KeyDir => Path.Combine(Root, Key);
    public string SpecFile => Path.Combine(KeyDir, "spec.json");
    public string ShardsDir => Path.Combine(KeyDir, "shards");
    public string CatalogDir => Path.Combine(KeyDir, "catalog");
    public string FailuresDir => Path.Combine(KeyDir, "failures");
    public string MergedCatalogPath => Path.Combine(CatalogDir, MergedName + LinesExtension);

    public string ShardFileName(string fingerprint) => fingerprint + ShardFormat.FileExtension;
    public string ShardPath(string fingerprint) => Path.Combine(ShardsDir, ShardFileName(fingerprint));
    public string CatalogPath(string partition) => Path.Combine(CatalogDir, CheckPartition(partition) + LinesExtension);
    public string FailuresPath(string partition) => Path.Combine(FailuresDir, CheckPartition(partition) + LinesExtension);

    /// <summary>The partition name of worker <paramref name="index"/> of <paramref name="count"/>: part-0003-of-0016.</summary>
    public static string PartitionName(int index, int count)
    {
        if (count < 1 || index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), $"partition {index} of {count} is not valid");
        return $"part-{index:D4}-of-{count:D4}";
    }

    /// <summary>The layout of an existing key folder (its parent is the cache root).</summary>
    public static CacheLayout FromKeyDir(string keyDir)
    {
        var full = Path.GetFullPath(keyDir).TrimEnd(Path.DirectorySeparatorChar);
        return new CacheLayout(Path.GetDirectoryName(full) ?? full, Path.GetFileName(full));
    }

    public static string CheckPartition(string partition)
    {
        if (string.IsNullOrEmpty(partition) || !PartitionPattern().IsMatch(partition) || partition == MergedName)
            throw new ArgumentException($"partition name '{partition}' must be letters, digits, '.', '_' or '-' and not '{MergedName}'");
        return partition;
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]*$")]
    private static partial Regex PartitionPattern();
}
