using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Pairs;
using Streaming.Sampling.Sources;
using Streaming.Synth.InMemory;

namespace Streaming.Sampling.Tests;

public class ChunkReadTests
{
    /// <summary>Wraps a reader and logs every region asked for.</summary>
    private sealed class Recording(IShardVolume inner, List<(Int3 Origin, Int3 Size, RegionReadStats Stats)> log) : IShardVolume
    {
        public ShardVolumeInfo Info => inner.Info;
        public RegionReadStats ReadRegion(Int3 origin, Int3 size, Span<float> image, Span<byte> body, Span<byte> labels = default)
        {
            var s = inner.ReadRegion(origin, size, image, body, labels);
            lock (log) log.Add((origin, size, s));
            return s;
        }
        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void ARegionDecodesExactlyTheChunksItOverlaps()
    {
        var s = TestVolumes.Encoded("a", "X", new Int3(40, 36, 20));
        using var v = s.Open();
        var img = new float[16 * 16 * 8];
        var body = new byte[img.Length];
        // x 3..18 -> chunks 0..2, y 5..20 -> 0..2, z 2..9 -> 0..2 (chunks are 8x8x4): 27 chunks of 8*8*4 voxels.
        var st = v.ReadRegion(new Int3(3, 5, 2), new Int3(16, 16, 8), img, body);
        Assert.Equal(27, st.ChunksDecoded);
        Assert.Equal(27 * (256 * 2 + 32), st.BytesDecoded); // int16 image + body bits per chunk
        // An aligned region touches only its own chunks: 2 x 2 x 2.
        Assert.Equal(8, v.ReadRegion(new Int3(8, 16, 4), new Int3(16, 16, 8), img, body).ChunksDecoded);
        Assert.Equal(s.Info.Shape.Index(8, 16, 4), (long)img[0]); // the voxel value is its own index
        Assert.Equal(s.Info.Shape.Index(8 + 15, 16 + 15, 4 + 7), (long)img[^1]);
    }

    [Fact]
    public void TheSamplerReadsOnlyItsTwoPatchesPerPairAndCountsTheirBytes()
    {
        var (stores, infos, _) = TestVolumes.Four();
        var log = new List<(Int3 Origin, Int3 Size, RegionReadStats Stats)>();
        var byId = stores.ToDictionary(s => s.Info.Id);
        using var src = new Vox2VecPairSource(infos, i => new Recording(byId[i.Id].Open(), log), TestVolumes.Options());
        var b = src.Batch(4);
        var p = b.PatchShape;
        Assert.Equal(2 * b.Pairs, log.Count); // no view A had to be re-placed in these body-filled volumes
        Assert.All(log, r => Assert.True(r.Size.Volume <= p.Volume, $"read {r.Size} is larger than a patch"));
        Assert.Equal(log.Sum(r => r.Stats.BytesDecoded), b.BytesDecoded);
        // Chunks touched by a 16x16x8 patch on an 8x8x4 grid: 2 or 3 per axis, so 8..27.
        Assert.All(log, r => Assert.InRange(r.Stats.ChunksDecoded, 1, 27));
    }

    [Fact]
    public void DatasetWeightsSetTheMixAndUnknownDatasetsAreRejected()
    {
        var (_, infos, _) = TestVolumes.Four();
        var picker = new VolumePicker(infos, new Dictionary<string, double> { ["flare"] = 3, ["AMOS"] = 1 });
        var flare = 0;
        for (var i = 0; i < 20000; i++)
        {
            var r = new Random.RandomKey((ulong)i).Stream();
            if (infos[picker.Pick(ref r)].Dataset == "FLARE") flare++;
        }
        Assert.InRange(flare / 20000.0, 0.74, 0.76); // 3:1, sd 0.003
        var e = Assert.Throws<ArgumentException>(() => new VolumePicker(infos, new Dictionary<string, double> { ["NLST"] = 1 }));
        Assert.Contains("NLST", e.Message);
        // No weights: every volume equally likely (FLARE has 2 of 4 volumes).
        var even = new VolumePicker(infos, new Dictionary<string, double>());
        Assert.Equal(0.5, even.Probability(even.Datasets.ToList().IndexOf("FLARE")), 1e-12);
    }
}
