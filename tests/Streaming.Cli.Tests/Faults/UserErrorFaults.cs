using Streaming.Tests;

namespace Streaming.Cli.Tests.Faults;

/// <summary>Mistakes a new user makes: one line naming the thing and what to do, exit 1, the JSON line with ok: false; no stack trace.</summary>
public sealed class UserErrorFaults
{
    public static TheoryData<string, string[], string> Cases(string dir) => new()
    {
        { "missing --source folder", ["ingest", "--spec", FaultArchive.Spec, "--source", $"flare={dir}/nowhere", "--cache", $"{dir}/cache", "--json"], "folder not found" },
        { "file given as source", ["ingest", "--spec", FaultArchive.Spec, "--source", $"{dir}/a-file.nii.gz", "--cache", $"{dir}/cache", "--json"], "is a file" },
        { "cache root is a file", ["ingest", "--spec", FaultArchive.Spec, "--source", $"glob={dir}/in/*.nii.gz", "--cache", $"{dir}/a-file.nii.gz", "--json"], "is a file, not a folder" },
        { "cache root not writable", ["ingest", "--spec", FaultArchive.Spec, "--source", $"glob={dir}/in/*.nii.gz", "--cache", "/proc/streaming-cache", "--json"], "is not writable" },
        { "spec missing", ["ingest", "--spec", $"{dir}/nope.yaml", "--source", $"glob={dir}/in/*.nii.gz", "--cache", $"{dir}/cache", "--json"], "spec not found" },
        { "unknown layout", ["ingest", "--spec", FaultArchive.Spec, "--source", $"flair={dir}/in", "--cache", $"{dir}/cache", "--json"], "unknown layout" },
        { "bad partition", ["ingest", "--spec", FaultArchive.Spec, "--source", $"glob={dir}/in/*.nii.gz", "--cache", $"{dir}/cache", "--partition", "3/2", "--json"], "--partition must be" },
        { "cache verify without a cache", ["cache", "verify", "--cache", $"{dir}/no-cache", "--json"], "no cache at" },
        { "cache gc without a cache", ["cache", "gc", "--cache", $"{dir}/no-cache", "--json"], "no cache at" },
        { "cache merge without a cache", ["cache", "merge", "--cache", $"{dir}/no-cache", "--json"], "no cache at" },
        { "cache verify of a file", ["cache", "verify", "--cache", $"{dir}/a-file.nii.gz", "--json"], "is a file" },
        { "empty --source", ["ingest", "--spec", FaultArchive.Spec, "--source", "", "--cache", $"{dir}/cache", "--json"], "empty --source" },
        { "spec with an unknown key", ["ingest", "--spec", $"{dir}/typo.yaml", "--source", $"glob={dir}/in/*.nii.gz", "--cache", $"{dir}/cache", "--json"], "typo.yaml" },
        { "cache merge of an unknown key", ["cache", "merge", "--cache", $"{dir}/empty-cache", "--key", "fedcba9876543210", "--json"], "no cache key fedcba9876543210" },
        { "cache verify of an unknown key", ["cache", "verify", "--cache", $"{dir}/empty-cache", "--key", "0123456789abcdef", "--json"], "no cache key 0123456789abcdef" },
    };

    private static readonly TempDir Dir = Prepare();

    private static TempDir Prepare()
    {
        var t = new TempDir();
        FaultRuns.NiftiArchive(t.Path("in"), 1);
        File.WriteAllText(t.Path("a-file.nii.gz"), "x");
        Directory.CreateDirectory(t.Path("empty-cache"));
        File.WriteAllText(t.Path("typo.yaml"), File.ReadAllText(Path.Combine(SharedData.RepoRoot(), FaultArchive.Spec)).Replace("targetSpacing:", "targetSpacng:"));
        return t;
    }

    public static TheoryData<string, string[], string> All => Cases(Dir.Root);

    [Theory]
    [MemberData(nameof(All))]
    public void One_line_exit_1_and_the_json_error(string what, string[] args, string reason)
    {
        var r = CliRunner.Run(args);
        Assert.True(r.Exit == 1, $"{what}: exit {r.Exit}: {r.Stderr}");
        var line = FaultRuns.OneErrorLine(r.Stderr);
        Assert.Contains(reason, line);
        var json = CliRunner.Summary(r.Stdout);
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Contains(reason, json.GetProperty("error").GetString());
        Assert.Equal(args[0] == "cache" ? $"cache {args[1]}" : args[0], json.GetProperty("command").GetString());
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        var r = CliRunner.Run("cache", "verify", "--cache", Dir.Path("no-cache"), "--verbose");
        Assert.Equal(1, r.Exit);
        Assert.Contains("no cache at", r.Stderr);
        Assert.Contains("   at ", r.Stderr);
    }

    [Fact]
    public void An_edited_spec_json_is_one_line_that_says_what_to_do()
    {
        using var t = new TempDir();
        FaultRuns.NiftiArchive(t.Path("in"), 1);
        Assert.Equal(0, CliRunner.Run(FaultRuns.IngestArgs(t.Path("in"), t.Path("cache"))).Exit);
        var spec = Path.Combine(FaultRuns.KeyDir(t.Path("cache")), "spec.json");
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("\"zstdLevel\":3", "\"zstdLevel\":4"));
        var r = CliRunner.Run(FaultRuns.IngestArgs(t.Path("in"), t.Path("cache")));
        Assert.Equal(1, r.Exit);
        var line = FaultRuns.OneErrorLine(r.Stderr);
        Assert.Contains("spec.json", line);
        Assert.Contains("restore it, or delete", line);
        Assert.False(CliRunner.Summary(r.Stdout).GetProperty("ok").GetBoolean());
    }
}
