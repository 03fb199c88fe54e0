using Streaming.Shards.Cache;
using Streaming.Shards.Specs;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Cache;

/// <summary>The consumers' view of a cache: reads what writers committed, and creates nothing, ever.</summary>
public sealed class CacheReaderTests
{
    private static string[] Tree(string root) =>
        Directory.Exists(root) ? Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray() : [];

    [Fact]
    public void Opening_a_cache_that_is_not_there_creates_nothing_and_names_folder_and_spec()
    {
        using var dir = new TempDir();
        var missingRoot = dir.Path("no-such-cache");
        var e = Assert.Throws<DirectoryNotFoundException>(() => CacheReader.Open(missingRoot, CacheTestData.Spec));
        Assert.False(Directory.Exists(missingRoot));
        Assert.Contains(Path.Combine(missingRoot, SpecHasher.Key(CacheTestData.Spec)), e.Message);
        Assert.Contains($"spec '{CacheTestData.Spec.Name}'", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        // A cache root that holds another spec's key (a wrong --spec): still nothing new under it.
        var store = CacheStore.Open(dir.Root, CacheTestData.Spec);
        CacheTestData.Put(store, "a");
        var before = Tree(dir.Root);
        var other = CacheTestData.Spec with { TargetSpacing = new(3, 3, 3) };
        Assert.Throws<DirectoryNotFoundException>(() => CacheReader.Open(dir.Root, other));
        Assert.Throws<InvalidDataException>(() => CacheReader.OpenKey(dir.Path(SpecHasher.Key(other))));
        Assert.Equal(before, Tree(dir.Root));
    }

    [Fact]
    public void A_reader_sees_the_writers_commits_and_never_adds_the_folders_a_writer_would()
    {
        using var dir = new TempDir();
        var store = CacheStore.Open(dir.Root, CacheTestData.Spec);
        var rec = CacheTestData.Put(store, "a");
        store.RecordFailure("/data/b.nii.gz", "read", "truncated");
        // A key folder copied without its failures/ folder (e.g. by a sync tool that skips empty ones).
        Directory.Delete(store.Layout.FailuresDir, recursive: true);

        var reader = CacheReader.Open(dir.Root, CacheTestData.Spec);
        Assert.Equal(store.Key, reader.Key);
        Assert.Equal([rec.Id], reader.Volumes().Select(v => v.Id));
        Assert.Equal(store.ShardPath(rec.SourceFingerprint), reader.ShardPath(rec.SourceFingerprint));
        Assert.Empty(reader.Failures());
        Assert.True(CacheVerifier.Verify(reader).Ok);
        Assert.Single(CacheInfo.List(dir.Root));
        Assert.False(Directory.Exists(store.Layout.FailuresDir));

        Assert.Equal(store.Key, CacheReader.OpenKey(store.Layout.KeyDir).Key);
        Assert.False(Directory.Exists(store.Layout.FailuresDir));
    }

    [Fact]
    public void A_reader_rejects_a_spec_json_that_differs_from_its_spec()
    {
        using var dir = new TempDir();
        var store = CacheStore.Open(dir.Root, CacheTestData.Spec);
        File.WriteAllText(store.Layout.SpecFile, SpecHasher.CanonicalJson(CacheTestData.Spec with { Name = "other" }));
        var e = Assert.Throws<InvalidDataException>(() => CacheReader.Open(dir.Root, CacheTestData.Spec));
        Assert.Contains("spec.json", e.Message);
        Assert.Throws<InvalidDataException>(() => CacheReader.OpenKey(store.Layout.KeyDir));
    }
}
