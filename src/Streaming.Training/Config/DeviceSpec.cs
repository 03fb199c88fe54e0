using System.Text.RegularExpressions;
using Streaming.Training.Backend;
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

    /// <summary>
    /// The torch device, checking that CUDA is really there (the CPU libtorch build has none). Also the gate where an
    /// outside libtorch is found, checked and loaded (<see cref="TorchBackend.EnsureLoaded"/>), so a mismatch fails
    /// here with its message rather than at some later torch call.
    /// </summary>
    public static Device Open(string s)
    {
        Parse(s);
        TorchBackend.EnsureLoaded();
        if (s == "cpu") return CPU;
        if (!cuda.is_available())
            throw new InvalidOperationException($"device '{s}' requested but CUDA is not available: {WhyNoCuda()}");
        var d = new Device(s);
        if (d.index >= cuda.device_count()) throw new InvalidOperationException($"device '{s}': only {cuda.device_count()} CUDA device(s)");
        return d;
    }

    private static string WhyNoCuda() => TorchBackend.Info is { } info
        ? info.Location.HasCuda
            ? $"the libtorch at {info.Location.LibDir} has CUDA but found no usable GPU (driver missing or too old, or CUDA_VISIBLE_DEVICES hides the GPUs)"
            : $"the libtorch at {info.Location.LibDir} is a CPU-only build (no libtorch_cuda.so)"
        : "this build uses the packaged CPU libtorch (build with -p:TorchBackend=external and set STREAMING_LIBTORCH to a CUDA PyTorch's libtorch, " +
          "or -p:TorchBackend=cuda where TorchSharp-cuda-linux is available; see src/Streaming.Training/README.md)";
}
