using Streaming.Shards.Specs;
using Streaming.Sampling;
using Streaming.Training.Config;
using Streaming.Training.Export;
using Streaming.Training.Loop;
using Streaming.Training.Methods;
using static TorchSharp.torch;

namespace Streaming.Training;

/// <summary>What <see cref="CheckpointExport.Run"/> wrote.</summary>
public sealed record ExportOutcome(string OutputDir, string Checkpoint, string Method, long Step, long TotalSteps, int RepresentationDim, string? SpecName);

/// <summary>
/// Entry point of <c>export</c>: <c>backbone.safetensors</c> + <c>backbone.json</c> from any checkpoint of a run (the
/// newest intact one by default), so an interrupted or still running run gives a usable model. The architecture comes
/// from the run's resolved <c>config.yaml</c> (the same file resume checks), the weights from the checkpoint's model
/// state; the checkpoint's method and config fingerprint must match that config.
/// </summary>
public static class CheckpointExport
{
    /// <param name="run">A run directory, or one checkpoint file inside its <c>checkpoints/</c>.</param>
    /// <param name="outputDir">Where to write (default: the run directory, as a completed run does).</param>
    /// <param name="pickle">Also write backbone.pt (torch.load-able state_dict).</param>
    public static ExportOutcome Run(string run, string? outputDir = null, Action<string>? log = null, bool pickle = false)
    {
        string runDir, ckptPath;
        Checkpoint ckpt;
        if (File.Exists(run))
        {
            ckptPath = Path.GetFullPath(run);
            runDir = Path.GetDirectoryName(Path.GetDirectoryName(ckptPath)!)!;
            ckpt = CheckpointStore.Read(ckptPath);
        }
        else if (Directory.Exists(run))
        {
            runDir = Path.GetFullPath(run);
            var layout = new RunLayout(runDir);
            var latest = new CheckpointStore(layout.Checkpoints, 1).LoadLatest(log)
                         ?? throw new FileNotFoundException($"{layout.Checkpoints}: no intact checkpoint to export (a run writes one every checkpointEvery steps and when stopped)");
            (ckpt, ckptPath) = latest;
        }
        else throw new FileNotFoundException($"{run}: not a run directory or checkpoint file");

        var configPath = new RunLayout(runDir).ConfigFile;
        if (!File.Exists(configPath)) throw new FileNotFoundException($"{runDir}: no config.yaml (the run's resolved config names the architecture)", configPath);
        var config = PretrainConfigLoader.Load(configPath);
        if (ckpt.Method != config.Method.Name)
            throw new InvalidDataException($"{ckptPath}: written by method {ckpt.Method}, but {configPath} says {config.Method.Name}");
        if (ckpt.ConfigFingerprint != ConfigFingerprint.Of(config))
            throw new InvalidDataException($"{ckptPath}: written by another configuration than {configPath} (fingerprint {ckpt.ConfigFingerprint} vs {ConfigFingerprint.Of(config)})");
        var spec = config.CacheSpec is { } sp && File.Exists(sp) ? SpecLoader.Load(sp) : null;
        if (spec is null && config.CacheSpec is not null)
            log?.Invoke($"export: spec {config.CacheSpec} not found; backbone.json will carry no preprocessing contract (embed/evaluate then need --spec)");

        var outDir = Path.GetFullPath(outputDir ?? runDir);
        var dim = config.Method.Accept(new Writer(config.Method, ckpt, spec, outDir, pickle));
        return new ExportOutcome(outDir, ckptPath, ckpt.Method, ckpt.Step, config.Steps, dim, spec?.Name);
    }

    private sealed class Writer(MethodOptions options, Checkpoint ckpt, PreprocessSpec? spec, string outDir, bool pickle) : IMethodVisitor<int>
    {
        public int Visit<TBatch>(MethodOptions<TBatch> method) where TBatch : IBatch
        {
            using var _ = NewDisposeScope();
            using var m = method.CreateMethod();
            using (var r = new BinaryReader(new MemoryStream(ckpt.ModelState))) m.Model.load(r);
            m.Model.eval();
            BackboneExport.Write(outDir, m.Features, BackboneManifest.Create(options, m.Features, ckpt.Step, spec));
            if (pickle) BackboneExport.WritePickle(outDir, m.Features);
            return m.Features.RepresentationDim;
        }
    }
}
