using System.CommandLine;
using Streaming.Cli.Commands;

namespace Streaming.Cli;

/// <summary>The `streaming` command line: one subcommand per stage of the pipeline.</summary>
public static class CliApp
{
    public static int Run(string[] args) => Build().Parse(args).Invoke();

    public static RootCommand Build()
    {
        var root = new RootCommand("Streaming: CT/MRI archives → Arrow/Zstd shard cache → voxel-level self-supervised pre-training");
        root.Add(IngestCommand.Create());
        root.Add(CacheCommand.Create());
        root.Add(InspectCommand.Create());
        root.Add(SynthCommand.Create());
        root.Add(BenchCommand.Create());
        foreach (var c in TrainingCommands.Create()) root.Add(c);
        root.Add(EvaluateCommand.Create());
        root.Add(EvaluateSlicesCommand.Create());
        return root;
    }
}
