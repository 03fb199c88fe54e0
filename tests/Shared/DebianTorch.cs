namespace Streaming.Tests;

/// <summary>Debian 12's python3-torch 1.13 (scripts/setup.sh installs it): a libtorch that TorchSharp 0.107's glue
/// does not match, for the symbol-check tests.</summary>
public static class DebianTorch
{
    public const string LibDir = "/usr/lib/python3/dist-packages/torch/lib";

    public static bool Available => File.Exists(System.IO.Path.Combine(LibDir, "libtorch_cpu.so"));

    public const string MissingReason = "Debian's python3-torch (1.13) is not installed (scripts/setup.sh installs it); skipped";
}

/// <summary>A fact skipped, with a message, without Debian's python3-torch.</summary>
public sealed class DebianTorchFactAttribute : FactAttribute
{
    public DebianTorchFactAttribute() { if (!DebianTorch.Available) Skip = DebianTorch.MissingReason; }
}
