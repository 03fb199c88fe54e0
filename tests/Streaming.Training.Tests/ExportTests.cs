using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Tests;
using Streaming.Training.Export;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Training.Tests;

public class ExportTests
{
    [Fact]
    public void Safetensors_LayoutIsHeaderLengthJsonThenLittleEndianData()
    {
        using var dir = new TempDir();
        var path = dir.Path("t.safetensors");
        using var a = tensor(new float[] { 1.5f, -2f }, [2]);
        using var b = tensor(new long[] { 7 }, [1, 1]);
        Safetensors.Write(path, [("layer.weight", a), ("layer.count", b)], new Dictionary<string, string> { ["format"] = "pt" });
        var bytes = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n)).RootElement;
        Assert.Equal("pt", header.GetProperty("__metadata__").GetProperty("format").GetString());
        var w = header.GetProperty("layer.weight");
        Assert.Equal("F32", w.GetProperty("dtype").GetString());
        Assert.Equal(new long[] { 0, 8 }, w.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("I64", header.GetProperty("layer.count").GetProperty("dtype").GetString());
        Assert.Equal(new long[] { 1, 1 }, header.GetProperty("layer.count").GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        // 1.5f = 0x3FC00000, -2f = 0xC0000000, little-endian; then int64 7
        Assert.Equal(new byte[] { 0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0, 7, 0, 0, 0, 0, 0, 0, 0 }, bytes[(8 + (int)n)..]);
        var (back, meta) = Safetensors.Read(path);
        Assert.Equal(new float[] { 1.5f, -2f }, back["layer.weight"].data<float>().ToArray());
        Assert.Equal(7L, back["layer.count"].item<long>());
    }

    [Fact]
    public void BackboneExport_UsesPyTorchStyleNames_AndRoundTrips()
    {
        using var dir = new TempDir();
        var o = new Vox2VecOptions { Backbone = new BackboneOptions { BaseChannels = 2, Levels = 2, BlocksPerLevel = 1 } };
        manual_seed(3);
        using var fpn = o.CreateFeatures();
        BackboneExport.Write(dir.Root, fpn, BackboneManifest.Create(o, fpn, 12, null));
        var (tensors, _) = Safetensors.Read(dir.Path(BackboneExport.WeightsFile));
        Assert.Contains("encoder.stem.weight", tensors.Keys);
        Assert.Contains("encoder.blocks.0.0.conv1.weight", tensors.Keys);
        Assert.Contains("encoder.blocks.1.0.norm1.running_var", tensors.Keys);
        Assert.Contains("narrow.0.weight", tensors.Keys);
        var (loaded, manifest) = BackboneExport.Read(dir.Root);
        Assert.Equal(12, manifest.Step);
        Assert.Equal(6, manifest.RepresentationDim);
        foreach (var (name, t) in fpn.state_dict())
            Assert.True(t.equal(loaded.state_dict()[name]).all().item<bool>(), name);
        loaded.Dispose();
    }

    [Fact]
    public void Manifest_RecordsTheInputContract_AndRebuildsTheMethod()
    {
        using var dir = new TempDir();
        var spec = SpecLoader.Load(Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-demo-3mm.yaml"));
        var o = new HierarchicalOptions
        {
            Backbone = new BackboneOptions { BaseChannels = 2, Levels = 3, BlocksPerLevel = 1, Norm = NormKind.Group }, LevelProjectionWidth = 3,
            Sampling = new SamplingOptions { PatchShape = new Int3(32, 32, 16), IncludeClean = true },
        };
        manual_seed(3);
        using var f = o.CreateFeatures();
        BackboneExport.Write(dir.Root, f, BackboneManifest.Create(o, f, 7, spec));
        Assert.Empty(Directory.GetFiles(dir.Root, "*.tmp*")); // written through a unique temp name, then renamed

        var json = JsonDocument.Parse(File.ReadAllText(dir.Path(BackboneExport.ManifestFile))).RootElement;
        Assert.Equal(2, json.GetProperty("formatVersion").GetInt32());
        Assert.Equal("hierarchical", json.GetProperty("method").GetString());
        var input = json.GetProperty("input");
        Assert.Equal("CT", input.GetProperty("modality").GetString());
        Assert.Equal(-1350, input.GetProperty("scaling").GetProperty("lower").GetDouble());
        Assert.Equal(1000, input.GetProperty("scaling").GetProperty("upper").GetDouble());
        Assert.Equal([32, 32, 16], input.GetProperty("patchShape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(SpecHasher.Key(spec), input.GetProperty("specKey").GetString());
        Assert.Equal(3.0, input.GetProperty("spec").GetProperty("targetSpacing")[0].GetDouble());
        Assert.Equal(3, json.GetProperty("model").GetProperty("levelProjectionWidth").GetInt32());
        Assert.Equal([1, 2, 4], json.GetProperty("features").GetProperty("levels").EnumerateArray().Select(l => l.GetProperty("stride")[2].GetInt32()));

        var (loaded, m) = BackboneExport.Read(dir.Root);
        using (loaded)
        {
            Assert.Equal(o, m.ToMethodOptions());                 // the method as trained, from the recorded sections
            Assert.Equal(SpecHasher.CanonicalJson(spec), SpecHasher.CanonicalJson(m.Input.Spec!));
            Assert.Equal(InputScaling.CtWindow, m.Input.ScalingFor(Modality.CT));
            Assert.Equal(f.Levels, loaded.Levels);
        }
    }

    [Fact]
    public void FormatOneManifest_StillReads_WithTheLegacyScalingRule()
    {
        using var dir = new TempDir();
        var o = new Vox2VecOptions { Backbone = new BackboneOptions { BaseChannels = 2, Levels = 2, BlocksPerLevel = 1 } };
        manual_seed(3);
        using var f = o.CreateFeatures();
        BackboneExport.Write(dir.Root, f, BackboneManifest.Create(o, f, 12, null));
        File.WriteAllText(dir.Path(BackboneExport.ManifestFile), """
            { "method": "vox2vec", "inChannels": 1, "baseChannels": 2, "levels": 2, "blocksPerLevel": 1, "norm": "batch",
              "levelProjectionWidth": 32, "outputChannels": [2, 4], "representationDim": 6, "step": 12 }
            """);
        var (loaded, m) = BackboneExport.Read(dir.Root);
        loaded.Dispose();
        Assert.Equal(1, m.FormatVersion);
        Assert.Null(m.Input.Spec);
        Assert.Equal(InputScaling.CtWindow, m.Input.ScalingFor(Modality.CT));
        Assert.Equal(InputScaling.Identity, m.Input.ScalingFor(Modality.MR));
        var e = Assert.Throws<ArgumentException>(() => m.Input.ResolveSpec(null, false, dir.Root));
        Assert.Contains("pass --spec", e.Message);
    }

    [Fact]
    public void Embed_SingleWindowEqualsDirectPyramid_AndSlidingCoversTheVolume()
    {
        manual_seed(5);
        using var fpn = new Vox2VecFpn(new BackboneOptions { BaseChannels = 2, Levels = 2, BlocksPerLevel = 1 });
        using var embedder = new Embedder(fpn, CPU);
        var rng = new Random(1);
        var shape = new Int3(8, 8, 4);
        var vol = Enumerable.Range(0, (int)shape.Volume).Select(_ => (float)rng.NextDouble()).ToArray();
        var o = new EmbedOptions { Window = new Int3(8, 8, 4), Overlap = new Int3(2, 2, 1) };
        var f = embedder.Embed(vol, shape, o);
        Assert.Equal(6 * shape.Volume, f.Length);
        using (no_grad())
        {
            var pyr = fpn.forward(tensor(vol, [1, 1, 4, 8, 8]));
            var rep = VoxelGather.Gather(pyr, tensor(new long[] { 3, 5, 6 }, [1, 1, 3])).data<float>().ToArray();
            long v = 6 + 8 * (5 + 8 * 3);
            for (int c = 0; c < 6; c++) Assert.Equal(rep[c], f[c * shape.Volume + v], 5);
        }
        // a volume larger than the window: 3 x 2 x 2 windows, every voxel covered (no zero-count NaNs)
        var big = new Int3(13, 10, 6);
        var bv = Enumerable.Range(0, (int)big.Volume).Select(_ => (float)rng.NextDouble()).ToArray();
        var bf = embedder.Embed(bv, big, o);
        Assert.Equal(6 * big.Volume, bf.Length);
        Assert.All(bf, x => Assert.True(float.IsFinite(x)));
    }

    [Fact]
    public void EmbedPca_GivesCentredDecorrelatedComponentsOrderedByVariance()
    {
        manual_seed(5);
        using var fpn = new Vox2VecFpn(new BackboneOptions { BaseChannels = 4, Levels = 2, BlocksPerLevel = 1 });
        using var embedder = new Embedder(fpn, CPU);
        var rng = new Random(2);
        var shape = new Int3(8, 8, 4);
        var vol = Enumerable.Range(0, (int)shape.Volume).Select(_ => (float)rng.NextDouble()).ToArray();
        var o = new EmbedOptions { Window = shape, Overlap = new Int3(0, 0, 0) };
        var (maps, explained) = embedder.EmbedPca(vol, shape, 3, o);
        Assert.Equal(3 * shape.Volume, maps.Length);
        using var m = tensor(maps, [3, shape.Volume]).to(ScalarType.Float64);
        using var feats = tensor(embedder.Embed(vol, shape, o), [12, shape.Volume]).to(ScalarType.Float64);
        double totalVar = feats.var(1, unbiased: false).sum().item<double>();
        var mean = m.mean([1]).data<double>().ToArray();
        var cov = (m - m.mean([1], keepdim: true)).matmul((m - m.mean([1], keepdim: true)).t()).div(shape.Volume).data<double>().ToArray();
        Assert.All(mean, x => Assert.Equal(0, x, 4));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(explained[i], cov[i * 3 + i] / totalVar, 4);      // component variance = its eigenvalue
            for (int j = 0; j < 3; j++) if (i != j) Assert.Equal(0, cov[i * 3 + j] / totalVar, 4);
        }
        Assert.True(explained[0] >= explained[1] && explained[1] >= explained[2] && explained[2] > 0);
        Assert.True(explained.Sum() <= 1 + 1e-9);
    }
}
