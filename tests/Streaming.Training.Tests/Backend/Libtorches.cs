using Streaming.Training.Backend;

namespace Streaming.Training.Tests.Backend;

/// <summary>The libtorch folders and glue the backend tests read (no test loads a mismatched one).</summary>
internal static class Libtorches
{
    /// <summary>Debian 12's python3-torch 1.13 (scripts/setup.sh installs it): a libtorch the packaged glue does not match.</summary>
    public const string Debian113 = "/usr/lib/python3/dist-packages/torch/lib";

    public static bool DebianAvailable => File.Exists(Path.Combine(Debian113, "libtorch_cpu.so"));

    public const string DebianMissing = "Debian's python3-torch (1.13) is not installed (scripts/setup.sh installs it); skipped";

    /// <summary>The libtorch 2.10 this process uses: STREAMING_LIBTORCH when the tests run against an outside copy, else the packaged one.</summary>
    public static string Libtorch210()
    {
        var env = Environment.GetEnvironmentVariable(TorchBackend.LibtorchVariable);
        if (!string.IsNullOrWhiteSpace(env) && env != "auto") return LibtorchLocation.FromDirectory(env, "test").LibDir;
        return Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
    }

    /// <summary>TorchSharp 0.107.0's packaged glue.</summary>
    public static string Glue() => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", TorchBackend.GlueFileName);
}

public sealed class DebianTorchFactAttribute : FactAttribute
{
    public DebianTorchFactAttribute() { if (!Libtorches.DebianAvailable) Skip = Libtorches.DebianMissing; }
}
