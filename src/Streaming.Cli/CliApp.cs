using System.CommandLine;
using Streaming.Cli.Commands;

namespace Streaming.Cli;

/// <summary>The `streaming` command line: one subcommand per stage of the pipeline.</summary>
public static class CliApp
{
    // Signals are each command's business (pretrain checkpoints, a second signal abandons): System.CommandLine's own
    // termination handler would race them (a second SIGTERM made it throw InvalidOperationException, exit 134).
    public static int Run(string[] args)
    {
        // Before anything loads libtorch: its OpenMP runtime reads the wait policy once (spinning threads on a busy machine).
        Streaming.Training.Runtime.OpenMpPolicy.EnsurePassive();
        return Build().Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

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
        return root;
    }
}
