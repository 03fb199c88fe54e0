using Streaming.Shards.Cache;
using Streaming.Shards.Tests.Format;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Cache;

public sealed class CacheMaintenanceTests
{
    [Fact]
    public void VerifyFindsTheCorruptChunkAndTheMissingShard()
    {
        using var dir = new TempDir();
        var store = CacheStore.Open(dir.Root, CacheTestData.Spec);
        var a = CacheTestData.Put(store, "a");
        var b = CacheTestData.Put(store, "b");
        CacheTestData.Put(store, "c");
        Assert.True(CacheVerifier.Verify(store).Ok);

        var o = a.ChunkOffsets!;
        ShardCorruptionTests.FlipByte(store.ShardPath(a.SourceFingerprint), o[3] + (o[4] - o[3]) / 2);
        File.Delete(store.ShardPath(b.SourceFingerprint));

        var report = CacheVerifier.Verify(store);
        Assert.False(report.Ok);
        Assert.Equal(3, report.Volumes);
        Assert.Equal(16, report.ChunksChecked); // a and c, 8 chunks each
        var bad = Assert.Single(report.Corrupt);
        Assert.Equal(store.ShardPath(a.SourceFingerprint), bad.File);
        Assert.Equal(3, bad.Chunk);
        Assert.Equal([store.ShardPath(b.SourceFingerprint)], report.MissingShards);
    }

    [Fact]
    public void GcRemovesOrphansAndTempFilesButNotReferencedShards()
    {
        using var dir = new TempDir();
        var store = CacheStore.Open(dir.Root, CacheTestData.Spec);
        var kept = CacheTestData.Put(store, "a");
        CacheTestData.Put(store, "b", seed: 1);
        CacheTestData.Put(store, "b", seed: 2); // supersedes b-1
        var orphan = store.ShardPath("zz-orphan");
        File.WriteAllBytes(orphan, new byte[100]);
        var tmp = Path.Combine(store.Layout.ShardsDir, "x.arrow.123.tmp");
        File.WriteAllBytes(tmp, new byte[7]);
        var superseded = store.ShardPath("b-1");
        var expected = new[] { superseded, tmp, orphan }.Order(StringComparer.Ordinal).ToArray();
        var expectedBytes = 107 + new FileInfo(superseded).Length;

        var young = CacheGc.Collect(store, dryRun: false); // default min age keeps fresh files
        Assert.Empty(young.Removed);

        var dry = CacheGc.Collect(store, dryRun: true, minAge: TimeSpan.Zero);
        Assert.Equal(expected, dry.Removed);
        Assert.Equal(expectedBytes, dry.BytesFreed);
        Assert.True(File.Exists(orphan) && File.Exists(tmp));

        var real = CacheGc.Collect(store, dryRun: false, minAge: TimeSpan.Zero);
        Assert.Equal(expected, real.Removed);
        Assert.Equal(expectedBytes, real.BytesFreed);
        Assert.False(File.Exists(orphan) || File.Exists(tmp) || File.Exists(superseded));
        Assert.True(File.Exists(store.ShardPath(kept.SourceFingerprint)));
        Assert.True(File.Exists(store.ShardPath("b-2")));
        Assert.True(CacheVerifier.Verify(store).Ok);
    }

    [Fact]
    public void InfoListsEachKeyWithCounts()
    {
        using var dir = new TempDir();
        var store = CacheStore.Open(dir.Root, CacheTestData.Spec);
        CacheTestData.Put(store, "a");
        CacheTestData.Put(store, "b");
        store.RecordFailure("/data/c", "read", "bad header");
        var other = CacheStore.Open(dir.Root, CacheTestData.Spec with { Name = "mr-ish" });
        Directory.CreateDirectory(dir.Path("not-a-cache"));

        var list = CacheInfo.List(dir.Root);
        Assert.Equal(2, list.Count);
        var info = list.Single(i => i.Key == store.Key);
        Assert.Equal("ct", info.SpecName);
        Assert.Equal(2, info.Volumes);
        Assert.Equal(1, info.Failures);
        Assert.Equal(new DirectoryInfo(store.Layout.KeyDir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length), info.Bytes);
        Assert.Null(info.Error);
        Assert.Equal(0, list.Single(i => i.Key == other.Key).Volumes);
    }
}
