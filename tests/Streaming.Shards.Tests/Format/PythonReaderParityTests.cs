using System.Text.Json;
using Streaming.Imaging.Volumes;
using Streaming.Shards.Cache;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Shards.Tests.Specs;
using Streaming.Tests;
using Xunit.Abstractions;

namespace Streaming.Shards.Tests.Format;

/// <summary>
/// The Python bridge's reader (python/streaming_bridge) against this reader, voxel for voxel: every shard type
/// (CT int16, MR float32, labels, body masks, clipped edge chunks whose bitmap ends mid-byte), the catalog view
/// (partitions, merged.jsonl, latest record wins, torn last line ignored), region reads decoding exactly the chunks
/// this reader decodes, and a flipped byte found in the same chunk.
/// </summary>
public class PythonReaderParityTests(ITestOutputHelper output)
{
    [PythonFact("numpy", "zstandard")]
    public void Python_reader_matches_the_CSharp_reader_voxel_for_voxel()
    {
        using var dir = new TempDir();
        var root = dir.Path("cache");
        var ctSpec = SpecHasherTests.Spec() with { Name = "ct-parity", Shard = new ShardSpec { ChunkShape = new Int3(16, 8, 4), ZstdLevel = 1 } };
        var mrSpec = SpecHasherTests.Spec() with { Name = "mr-parity", Modality = Modality.MR, Shard = new ShardSpec { ChunkShape = new Int3(8, 8, 4), ZstdLevel = 3 } };

        var part0 = CacheStore.Open(root, ctSpec, CacheLayout.PartitionName(0, 2));
        var part1 = CacheStore.Open(root, ctSpec, CacheLayout.PartitionName(1, 2));
        Put(part0, "ct/a", Modality.CT, new Int3(37, 21, 11), labels: true, seed: 1);   // 3x3x3 chunks, corner 5x5x3 = 75 voxels
        Put(part1, "ct/b", Modality.CT, new Int3(20, 9, 5), labels: false, seed: 2);
        part0.MergeCatalogs();
        Thread.Sleep(20);                                                             // a strictly later createdUtc
        var newest = Put(part1, "ct/a", Modality.CT, new Int3(37, 21, 11), labels: true, seed: 3);  // supersedes seed 1
        File.AppendAllText(part0.Layout.CatalogPath(part0.Partition), "{\"id\":\"ct/torn\",\"sourceFingerprint\":\"x");
        // Two complete lines neither reader can use: left out of the view, listed as catalog problems.
        File.AppendAllText(part1.Layout.CatalogPath(part1.Partition), "not json\n{\"id\":\"ct/partial\"}\n");

        var mr = CacheStore.Open(root, mrSpec);
        Put(mr, "mr/c", Modality.MR, new Int3(19, 13, 7), labels: false, seed: 4);
        Put(mr, "mr/d", Modality.MR, new Int3(8, 8, 4), labels: true, seed: 5);        // a single chunk

        var volumes = new List<object>();
        var catalogProblems = new List<object>();
        foreach (var store in new[] { part0, mr })
        {
            store.Refresh();
            foreach (var rec in store.Catalog.Volumes)
                volumes.Add(Dump(dir, store, rec));
            catalogProblems.AddRange(store.Catalog.Problems.Select(p => new { key = store.Key, file = p.File, line = p.Line }));
        }
        Assert.Equal(4, volumes.Count);
        Assert.Equal(2, catalogProblems.Count);

        // A copy of ct/a's newest shard with one byte flipped inside chunk 13's record batch.
        var corrupt = dir.Path("corrupt.arrow");
        File.Copy(part0.ShardPath(newest.SourceFingerprint), corrupt);
        var offsets = newest.ChunkOffsets!;
        const int bad = 13;
        var at = (offsets[bad] + offsets[bad + 1]) / 2;
        using (var fs = new FileStream(corrupt, FileMode.Open, FileAccess.ReadWrite))
        {
            fs.Position = at;
            var b = fs.ReadByte();
            fs.Position = at;
            fs.WriteByte((byte)(b ^ 0x5A));
        }
        using (var check = ShardVolume.Open(corrupt))
            Assert.Equal([bad], check.VerifyChunks().Select(p => p.Chunk));

        var manifest = dir.Path("manifest.json");
        File.WriteAllText(manifest, JsonSerializer.Serialize(new
        {
            root,
            keys = new[] { new { key = part0.Key, spec = ctSpec.Name }, new { key = mr.Key, spec = mrSpec.Name } }.OrderBy(k => k.key, StringComparer.Ordinal),
            volumes,
            catalogProblems,
            corrupt = new { path = corrupt, chunk = bad, grid = new[] { 3, 3, 3 }, chunkShape = new[] { 16, 8, 4 } },
        }));

        var (exit, stdout, stderr) = PythonBridge.RunScript("tests/parity/check_shards.py", manifest);
        output.WriteLine(stdout);
        Assert.True(exit == 0, $"check_shards.py exited {exit}\n{stdout}\n{stderr}");
        var r = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.Equal(4, r.GetProperty("volumes").GetInt32());
        Assert.Equal(2, r.GetProperty("catalogProblems").GetInt32());
        Assert.Equal(37 * 21 * 11 + 20 * 9 * 5 + 19 * 13 * 7 + 8 * 8 * 4, r.GetProperty("voxels").GetInt64());
        Assert.True(r.GetProperty("regions").GetInt32() >= 4 * 20);
        Assert.Equal(bad, r.GetProperty("corruptChunk").GetInt32());
    }

    private static VolumeRecord Put(CacheStore store, string id, Modality m, Int3 shape, bool labels, int seed) =>
        store.WriteAndCommit(ShardTestData.Volume(shape, m, labels, seed), ShardTestData.Header(id, m) with { SourceFingerprint = $"{id.Replace('/', '-')}-{seed}" });

    /// <summary>This reader's arrays of one volume as .npy, plus regions with the chunks and bytes it decoded.</summary>
    private static object Dump(TempDir dir, CacheStore store, VolumeRecord rec)
    {
        using var s = ShardVolume.Open(store.ShardPath(rec.SourceFingerprint));
        var all = s.ReadAll();
        var g = rec.FinalGeometry!;
        var shape = s.Info.Shape;
        long[] zyx = [shape.Z, shape.Y, shape.X];
        var name = rec.SourceFingerprint;
        Npy.Write(dir.Path(name + ".image.npy"), all.Image.Data, zyx);
        Npy.Write(dir.Path(name + ".body.npy"), all.Body.Data, zyx);
        if (all.Labels is { } lab) Npy.Write(dir.Path(name + ".labels.npy"), lab.Data, zyx);

        var rng = new Random(rec.Id.Length);
        var regions = new List<object>();
        var boxes = new List<(Int3 O, Int3 S)> { (new Int3(0, 0, 0), shape), (shape - new Int3(1, 1, 1), new Int3(1, 1, 1)) };
        for (var k = 0; k < 20; k++)
        {
            var o = new Int3(rng.Next(shape.X), rng.Next(shape.Y), rng.Next(shape.Z));
            boxes.Add((o, new Int3(1 + rng.Next(shape.X - o.X), 1 + rng.Next(shape.Y - o.Y), 1 + rng.Next(shape.Z - o.Z))));
        }
        foreach (var (o, sz) in boxes)
        {
            var st = s.ReadRegion(o, sz, new float[sz.Volume], new byte[sz.Volume], rec.HasLabels ? new byte[sz.Volume] : default);
            regions.Add(new { origin = o.ToArray(), size = sz.ToArray(), chunks = st.ChunksDecoded, bytes = st.BytesDecoded });
        }
        return new
        {
            key = store.Key, id = rec.Id, fingerprint = rec.SourceFingerprint, modality = rec.Modality.ToString(), hasLabels = rec.HasLabels,
            shape = g.Shape, spacing = g.Spacing, origin = g.Origin, direction = g.Direction,
            image = dir.Path(name + ".image.npy"), body = dir.Path(name + ".body.npy"), labels = rec.HasLabels ? dir.Path(name + ".labels.npy") : null,
            regions,
        };
    }
}
