using System.CommandLine;
using Streaming.Cli.Commands;
using Streaming.Cli.Output;
using Streaming.Training.Backend;

namespace Streaming.Cli;

/// <summary>The `streaming` command line: one subcommand per stage of the pipeline.</summary>
public static class CliApp
{
    /// <summary>Commands that run torch (including `bench pretrain`).</summary>
    private static readonly HashSet<string> TorchCommands = ["pretrain", "export", "embed", "evaluate", "evaluate-slices"];

    public static int Run(string[] args)
    {
        var parse = Build().Parse(args);
        // An outside libtorch (STREAMING_LIBTORCH) is found, checked and loaded before a torch command starts, so a
        // mismatch ends with its one-line reason and fix instead of failing somewhere inside the command.
        if (parse.Errors.Count == 0 && parse.Action == parse.CommandResult.Command.Action && TorchCommands.Contains(parse.CommandResult.Command.Name))
        {
            try { TorchBackend.EnsureLoaded(); }
            catch (TorchBackendException e)
            {
                Log.Error(e.Message);
                if (args.Contains("--json")) JsonSummary.Write(new { command = parse.CommandResult.Command.Name, ok = false, error = e.Message });
                return 1;
            }
        }
        // Errors are mapped in one place (UserErrors): one line, exit 1, the JSON line under --json; stack traces only
        // with --verbose. Signals are each command's business (ingest drains, pretrain checkpoints and abandons on a
        // second signal): System.CommandLine's own termination handler would race them (a second SIGTERM during a
        // pretrain stop made it throw InvalidOperationException, exit 134).
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try { return parse.Invoke(config); }
        catch (Exception e) { return UserErrors.Report(e, parse); }
    }

    public static RootCommand Build()
    {
        var root = new RootCommand(CommonOptions.WithExamples(
            "Streaming: CT/MRI archives → Arrow/Zstd shard cache → voxel-level self-supervised pre-training. " +
            "Tables go to stdout, logs to stderr; --json ends with one JSON line on stdout. Cache root: --cache, else $STREAMING_CACHE, else ./cache",
            "streaming ingest --spec pipelines/ct-1x1x2.yaml --source flare=/data/FLARE22",
            "streaming pretrain pipelines/vox2vec-ct.yaml --run runs/v2v",
            "streaming evaluate pipelines/eval-demo.yaml --run runs/v2v"));
        root.Add(CommonOptions.Verbose);
        root.Add(IngestCommand.Create());
        root.Add(CacheCommand.Create());
        root.Add(InspectCommand.Create());
        root.Add(SynthCommand.Create());
        root.Add(BenchCommand.Create());
        foreach (var c in TrainingCommands.Create()) root.Add(c);
        root.Add(EvaluateCommand.Create());
        root.Add(TorchCommand.Create());
        root.Add(EvaluateSlicesCommand.Create());
        root.Add(CompareCommand.Create());
        return root;
    }
}
