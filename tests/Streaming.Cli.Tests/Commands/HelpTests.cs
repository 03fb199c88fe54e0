using System.CommandLine;

namespace Streaming.Cli.Tests.Commands;

/// <summary>Every command explains itself: an example, a description for every option, lowercase choices.</summary>
public class HelpTests
{
    private static IEnumerable<Command> All(Command c) => c.Subcommands.SelectMany(All).Prepend(c);

    [Fact]
    public void Every_command_has_an_example_and_every_option_a_description()
    {
        var root = CliApp.Build();
        var missing = new List<string>();
        foreach (var c in All(root))
        {
            if (c.Description?.Contains("Example", StringComparison.Ordinal) != true) missing.Add($"{c.Name}: no example");
            foreach (var o in c.Options.Where(o => !o.Hidden && o.Name is not ("--help" or "--version")))
                if (string.IsNullOrWhiteSpace(o.Description)) missing.Add($"{c.Name} {o.Name}: no description");
            foreach (var a in c.Arguments)
                if (string.IsNullOrWhiteSpace(a.Description)) missing.Add($"{c.Name} <{a.Name}>: no description");
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void Choices_are_shown_in_lowercase_and_the_dicom_layout_is_listed()
    {
        var root = CliApp.Build();
        var synth = root.Subcommands.Single(c => c.Name == "synth");
        Assert.Equal("flare|amos|nlst", synth.Options.Single(o => o.Name == "--layout").HelpName);
        Assert.Equal("drawn|plain|venous", synth.Options.Single(o => o.Name == "--contrast").HelpName);
        var evaluate = root.Subcommands.Single(c => c.Name == "evaluate");
        Assert.Contains("handmade (per voxel", evaluate.Options.Single(o => o.Name == "--baseline").Description);
        var ingest = root.Subcommands.Single(c => c.Name == "ingest");
        Assert.Contains("dicom (every DICOM series", ingest.Options.Single(o => o.Name == "--source").Description);
    }

    [Fact]
    public void Old_option_names_still_parse_and_are_hidden()
    {
        var root = CliApp.Build();
        Assert.Empty(root.Parse(["pretrain", "x.yaml", "--run-dir", "r"]).Errors);
        Assert.Empty(root.Parse(["evaluate", "--config", "e.yaml", "--backbone", "r"]).Errors);
        Assert.Empty(root.Parse(["synth", "--out", "o", "--parallel", "2", "--layout", "amos"]).Errors);
        Assert.Empty(root.Parse(["evaluate-slices", "--config", "e.yaml", "--backbone", "sal=r"]).Errors);
        Assert.Empty(root.Parse(["bench", "preprocess", "--threads", "2"]).Errors);
        var pretrain = root.Subcommands.Single(c => c.Name == "pretrain");
        Assert.True(pretrain.Options.Single(o => o.Name == "--run-dir").Hidden);
        Assert.Contains("formerly --run-dir", pretrain.Options.Single(o => o.Name == "--run").Description);
    }

    [Fact]
    public void Retired_option_names_are_nowhere_visible()
    {
        // One name per thing: --run (not --run-dir/--backbone), --workers (not --parallel), a positional config where a
        // command has a main config (bench subcommands keep --config: their config is an input among others).
        var visible = All(CliApp.Build())
            .SelectMany(c => c.Options.Where(o => !o.Hidden).Select(o => (Command: c.Name, o.Name)))
            .Where(x => x.Name is "--run-dir" or "--backbone" or "--parallel" || (x.Name == "--config" && x.Command is "pretrain" or "evaluate" or "evaluate-slices"))
            .Select(x => $"{x.Command} {x.Name}").ToList();
        Assert.True(visible.Count == 0, string.Join(", ", visible));
    }
}
