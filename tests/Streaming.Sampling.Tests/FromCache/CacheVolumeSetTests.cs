using Streaming.Sampling.FromCache;
using Streaming.Tests;

namespace Streaming.Sampling.Tests.FromCache;

public class CacheVolumeSetTests
{
    [Fact]
    public void Opening_the_cache_of_a_spec_never_ingested_creates_nothing_and_says_so_in_one_line()
    {
        using var t = new TempDir();
        var spec = Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-demo-3mm.yaml");
        var e = Assert.Throws<DirectoryNotFoundException>(() => CacheVolumeSet.Open(t.Path("cache"), spec));
        Assert.False(Directory.Exists(t.Path("cache")));
        Assert.Contains("no cache for spec 'ct-demo-3mm'", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        Directory.CreateDirectory(t.Path("cache"));
        Assert.Throws<DirectoryNotFoundException>(() => CacheVolumeSet.Open(t.Path("cache"), spec));
        Assert.Empty(Directory.GetFileSystemEntries(t.Path("cache")));
    }
}
