using System.CommandLine;

namespace Streaming.Cli.Output;

/// <summary>Options every command takes.</summary>
public static class CommonOptions
{
    /// <summary>Global: show stack traces of errors (otherwise one line each).</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show the stack trace of an error (otherwise one line)", Recursive = true };

    public static Option<bool> Json() => new("--json") { Description = "End with one machine-readable JSON summary line on stdout" };

    public static Option<string> Cache() => new("--cache")
    {
        Description = "Shard cache root (default: ./cache, or $STREAMING_CACHE)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("STREAMING_CACHE") is { Length: > 0 } c ? c : "cache",
    };
}
