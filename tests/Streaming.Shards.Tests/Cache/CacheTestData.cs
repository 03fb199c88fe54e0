using Streaming.Shards.Cache;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Shards.Tests.Format;
using Streaming.Shards.Tests.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Tests.Cache;

internal static class CacheTestData
{
    public static PreprocessSpec Spec => SpecHasherTests.Spec() with { Shard = new ShardSpec { ChunkShape = new Int3(8, 8, 4), ZstdLevel = 1 } };

    /// <summary>Writes and commits a small 16x16x8 CT volume (8 chunks) with fingerprint "&lt;id&gt;-&lt;seed&gt;".</summary>
    public static VolumeRecord Put(CacheStore store, string id, int seed = 1)
    {
        var v = ShardTestData.Volume(new Int3(16, 16, 8), Modality.CT, labels: false, seed);
        var header = ShardTestData.Header(id, Modality.CT) with { SourceFingerprint = $"{id}-{seed}" };
        return store.WriteAndCommit(v, header);
    }
}
