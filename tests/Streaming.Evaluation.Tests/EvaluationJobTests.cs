using Streaming.Evaluation;
using Streaming.Evaluation.Features;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Training;
using Streaming.Shards.Cache;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Tests;
using Streaming.Training.Export;
using Streaming.Training.Methods;
using Streaming.Training.Models;

namespace Streaming.Evaluation.Tests;

/// <summary><c>evaluate</c> reads the cache key of the model's own spec and scales as the model was trained.</summary>
public class EvaluationJobTests
{
    private const string SpecYaml = "name: small\nmodality: CT\ntargetSpacing: [2, 2, 3]\ncrop:\n  minShape: [16, 16, 8]\nshard:\n  chunkShape: [16, 16, 8]\n";

    /// <summary>Three labeled CT volumes (a bright labeled box in soft tissue) in the cache of <paramref name="spec"/>.</summary>
    private static void Cache(string root, PreprocessSpec spec)
    {
        var store = CacheStore.Open(root, spec);
        var shape = new Int3(16, 16, 8);
        for (var i = 0; i < 3; i++)
        {
            var g = new VolumeGeometry(shape, new Vec3(2, 2, 3), new Vec3(0, 0, 0), Mat3.Identity);
            var img = new Volume<float>(g); var body = new Volume<byte>(g); var labels = new Volume<byte>(g);
            for (var z = 0; z < 8; z++) for (var y = 0; y < 16; y++) for (var x = 0; x < 16; x++)
            {
                var inBox = x >= 3 + i && x < 9 + i && y >= 4 && y < 10 && z >= 2 && z < 6;
                img[x, y, z] = inBox ? 300 : 40;
                body[x, y, z] = 1;
                labels[x, y, z] = (byte)(inBox ? 1 : 0);
            }
            var input = new ShardInput(img, body, labels, g, g, new CropBox(new Int3(0, 0, 0), shape), new IntensityStats(0, 0, 0, 0, 0, 0, 0, 0));
            var source = new ShardSource($"T/c{i}", "T", Modality.CT, [$"/nowhere/c{i}.nii.gz"], $"/nowhere/c{i}.labels.nii.gz");
            store.WriteAndCommit(input, VolumeRecord.Header(source, $"fp{i}", store.Key));
        }
    }

    private static string Model(string dir, PreprocessSpec spec)
    {
        var o = new Vox2VecOptions
        {
            Backbone = new BackboneOptions { BaseChannels = 2, Levels = 2, BlocksPerLevel = 1 },
            Sampling = new SamplingOptions { PatchShape = new Int3(16, 16, 8) },
        };
        TorchSharp.torch.manual_seed(4);
        using var f = o.CreateFeatures();
        BackboneExport.Write(dir, f, BackboneManifest.Create(o, f, 5, spec));
        return dir;
    }

    private static EvaluationOptions Options => new()
    {
        Protocols = [Protocol.Linear], Folds = 3, MaxFolds = 1, Seed = 1, Threads = 1, WritePredictions = false,
        Training = new HeadTrainingOptions { Steps = 3, BatchSize = 1, Patch = new Int3(16, 16, 8) },
        Window = new SlidingWindow { Window = new Int3(16, 16, 8) },
    };

    [Fact]
    public void Evaluate_uses_the_models_spec_and_refuses_another_one()
    {
        using var t = new TempDir();
        File.WriteAllText(t.Path("small.yaml"), SpecYaml);
        var spec = SpecLoader.Load(t.Path("small.yaml"));
        Cache(t.Path("cache"), spec);
        var model = Model(t.Path("model"), spec);

        var outcome = EvaluationJob.Run(new EvaluationRequest { Options = Options, CacheRoot = t.Path("cache"), BackboneDir = model, OutputDir = t.Path("eval") });
        Assert.Equal("small", outcome.Context["spec"]);
        Assert.Equal(Path.Combine(t.Path("cache"), SpecHasher.Key(spec)), outcome.Context["cache"]);
        Assert.Single(outcome.Result.Arms);
        Assert.True(File.Exists(t.Path("eval", "report.md")));

        // Another spec (another cache key): refused before anything is opened or written, naming both specs.
        var other = t.Path("ct.yaml");
        File.WriteAllText(other, SpecYaml.Replace("targetSpacing: [2, 2, 3]", "targetSpacing: [1, 1, 2]"));
        var e = Assert.Throws<SpecMismatchException>(() => EvaluationJob.Run(new EvaluationRequest
        {
            Options = Options, CacheRoot = t.Path("cache2"), BackboneDir = model, OutputDir = t.Path("eval2"), SpecPath = other,
        }));
        Assert.Contains(other, e.Message);
        Assert.Contains("small", e.Message);
        Assert.Contains("--force-spec", e.Message);
        Assert.False(Directory.Exists(t.Path("cache2")));
        Assert.False(Directory.Exists(t.Path("eval2")));

        // Forced: the other spec's key is used (here it has no cache, which is said in one line, and nothing is created).
        var before = Directory.GetFileSystemEntries(t.Path("cache"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var missing = Assert.Throws<DirectoryNotFoundException>(() => EvaluationJob.Run(new EvaluationRequest
        {
            Options = Options, CacheRoot = t.Path("cache"), BackboneDir = model, OutputDir = t.Path("eval3"), SpecPath = other, ForceSpec = true,
        }));
        Assert.Contains(SpecHasher.Key(SpecLoader.Load(other)), missing.Message);
        Assert.Equal(before, Directory.GetFileSystemEntries(t.Path("cache"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(t.Path("eval3")));
    }

    [Fact]
    public void The_handmade_baseline_is_reported_beside_the_model_without_a_finetune_arm()
    {
        using var t = new TempDir();
        File.WriteAllText(t.Path("small.yaml"), SpecYaml);
        var spec = SpecLoader.Load(t.Path("small.yaml"));
        Cache(t.Path("cache"), spec);
        var model = Model(t.Path("model"), spec);
        var o = Options with { Protocols = [Protocol.Linear, Protocol.Knn, Protocol.FineTune], FreezeSteps = 1 };

        var outcome = EvaluationJob.Run(new EvaluationRequest
        {
            Options = o, CacheRoot = t.Path("cache"), BackboneDir = model, Baselines = ["handmade"], OutputDir = t.Path("eval"),
        });
        Assert.Equal(new[] { "linear/pretrained", "knn/pretrained-1shot", "finetune/pretrained", "linear/handmade", "knn/handmade-1shot" },
            outcome.Result.Arms.Select(a => a.Arm));
        Assert.Contains("handmade", outcome.Context["backbones"]);
        var md = File.ReadAllText(t.Path("eval", "report.md"));
        Assert.Contains("linear/handmade", md);
        Assert.DoesNotContain("finetune/handmade", md);
        Assert.Contains("known: gvdiff, handmade", Assert.Throws<ArgumentException>(() => EvaluationJob.Run(new EvaluationRequest
        {
            Options = o, CacheRoot = t.Path("cache"), BackboneDir = model, Baselines = ["handmde"], OutputDir = t.Path("eval2"),
        })).Message);
    }
}
