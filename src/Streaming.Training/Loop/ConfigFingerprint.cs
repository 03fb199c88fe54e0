using System.Security.Cryptography;
using System.Text;
using Streaming.Shards.Specs;
using Streaming.Sampling;
using Streaming.Training.Config;

namespace Streaming.Training.Loop;

/// <summary>
/// Hash of the settings that decide the trajectory (method, model, loss, sampling, seed, lr, clipping, cache spec).
/// Settings that may change on resume without changing the result (total steps, run dir, cache root, logging,
/// threads, prefetch, device, the location of the spec file) are left out; total steps stay in under the poly schedule,
/// where they set every step's lr.
/// </summary>
public static class ConfigFingerprint
{
    public static string Of(PretrainConfig c)
    {
        var neutral = c with
        {
            Steps = c.LrSchedule == LrSchedule.Poly ? c.Steps : 1,
            RunDir = "-",
            Progress = true,
            ProgressSeconds = 10,
            CheckpointEvery = 1,
            KeepCheckpoints = 1,
            LogEvery = 1,
            Threads = 0,
            Prefetch = new PrefetchOptions(),
            Device = "cpu",
            StepTiming = false,
            CacheDir = "-",
            // The spec by content (its cache key), not by where the file is: a moved checkout or another working
            // directory resumes; an edited spec does not.
            CacheSpec = c.CacheSpec is { } p && File.Exists(p) ? "key " + SpecHasher.Key(SpecLoader.Load(p)) : c.CacheSpec,
        };
        var yaml = PretrainConfigLoader.ToYaml(neutral);
        // Settings added later hash as if absent while at their defaults, so runs from before them still resume.
        foreach (var line in AddedDefaults) yaml = yaml.Replace(line, "", StringComparison.Ordinal);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)))[..16].ToLowerInvariant();
    }

    private static readonly string[] AddedDefaults = ["stepTiming: false\n", "  precision: fp32\n", "progressSeconds: 10\n"];
}
