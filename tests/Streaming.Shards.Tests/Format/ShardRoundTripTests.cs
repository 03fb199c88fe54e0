using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Format;

public sealed class ShardRoundTripTests
{
    [Fact]
    public void CtIsStoredAsRoundedSaturatedInt16()
    {
        using var dir = new TempDir();
        var shape = new Int3(37, 21, 11); // not a multiple of the chunk: edge chunks are clipped
        var v = ShardTestData.Volume(shape, Modality.CT, labels: true);
        float[] special = [40000f, -40000f, 1.5f, 2.5f, -1.5f, 100.4f, -0.5f, float.PositiveInfinity, float.NegativeInfinity, 32767.4f, -32768.6f];
        float[] expected = [32767f, -32768f, 2f, 2f, -2f, 100f, 0f, 32767f, -32768f, 32767f, -32768f];
        for (var i = 0; i < special.Length; i++) v.Image.Data[i * 97] = special[i];

        var path = dir.Path("ct.arrow");
        var rec = ShardWriter.Write(path, v, ShardTestData.Header("ct1", Modality.CT), ShardTestData.Spec(new Int3(16, 8, 4)));
        using var s = ShardVolume.Open(path);
        var all = s.ReadAll();

        for (var i = 0; i < special.Length; i++) Assert.Equal(expected[i], all.Image.Data[i * 97]);
        for (var i = 0; i < v.Image.Data.Length; i++)
            Assert.Equal(MathF.Max(-32768, MathF.Min(32767, MathF.Round(v.Image.Data[i]))), all.Image.Data[i]);
        Assert.Equal(v.Body.Data, all.Body.Data);
        Assert.Equal(v.Labels!.Data, all.Labels!.Data);
        Assert.Equal(v.Image.Geometry, all.Image.Geometry);

        Assert.Equal("int16", rec.ImageDType);
        Assert.Equal(new[] { 3, 3, 3 }, rec.ChunkGrid);
        Assert.Equal(27, rec.ChunkChecksums!.Count);
        Assert.Equal(27, rec.ChunkOffsets!.Count);
        Assert.Equal(v.Body.Data.Count(b => b != 0), rec.BodyVoxels);
        Assert.Equal(new FileInfo(path).Length, rec.ShardBytes);
        Assert.Equal("ct.arrow", rec.ShardFile);
        Assert.Equal(ShardFormat.Version, rec.FormatVersion);
        Assert.Equal(v.SourceGeometry, rec.OriginalGeometry!.ToGeometry());
        Assert.Equal(v.ResampledGeometry, rec.ResampledGeometry!.ToGeometry());
        Assert.Equal(v.Crop, rec.Crop!.ToCropBox());
        Assert.Equal(v.Stats, rec.Stats);
        Assert.Empty(Directory.GetFiles(dir.Root, "*.tmp"));

        // The embedded record is the same one, minus what is only known after writing.
        Assert.Equal(rec.ChunkChecksums, s.Record.ChunkChecksums);
        Assert.Equal(rec.ShardBytes, s.Record.ShardBytes);
        Assert.Null(s.Record.ChunkOffsets);
        Assert.Equal(new ShardVolumeInfo("ct1", "unit", Modality.CT, shape, v.Image.Geometry.Spacing, rec.BodyVoxels, true) { ChunkShape = new Int3(16, 8, 4) }, s.Info);
    }

    [Fact]
    public void MrFloatsAndMaskRoundTripExactlyWithoutLabels()
    {
        using var dir = new TempDir();
        var v = ShardTestData.Volume(new Int3(20, 19, 9), Modality.MR, labels: false, seed: 7);
        v.Image.Data[5] = 1e-30f;
        v.Image.Data[6] = -0.123456789f;
        var path = dir.Path("mr.arrow");
        var rec = ShardWriter.Write(path, v, ShardTestData.Header("mr1", Modality.MR), ShardTestData.Spec(new Int3(8, 8, 8), level: 9));
        using var s = ShardVolume.Open(path);
        var all = s.ReadAll();

        Assert.Equal(v.Image.Data, all.Image.Data);
        Assert.Equal(v.Body.Data, all.Body.Data);
        Assert.Null(all.Labels);
        Assert.False(rec.HasLabels);
        Assert.Equal("float32", rec.ImageDType);
        Assert.Throws<ArgumentException>(() => s.ReadRegion(new Int3(0, 0, 0), new Int3(1, 1, 1), new float[1], new byte[1], new byte[1]));
    }

    [Fact]
    public void NaNInCtIsRejectedAndLeavesNoFile()
    {
        using var dir = new TempDir();
        var v = ShardTestData.Volume(new Int3(8, 8, 4), Modality.CT, labels: false);
        v.Image.Data[40] = float.NaN;
        var e = Assert.Throws<InvalidDataException>(() =>
            ShardWriter.Write(dir.Path("bad.arrow"), v, ShardTestData.Header("nan1", Modality.CT), ShardTestData.Spec(new Int3(4, 4, 4))));
        Assert.Contains("nan1", e.Message);
        Assert.Empty(Directory.GetFiles(dir.Root));
    }

    [Fact]
    public void NonShardFileIsInvalidData()
    {
        using var dir = new TempDir();
        var path = dir.Path("junk.arrow");
        File.WriteAllBytes(path, Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => ShardVolume.Open(path));
        Assert.Contains(path, e.Message);
    }
}
