using Streaming.Training.Backend;

namespace Streaming.Training.Tests.Backend;

/// <summary>The libtorch folders and glue the backend tests read (no test loads a mismatched one).</summary>
internal static class Libtorches
{
    public const string Debian113 = Streaming.Tests.DebianTorch.LibDir;

    /// <summary>The libtorch 2.10 this process uses: STREAMING_LIBTORCH when the tests run against an outside copy, else the packaged one.</summary>
    public static string Libtorch210()
    {
        var env = Environment.GetEnvironmentVariable(TorchBackend.LibtorchVariable);
        if (!string.IsNullOrWhiteSpace(env) && env != "auto") return LibtorchLocation.FromDirectory(env, "test").LibDir;
        return Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
    }

    /// <summary>TorchSharp 0.107.0's packaged glue.</summary>
    public static string Glue() => TorchBackend.FindGlue().Path;
}
