using Streaming.Imaging.Volumes;
using Streaming.Sampling;
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
            Method = new MethodOptions
            {
                Method = method, InfoNceChunkRows = 7,
                Backbone = new BackboneOptions { BaseChannels = baseChannels, Levels = levels, BlocksPerLevel = 1, Norm = method == "hierarchical" ? NormKind.Group : NormKind.Batch },
                LevelProjectionWidth = 4, HeadHidden = 16, HeadOut = 8,
            },
            Steps = steps, CheckpointEvery = checkpointEvery, KeepCheckpoints = 3, LogEvery = 1, LearningRate = lr, Seed = 7,
            RunDir = runDir, Progress = false, Threads = 1,
            Sampling = new SamplingOptions { PatchShape = new Int3(patch, patch, patch), VolumesPerBatch = pairs, PositionsPerPair = positions, Seed = 7, IncludeClean = method == "hierarchical" },
        };

    public static Func<long, Streaming.Sampling.IBatchStream> Streams(PretrainConfig c, IReadOnlySet<long>? nanSteps = null) =>
        start => new SourceBatchStream(Source(c, nanSteps), start);

    public static SyntheticPairSource Source(PretrainConfig c, IReadOnlySet<long>? nanSteps = null) =>
        new(c.Sampling.PatchShape, c.Sampling.VolumesPerBatch, c.Sampling.PositionsPerPair, c.Sampling.Seed, c.Sampling.IncludeClean)
        { NanSteps = nanSteps ?? new HashSet<long>() };
}
