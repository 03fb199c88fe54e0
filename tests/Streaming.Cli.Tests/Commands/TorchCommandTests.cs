using Streaming.Tests;

namespace Streaming.Cli.Tests.Commands;

public class TorchCommandTests
{
    [Fact]
    public void Torch_check_passes_for_the_packaged_libtorch()
    {
        var r = CliRunner.Run(new Dictionary<string, string?> { ["STREAMING_LIBTORCH"] = null }, "torch", "check", "--load", "--json");
        Assert.True(r.Exit == 0, r.Stderr);
        var s = CliRunner.Summary(r.Stdout).GetProperty("report");
        Assert.Equal("packaged", s.GetProperty("mode").GetString());
        Assert.Equal(1204, s.GetProperty("symbolsNeeded").GetInt32());
        Assert.Equal(0, s.GetProperty("missing").GetInt32());
        Assert.True(s.GetProperty("loaded").GetBoolean());
        Assert.False(s.GetProperty("cudaAvailable").GetBoolean());
        Assert.Contains("matmul on cpu", s.GetProperty("smoke").GetString());
    }

    [DebianTorchFact]
    public void A_mismatched_libtorch_fails_with_one_message_naming_the_missing_symbols_and_the_fix()
    {
        var env = new Dictionary<string, string?> { ["STREAMING_LIBTORCH"] = DebianTorch.LibDir };
        var check = CliRunner.Run(env, "torch", "check", "--json");
        Assert.Equal(1, check.Exit);
        var s = CliRunner.Summary(check.Stdout).GetProperty("report");
        Assert.Equal(304, s.GetProperty("missing").GetInt32());
        Assert.Equal(3, s.GetProperty("missingAtLoad").GetInt32());

        // A torch command stops before any torch call: exit 1, the reason and the fix, no crash, no stack trace.
        using var t = new Streaming.Tests.TempDir();
        var run = CliRunner.Run(env, "pretrain", "pipelines/vox2vec-demo-cpu.yaml", "--run-dir", t.Path("run"), "--cache", t.Path("cache"));
        Assert.Equal(1, run.Exit);
        Assert.Contains("304 of the 1,204 libtorch symbols", run.Stderr);
        Assert.Contains("rebuild-glue.sh", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("symbol lookup error", run.Stderr);
        Assert.False(Directory.Exists(t.Path("run")));
    }
}
