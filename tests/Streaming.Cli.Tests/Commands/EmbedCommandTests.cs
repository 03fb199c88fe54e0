using Streaming.Imaging.Formats.Nifti;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Tests;
using Streaming.Training.Export;
using Streaming.Training.Methods;
using Streaming.Training.Models;

namespace Streaming.Cli.Tests.Commands;

/// <summary><c>embed</c> takes its preprocessing from the model (backbone.json), and refuses another spec unless forced.</summary>
public class EmbedCommandTests
{
    /// <summary>A tiny vox2vec exported as if trained on the 3 mm demo spec.</summary>
    private static string Model3mm(TempDir t)
    {
        var spec = SpecLoader.Load(Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-demo-3mm.yaml"));
        var o = new Vox2VecOptions
        {
            Backbone = new BackboneOptions { BaseChannels = 2, Levels = 2, BlocksPerLevel = 1 },
            Sampling = new SamplingOptions { PatchShape = new Int3(16, 16, 8) },
        };
        TorchSharp.torch.manual_seed(1);
        using var f = o.CreateFeatures();
        BackboneExport.Write(t.Path("model"), f, BackboneManifest.Create(o, f, 10, spec));
        return t.Path("model");
    }

    /// <summary>A small CT: a 96 x 96 x 48 mm water box in air at 2 mm, the box filling the volume but for a 2-voxel rim.</summary>
    private static string SmallCt(string path)
    {
        var shape = new Int3(52, 52, 28);
        var g = new VolumeGeometry(shape, new Vec3(2, 2, 2), new Vec3(0, 0, 0), Mat3.Identity);
        var v = new Volume<float>(g);
        for (var z = 0; z < shape.Z; z++) for (var y = 0; y < shape.Y; y++) for (var x = 0; x < shape.X; x++)
            v[x, y, z] = x is >= 2 and < 50 && y is >= 2 and < 50 && z is >= 2 and < 26 ? 40 + (x * 7 + y * 3 + z) % 50 : -1000;
        NiftiWriter.Write(path, v, new NiftiWriteOptions { DataType = NiftiDataType.Int16 });
        return path;
    }

    [Fact]
    public void Embed_preprocesses_as_the_model_was_trained_and_refuses_another_spec()
    {
        using var t = new TempDir();
        var input = SmallCt(t.Path("ct.nii.gz"));
        var model = Model3mm(t);

        // No --spec: the model's spec (3 mm), not a default one.
        var r = CliRunner.Run("embed", "--run", model, "--input", input, "--out", t.Path("out"), "--pca", "2", "--json");
        Assert.True(r.Exit == 0, r.Stderr);
        var s = CliRunner.Summary(r.Stdout);
        Assert.Equal("ct-demo-3mm", s.GetProperty("spec").GetString());
        var image = NiftiReader.Read(t.Path("out", "image.nii.gz")).Volume;
        Assert.Equal(new Vec3(3, 3, 3), image.Geometry.Spacing);
        // 96 x 96 x 48 mm of body: about 32 x 32 x 16 voxels at 3 mm (plus the spec's margin); at 1x1x2 mm it would be 96 x 96 x 24.
        Assert.InRange(image.Shape.X, 32, 36);
        Assert.InRange(image.Shape.Y, 32, 36);
        Assert.InRange(image.Shape.Z, 16, 20);
        var pc1 = NiftiReader.Read(t.Path("out", "pc1.nii.gz")).Volume;
        Assert.Equal(image.Shape, pc1.Shape);
        Assert.Contains(pc1.Data, v => v != 0);

        // Another spec: one clear line, nothing written.
        var bad = CliRunner.Run("embed", "--run", model, "--input", input, "--spec", "pipelines/ct-1x1x2.yaml", "--out", t.Path("out2"), "--json");
        Assert.Equal(1, bad.Exit);
        var line = Assert.Single(bad.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--spec pipelines/ct-1x1x2.yaml", line);
        Assert.Contains("ct-demo-3mm", line);
        Assert.Contains("--force-spec", line);
        Assert.DoesNotContain("   at ", bad.Stderr);
        Assert.False(CliRunner.Summary(bad.Stdout).GetProperty("ok").GetBoolean());
        Assert.False(Directory.Exists(t.Path("out2")));

        // The same spec given explicitly is fine.
        var same = CliRunner.Run("embed", "--run", model, "--input", input, "--spec", "pipelines/ct-demo-3mm.yaml", "--out", t.Path("out3"), "--pca", "1", "--json");
        Assert.True(same.Exit == 0, same.Stderr);

        // Forced: the other spec is used as given (a coarser 4 mm variant of the model's spec, so this stays cheap).
        var coarse = t.Path("ct-4mm.yaml");
        File.WriteAllText(coarse, File.ReadAllText(Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-demo-3mm.yaml"))
            .Replace("name: ct-demo-3mm", "name: ct-4mm").Replace("targetSpacing: [3.0, 3.0, 3.0]", "targetSpacing: [4.0, 4.0, 4.0]"));
        Assert.Equal(1, CliRunner.Run("embed", "--run", model, "--input", input, "--spec", coarse, "--out", t.Path("out4")).Exit);
        var forced = CliRunner.Run("embed", "--run", model, "--input", input, "--spec", coarse, "--force-spec", "--out", t.Path("out4"), "--pca", "1", "--json");
        Assert.True(forced.Exit == 0, forced.Stderr);
        Assert.Equal("ct-4mm", CliRunner.Summary(forced.Stdout).GetProperty("spec").GetString());
        Assert.Equal(new Vec3(4, 4, 4), NiftiReader.Read(t.Path("out4", "image.nii.gz")).Volume.Geometry.Spacing);
    }

    [Fact]
    public void Embed_writes_raw_features_on_the_source_grid_for_several_inputs()
    {
        using var t = new TempDir();
        var a = SmallCt(t.Path("a.nii.gz"));
        var b = SmallCt(t.Path("b.nii.gz"));
        var model = Model3mm(t);
        var source = NiftiReader.Read(a).Volume.Geometry;

        var r = CliRunner.Run("embed", "--run", model, "--input", a, "--input", b, "--out", t.Path("out"), "--grid", "source",
            "--features", "nifti", "--pca", "2", "--threads", "1", "--json");
        Assert.True(r.Exit == 0, r.Stderr);
        var s = CliRunner.Summary(r.Stdout);
        Assert.Equal(2, s.GetProperty("cases").GetArrayLength());
        foreach (var name in new[] { "a", "b" })
        {
            var pc1 = NiftiReader.Read(t.Path("out", name, "pc1.nii.gz")).Volume;
            // The source grid: same shape, spacing, origin and direction as the input file (2 mm, not the model's 3 mm).
            Assert.Equal(source.Shape, pc1.Geometry.Shape);
            Assert.Equal(source.Spacing, pc1.Geometry.Spacing);
            Assert.Equal(source.Origin, pc1.Geometry.Origin);
            // Inside the body crop the features vary; the air rim outside the crop is 0.
            Assert.NotEqual(0f, pc1[26, 26, 14]);
        }

        // The 4-D features: X x Y x Z x C in the file's grid; the channel count is the model's representation.
        var header = ReadHeaderBytes(t.Path("out", "a", "features.nii.gz"));
        var dim = Enumerable.Range(0, 5).Select(i => (int)System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(header.AsSpan(40 + 2 * i))).ToArray();
        Assert.Equal(new[] { 4, 52, 52, 28, 6 }, dim); // NIfTI-1 dim[0..4]; 2 + 4 channels

        // Python users load it in nibabel: same affine and grid as the source file.
        if (CliRunner.Python("import sys\ntry:\n import nibabel as nib, numpy as np\nexcept ImportError:\n print('skip'); sys.exit(0)\n" +
                       "s = nib.load(sys.argv[1]); f = nib.load(sys.argv[2]); p = nib.load(sys.argv[3])\n" +
                       "assert f.shape == s.shape + (6,), f.shape\nassert p.shape == s.shape\n" +
                       "assert np.allclose(f.affine, s.affine, atol=1e-4), (f.affine, s.affine)\nassert np.allclose(p.affine, s.affine, atol=1e-4)\nprint('ok')",
                a, t.Path("out", "a", "features.nii.gz"), t.Path("out", "a", "pc1.nii.gz")) is { } py)
        {
            Assert.True(py.Exit == 0, py.Output);
            Assert.True(py.Output.Trim() is "ok" or "skip", py.Output);
        }

        // safetensors on the model grid: (C, Z, Y, X) and the affine in the metadata.
        var st = CliRunner.Run("embed", "--run", model, "--input", a, "--out", t.Path("st"), "--features", "safetensors", "--pca", "0", "--json");
        Assert.True(st.Exit == 0, st.Stderr);
        var shape = CliRunner.Summary(st.Stdout).GetProperty("shape");
        using var f = File.OpenRead(t.Path("st", "features.safetensors"));
        var len = new byte[8];
        f.ReadExactly(len);
        var json = new byte[BitConverter.ToInt64(len)];
        f.ReadExactly(json);
        var head = System.Text.Json.JsonDocument.Parse(json).RootElement;
        var dims = head.GetProperty("features").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(new[] { 6, shape[2].GetInt32(), shape[1].GetInt32(), shape[0].GetInt32() }, dims);
        Assert.Contains("affine_ras", head.GetProperty("__metadata__").EnumerateObject().Select(p => p.Name));
        Assert.False(File.Exists(t.Path("st", "pc1.nii.gz")));
    }

    private static byte[] ReadHeaderBytes(string gz)
    {
        using var z = new System.IO.Compression.GZipStream(File.OpenRead(gz), System.IO.Compression.CompressionMode.Decompress);
        var h = new byte[348];
        z.ReadExactly(h);
        return h;
    }
}
