using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Streaming.Training.Config;

/// <summary>Parses the <c>device:</c> setting.</summary>
public static partial class DeviceSpec
{
    [GeneratedRegex(@"^(cpu|cuda(:\d+)?)$")]
    private static partial Regex Pattern();

    public static string Parse(string s)
    {
        if (string.IsNullOrWhiteSpace(s) || !Pattern().IsMatch(s))
            throw new ArgumentException($"device must be cpu, cuda or cuda:N; got '{s}'");
        return s;
    }

    /// <summary>The torch device, checking that CUDA is really there (the CPU libtorch build has none).</summary>
    public static Device Open(string s)
    {
        Parse(s);
        if (s == "cpu") return CPU;
        if (!cuda.is_available())
            throw new InvalidOperationException($"device '{s}' requested but CUDA is not available: this build uses the CPU libtorch " +
                                                "(build with -p:TorchBackend=cuda on a machine with CUDA, see src/Streaming.Training/README.md)");
        var d = new Device(s);
        if (d.index >= cuda.device_count()) throw new InvalidOperationException($"device '{s}': only {cuda.device_count()} CUDA device(s)");
        return d;
    }
}
