using System.CommandLine;

namespace Streaming.Cli.Commands;

public static partial class BenchCommand
{
    /// <summary>Benchmarks of the later stages (synth, pretrain) register here.</summary>
    private static IEnumerable<Command> Extra() => [];
}
