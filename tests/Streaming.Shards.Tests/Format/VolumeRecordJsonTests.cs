using System.Text.Json;
using Apache.Arrow.Ipc;
using Streaming.Imaging.Volumes;
using Streaming.Shards.Format;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Format;

/// <summary>
/// The record embedded in every shard is part of format version 1, byte for byte. It includes a quirk that must
/// stay: "geometry", the computed <see cref="VolumeRecord.Geometry"/> property serialized with its derived members
/// (shape.volume, spacing.norm, direction.determinant, ...). Readers ignore it and use finalGeometry; dropping it
/// would change every shard's bytes (docs/python.md, "Format quirks").
/// </summary>
public sealed class VolumeRecordJsonTests
{
    [Fact]
    public void EmbeddedRecordKeepsItsVersion1KeysIncludingTheDerivedGeometry()
    {
        using var dir = new TempDir();
        var path = dir.Path("g.arrow");
        var shape = new Int3(20, 9, 5);
        ShardWriter.Write(path, ShardTestData.Volume(shape, Modality.CT, labels: true), ShardTestData.Header("g", Modality.CT), ShardTestData.Spec(new Int3(8, 8, 4)));
        string json;
        using (var r = new ArrowFileReader(File.OpenRead(path)))
            json = r.Schema.Metadata["streaming.volume"];
        var root = JsonDocument.Parse(json).RootElement;

        string[] keys = ["id", "dataset", "modality", "sourcePaths", "sourceFingerprint", "specKey", "originalGeometry", "resampledGeometry",
            "finalGeometry", "crop", "stats", "bodyVoxels", "hasLabels", "imageDType", "chunkShape", "chunkGrid", "checksumAlgorithm",
            "chunkChecksums", "shardFile", "shardBytes", "createdUtc", "formatVersion", "geometry"];
        Assert.Equal(keys, root.EnumerateObject().Select(p => p.Name));

        var g = root.GetProperty("geometry");
        Assert.Equal(["shape", "spacing", "origin", "direction"], g.EnumerateObject().Select(p => p.Name));
        Assert.Equal(shape.Volume, g.GetProperty("shape").GetProperty("volume").GetInt64());
        var final = root.GetProperty("finalGeometry").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32());
        Assert.Equal(final, new[] { "x", "y", "z" }.Select(a => g.GetProperty("shape").GetProperty(a).GetInt32()));

        // Reading ignores it (a get-only property), and writing the record again gives the same line.
        var rec = VolumeRecordJson.Deserialize(json, path);
        Assert.Equal(json, VolumeRecordJson.Serialize(rec));
    }
}
