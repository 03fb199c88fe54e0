using System.Globalization;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Tests.Specs;

public sealed class SpecHasherTests
{
    internal static PreprocessSpec Spec(string name = "ct") => new()
    {
        Name = name,
        Modality = Modality.CT,
        TargetSpacing = new Vec3(1.5, 1.5, 3),
        Intensity = new IntensitySpec(),
        Body = new BodySpec(),
        Crop = new CropSpec(),
        Shard = new ShardSpec(),
    };

    [Fact]
    public void CanonicalJsonIsSortedCompactAndCultureFree()
    {
        var expected = (
            "{'body':{'airThreshold':-500,'fill':'AxialSlices','minBodyMl':50},'crop':{'margin':0,'minShape':[128,128,32]}," +
            "'intensity':{'clipMax':3071,'clipMin':-1024,'percentileHigh':99.9,'percentileLow':0.01},'modality':'CT'," +
            "'name':'ct','shard':{'chunkShape':[64,64,16],'zstdLevel':3},'targetSpacing':[1.5,1.5,3]}").Replace('\'', '"');
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // decimal comma must not leak in
            Assert.Equal(expected, SpecHasher.CanonicalJson(Spec()));
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Fact]
    public void KeyIsSixteenHexDigitsAndStableForEqualSpecs()
    {
        var a = SpecHasher.Key(Spec());
        var b = SpecHasher.Key(Spec() with { Intensity = new IntensitySpec { ClipMin = -1024 } }); // same values
        Assert.Matches("^[0-9a-f]{16}$", a);
        Assert.Equal(a, b);
        Assert.Equal(a, SpecHasher.Key(SpecHasher.Parse(SpecHasher.CanonicalJson(Spec()), "test")));
    }

    [Fact]
    public void EveryFieldChangesTheKey()
    {
        var s = Spec();
        var variants = new[]
        {
            s with { Name = "ct2" },
            s with { Modality = Modality.MR },
            s with { TargetSpacing = new Vec3(1.5, 1.5, 2.5) },
            s with { TargetSpacing = new Vec3(1.0, 1.5, 3) },
            s with { Intensity = s.Intensity with { ClipMin = -1000 } },
            s with { Intensity = s.Intensity with { ClipMax = 2000 } },
            s with { Intensity = s.Intensity with { PercentileLow = 0.5 } },
            s with { Intensity = s.Intensity with { PercentileHigh = 99.5 } },
            s with { Body = s.Body with { AirThreshold = -400 } },
            s with { Body = s.Body with { MinBodyMl = 10 } },
            s with { Crop = s.Crop with { MinShape = new Int3(96, 128, 32) } },
            s with { Crop = s.Crop with { Margin = 2 } },
            s with { Crop = s.Crop with { FixedExtentMm = new Vec3(300, 300, 400) } },
            s with { Crop = s.Crop with { FixedExtentMm = new Vec3(300, 300, 0) } },
            s with { Shard = s.Shard with { ChunkShape = new Int3(64, 64, 32) } },
            s with { Shard = s.Shard with { ZstdLevel = 9 } },
        };
        var keys = variants.Select(SpecHasher.Key).Append(SpecHasher.Key(s)).ToArray();
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void ParseRoundTripsTheSpec()
    {
        var s = Spec() with { TargetSpacing = new Vec3(0.7, 0.7, 1.25), Shard = new ShardSpec { ChunkShape = new Int3(32, 32, 8), ZstdLevel = 5 } };
        Assert.Equal(s, SpecHasher.Parse(SpecHasher.CanonicalJson(s), "test"));
        var fixedFov = s with { Crop = s.Crop with { FixedExtentMm = new Vec3(320, 280.5, 0) } };
        Assert.Contains("\"fixedExtentMm\":[320,280.5,0]", SpecHasher.CanonicalJson(fixedFov));
        Assert.Equal(fixedFov, SpecHasher.Parse(SpecHasher.CanonicalJson(fixedFov), "test"));
        Assert.Throws<InvalidDataException>(() => SpecHasher.Parse("{\"name\":", "spec.json"));
        Assert.Equal(1, ShardFormat.Version);
    }
}

public sealed class ShippedSpecKeyTests
{
    // Keys computed before the fixed-extent crop option existed: a spec that does not use an optional field must keep
    // its cache key, or every existing cache would be orphaned by the upgrade.
    [Theory]
    [InlineData("ct-1x1x2.yaml", "c6371c545cbbbdba")]
    [InlineData("mri-1.5iso.yaml", "682fa6f6cae9da1a")]
    [InlineData("ct-demo-3mm.yaml", "61228ed0d7333374")]
    public void ShippedSpecsKeepTheirCacheKeys(string file, string key) =>
        Assert.Equal(key, SpecHasher.Key(SpecLoader.Load(Path.Combine(Streaming.Tests.SharedData.RepoRoot(), "pipelines", file))));
}
