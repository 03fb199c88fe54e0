using System.CommandLine;

namespace Streaming.Cli.Output;

/// <summary>
/// The one place where an exception that ends a command becomes what the user reads: one line naming the thing and
/// what to do, exit code 1, and under --json the summary line with ok: false and the error. The stack trace is shown
/// only with --verbose (a bug, as opposed to a user error, says so and asks for it).
/// </summary>
public static class UserErrors
{
    public static int Report(Exception e, ParseResult parse)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        var userError = e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException
            or FormatException or NotSupportedException or OperationCanceledException or InvalidOperationException;
        var message = e is OperationCanceledException ? "cancelled" : e.Message.ReplaceLineEndings(" ");
        var verbose = parse.GetValue(CommonOptions.Verbose);
        Log.Error(userError ? message : $"{message} ({e.GetType().Name}; this looks like a bug: rerun with --verbose and report the trace)");
        if (verbose) Console.Error.WriteLine(e.ToString());
        if (WantsJson(parse)) JsonSummary.Write(new { command = CommandName(parse), ok = false, error = message });
        return 1;
    }

    /// <summary>"ingest", "cache verify", ...: the command path without the root.</summary>
    public static string CommandName(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }

    private static bool WantsJson(ParseResult parse) =>
        parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--json") is Option<bool> json && parse.GetValue(json);
}
