using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Pairs;
using Streaming.Sampling.Sources;
using Streaming.Training.Config;
using Streaming.Training.Data;
using Streaming.Training.Methods;
using Streaming.Training.Models;

namespace Streaming.Training.Tests;

/// <summary>Tiny CPU configurations that train in milliseconds per step.</summary>
internal static class Tiny
{
    public static PretrainConfig Config(string runDir, long steps, long checkpointEvery, string method = "vox2vec",
        int baseChannels = 2, int levels = 2, int patch = 8, int pairs = 1, int positions = 16, double lr = 1e-3) => new()
        {
            Method = Method(method, new BackboneOptions { BaseChannels = baseChannels, Levels = levels, BlocksPerLevel = 1, Norm = method == "hierarchical" ? NormKind.Group : NormKind.Batch },
            new SamplingOptions { PatchShape = new Int3(patch, patch, patch), VolumesPerBatch = pairs, PositionsPerPair = positions, Seed = 7, IncludeClean = method == "hierarchical" }),
            Steps = steps, CheckpointEvery = checkpointEvery, KeepCheckpoints = 3, LogEvery = 1, LearningRate = lr, Seed = 7,
            RunDir = runDir, Progress = false, Threads = 1,
        };

    private static VoxelContrastOptions Method(string name, BackboneOptions backbone, SamplingOptions sampling) => name switch
    {
        "hierarchical" => new HierarchicalOptions { Backbone = backbone, Sampling = sampling, InfoNceChunkRows = 7, LevelProjectionWidth = 4, HeadHidden = 16, HeadOut = 8 },
        _ => new Vox2VecOptions { Backbone = backbone, Sampling = sampling, InfoNceChunkRows = 7, HeadHidden = 16, HeadOut = 8 },
    };

    public static SamplingOptions Sampling(PretrainConfig c) => ((PairMethodOptions)c.Method).Sampling;

    public static Func<long, SkipLedger, IBatchStream<PairBatch>> Streams(PretrainConfig c, IReadOnlySet<long>? nanSteps = null) =>
        (start, _) => new SourceBatchStream<PairBatch>(Source(c, nanSteps), start);

    public static SyntheticPairSource Source(PretrainConfig c, IReadOnlySet<long>? nanSteps = null)
    {
        var s = Sampling(c);
        return new(s.PatchShape, s.VolumesPerBatch, s.PositionsPerPair, s.Seed ?? c.Seed, s.IncludeClean) { NanSteps = nanSteps ?? new HashSet<long>() };
    }
}
