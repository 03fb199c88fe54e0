using System.Text;
using Streaming.Shards.Cache;
using Streaming.Shards.Specs;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Cache;

public sealed class CacheStoreTests
{
    [Fact]
    public void OpenCreatesTheKeyFolderAndRejectsAForeignSpecJson()
    {
        using var dir = new TempDir();
        var store = CacheStore.Open(dir.Root, CacheTestData.Spec);
        var key = SpecHasher.Key(CacheTestData.Spec);
        Assert.Equal(dir.Path(key), store.Layout.KeyDir);
        Assert.Equal(SpecHasher.CanonicalJson(CacheTestData.Spec), File.ReadAllText(dir.Path(key, "spec.json")).Trim());
        Assert.True(Directory.Exists(dir.Path(key, "shards")));

        Assert.Equal(key, CacheStore.OpenExisting(dir.Path(key)).Key); // reopen from spec.json alone
        File.WriteAllText(dir.Path(key, "spec.json"), SpecHasher.CanonicalJson(CacheTestData.Spec with { Name = "other" }));
        var e = Assert.Throws<InvalidDataException>(() => CacheStore.Open(dir.Root, CacheTestData.Spec));
        Assert.Contains("spec.json", e.Message);
        Assert.Throws<InvalidDataException>(() => CacheStore.OpenExisting(dir.Path(key)));
    }

    [Fact]
    public void IsDoneNeedsBothShardAndCatalogRecord()
    {
        using var dir = new TempDir();
        var store = CacheStore.Open(dir.Root, CacheTestData.Spec);
        Assert.False(store.IsDone("a-1"));
        var rec = CacheTestData.Put(store, "a");
        Assert.Equal("a-1.arrow", rec.ShardFile);
        Assert.Equal(store.Key, rec.SpecKey);
        Assert.True(store.IsDone("a-1"));
        Assert.True(CacheStore.Open(dir.Root, CacheTestData.Spec).IsDone("a-1")); // another process sees it

        File.Delete(store.ShardPath("a-1"));
        Assert.False(store.IsDone("a-1"));

        File.WriteAllBytes(store.ShardPath("b-1"), [1]); // shard without a record
        Assert.False(store.IsDone("b-1"));
    }

    [Fact]
    public void CatalogViewIsTheUnionOfPartitionsLatestRecordWins()
    {
        using var dir = new TempDir();
        var p0 = CacheStore.Open(dir.Root, CacheTestData.Spec, "part-0000-of-0002");
        var p1 = CacheStore.Open(dir.Root, CacheTestData.Spec, "part-0001-of-0002");
        CacheTestData.Put(p0, "a");
        CacheTestData.Put(p0, "b");
        CacheTestData.Put(p1, "c");
        var newer = CacheTestData.Put(p1, "a", seed: 2); // "a" re-cached after its source changed

        var all = CacheStore.Open(dir.Root, CacheTestData.Spec).Volumes();
        Assert.Equal(["a", "b", "c"], all.Select(r => r.Id));
        Assert.Equal("a-2", all[0].SourceFingerprint);
        Assert.Equal(newer.CreatedUtc, all[0].CreatedUtc);
        Assert.Equal(2, File.ReadAllLines(p0.Layout.CatalogPath("part-0000-of-0002")).Length);

        Assert.False(p0.IsDone("c-1")); // p0's view predates p1's commits...
        p0.Refresh();
        Assert.True(p0.IsDone("c-1")); // ...until refreshed
        Assert.False(p0.IsDone("a-1")); // superseded

        var merged = p0.MergeCatalogs();
        Assert.Equal(3, File.ReadAllLines(merged).Length);
        CacheTestData.Put(p1, "d"); // a worker keeps appending after the merge
        Assert.Equal(["a", "b", "c", "d"], p0.Volumes().Select(r => r.Id));
        Assert.Equal("a-2", p0.Volumes()[0].SourceFingerprint);
    }

    [Fact]
    public void TornLastLineIsIgnoredAndRepairedByTheNextCommit()
    {
        using var dir = new TempDir();
        var store = CacheStore.Open(dir.Root, CacheTestData.Spec, "part-0000-of-0001");
        CacheTestData.Put(store, "a");
        var catalog = store.Layout.CatalogPath("part-0000-of-0001");
        File.AppendAllText(catalog, "{\"id\":\"torn\",\"dataset\":\"un"); // a kill mid-append

        Assert.Equal(["a"], store.Volumes().Select(r => r.Id));
        CacheTestData.Put(store, "b");
        var lines = File.ReadAllLines(catalog);
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain("torn", File.ReadAllText(catalog));
        Assert.Equal(["a", "b"], store.Volumes().Select(r => r.Id));
    }

    [Fact]
    public void MalformedCompleteLineIsReportedByFileAndLineAndTheRestIsRead()
    {
        using var dir = new TempDir();
        var store = CacheStore.Open(dir.Root, CacheTestData.Spec);
        CacheTestData.Put(store, "a");
        var catalog = store.Layout.CatalogPath("all");
        File.AppendAllText(catalog, "not json\n");
        CacheTestData.Put(store, "b");
        Assert.Equal(["a", "b"], store.Volumes().Select(r => r.Id));
        var problem = Assert.Single(store.Catalog.Problems);
        Assert.Equal((catalog, 2), (problem.File, problem.Line));
        Assert.Contains(catalog + ":2", problem.ToString());
    }

    [Fact]
    public void FailuresAreRecordedPerPartitionAndListedTogether()
    {
        using var dir = new TempDir();
        var p0 = CacheStore.Open(dir.Root, CacheTestData.Spec, "w0");
        var p1 = CacheStore.Open(dir.Root, CacheTestData.Spec, "w1");
        p0.RecordFailure("/data/x.nii.gz", "read", "truncated gzip\nstream", "ds/x");
        p1.RecordFailure("/data/y", "preprocess", "body smaller than 50 mL");
        var f = p0.Failures();
        Assert.Equal(2, f.Count);
        Assert.Equal(new[] { "/data/x.nii.gz", "/data/y" }, f.Select(x => x.File));
        Assert.Equal("read", f[0].Stage);
        Assert.Equal("truncated gzip stream", f[0].Reason);
        Assert.Equal("ds/x", f[0].Id);
        Assert.True(File.Exists(p1.Layout.FailuresPath("w1")));
    }

    [Fact]
    public void CommitChecksTheShard()
    {
        using var dir = new TempDir();
        var store = CacheStore.Open(dir.Root, CacheTestData.Spec);
        var rec = CacheTestData.Put(store, "a");
        Assert.Throws<ArgumentException>(() => store.Commit(rec with { SpecKey = "ffffffffffffffff" }));
        Assert.Throws<InvalidDataException>(() => store.Commit(rec with { ShardBytes = rec.ShardBytes + 1 }));
        Assert.Throws<ArgumentException>(() => CacheStore.Open(dir.Root, CacheTestData.Spec, "merged"));
        Assert.Throws<ArgumentException>(() => CacheStore.Open(dir.Root, CacheTestData.Spec, "../x"));
        Assert.Equal("part-0003-of-0016", CacheLayout.PartitionName(3, 16));
    }
}
