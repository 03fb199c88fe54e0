using System.CommandLine;
using System.CommandLine.Parsing;

namespace Streaming.Cli.Output;

/// <summary>
/// Options every command spells the same way: <c>--run</c> (a run folder), <c>--cache</c>, <c>--spec</c>, <c>--set</c>,
/// <c>--workers</c> (data workers), <c>--threads</c> (torch threads), <c>--json</c>. Names that were different before
/// stay accepted as hidden aliases (<see cref="Renamed{T}"/>), so existing scripts keep working.
/// </summary>
public static class CommonOptions
{
    public const string CacheVariable = "STREAMING_CACHE";

    /// <summary>Global: show stack traces of errors (otherwise one line each).</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show the stack trace of an error (otherwise one line)", Recursive = true };

    public static Option<bool> Json() => new("--json") { Description = "End with one machine-readable JSON summary line on stdout" };

    /// <summary>The cache root from <c>$STREAMING_CACHE</c>, or null when unset.</summary>
    public static string? CacheFromEnvironment() => Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } c ? c : null;

    public static Option<string> Cache() => new("--cache")
    {
        Description = $"Shard cache root (default: ${CacheVariable}, else ./cache)",
        DefaultValueFactory = _ => CacheFromEnvironment() ?? "cache",
    };

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a config key, e.g. --set steps=500 --set model.baseChannels=8 (repeatable; checked like the file's keys, recorded in the resolved config)",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Option<int> Threads() => new("--threads") { Description = "torch intra-op threads (0 = libtorch's default); size it to the CPUs you really have" };

    public static Option<string> Device() => new("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };

    /// <summary>Where the repository's pipelines/ folder is (beside the launcher's build), so default specs work from any folder.</summary>
    public static string Pipelines(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "pipelines", file);
            if (File.Exists(p)) return p;
        }
        return Path.Combine("pipelines", file);
    }

    /// <summary>"Example:" lines appended to a command's description (shown by --help).</summary>
    public static string WithExamples(string description, params string[] examples) =>
        description + "\n\nExample" + (examples.Length > 1 ? "s" : "") + ":\n" + string.Join("\n", examples.Select(e => "  " + e));
}

/// <summary>
/// An option with a new name and the old one kept as a hidden alias that still works (scripts written against the old
/// name do not break); the help of the new one says so.
/// </summary>
public sealed class Renamed<T>
{
    public Renamed(Option<T> current, string oldName)
    {
        Current = current;
        Old = new Option<T>(oldName) { Hidden = true, Description = $"Old name of {current.Name}" };
        current.Description += $" (formerly {oldName}, still accepted)";
    }

    public Option<T> Current { get; }
    public Option<T> Old { get; }

    /// <summary>The value given under either name (the new one wins), else the new option's default.</summary>
    public T? Get(ParseResult r) =>
        r.GetResult(Current) is { Implicit: false } ? r.GetValue(Current)
        : r.GetResult(Old) is { Implicit: false } ? r.GetValue(Old)
        : r.GetValue(Current);

    public void AddTo(Command c)
    {
        c.Add(Current);
        c.Add(Old);
    }
}

/// <summary>Enum options shown and parsed with lowercase (camelCase) values, as configs write them; defaults in the description.</summary>
public static class Choice
{
    public static Option<T?> Of<T>(string name, string description, T fallback) where T : struct, Enum => Of<T>(name, $"{description} (default: {Text(fallback)})");

    public static Option<T?> Of<T>(string name, string description) where T : struct, Enum => new(name)
    {
        Description = description,
        HelpName = string.Join("|", Enum.GetValues<T>().Select(v => Text(v))),
    };

    public static string Text<T>(T value) where T : struct, Enum => Streaming.Shards.Specs.Yaml.ConfigBinder.EnumText(value.ToString());
}
