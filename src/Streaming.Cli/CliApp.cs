using System.CommandLine;
using Streaming.Cli.Commands;
using Streaming.Cli.Output;

namespace Streaming.Cli;

/// <summary>The `streaming` command line: one subcommand per stage of the pipeline.</summary>
public static class CliApp
{
    public static int Run(string[] args) => Build().Parse(args).Invoke();

    public static RootCommand Build()
    {
        var root = new RootCommand(CommonOptions.WithExamples(
            "Streaming: CT/MRI archives → Arrow/Zstd shard cache → voxel-level self-supervised pre-training. " +
            "Tables go to stdout, logs to stderr; --json ends with one JSON line on stdout. Cache root: --cache, else $STREAMING_CACHE, else ./cache",
            "streaming ingest --spec pipelines/ct-1x1x2.yaml --source flare=/data/FLARE22",
            "streaming pretrain pipelines/vox2vec-ct.yaml --run runs/v2v",
            "streaming evaluate pipelines/eval-demo.yaml --run runs/v2v"));
        root.Add(IngestCommand.Create());
        root.Add(CacheCommand.Create());
        root.Add(InspectCommand.Create());
        root.Add(SynthCommand.Create());
        root.Add(BenchCommand.Create());
        foreach (var c in TrainingCommands.Create()) root.Add(c);
        root.Add(EvaluateCommand.Create());
        return root;
    }
}
