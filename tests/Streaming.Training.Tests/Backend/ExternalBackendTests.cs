using Streaming.Training.Backend;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Backend;

public class ExternalBackendTests
{
    /// <summary>
    /// The libtorch_cpu.so mapped into this process is the one the backend chose: the outside folder of
    /// STREAMING_LIBTORCH (the test command runs the training tests that way too) and never the packaged copy, or the
    /// packaged one when the variable is unset.
    /// </summary>
    [Fact]
    public void The_process_runs_on_the_libtorch_the_backend_chose()
    {
        Config.DeviceSpec.Open("cpu");
        using (var t = ones(3).sum()) Assert.Equal(3f, t.item<float>());
        var mapped = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length >= 6 && p[5].EndsWith("/libtorch_cpu.so", StringComparison.Ordinal)).Select(p => p[5]).Distinct().ToList();
        var expected = Path.Combine(Libtorches.Libtorch210(), "libtorch_cpu.so");
        var real = File.ResolveLinkTarget(expected, returnFinalTarget: true)?.FullName ?? expected;
        Assert.Equal([real], mapped);
        if (TorchBackend.Setting() is null)
        {
            Assert.Null(TorchBackend.Info);
            Assert.StartsWith(AppContext.BaseDirectory, real);
        }
        else
        {
            var info = Assert.IsType<BackendInfo>(TorchBackend.Info);
            Assert.True(info.Check.Ok);
            Assert.Equal(1204, info.Check.Needed);
            Assert.DoesNotContain(AppContext.BaseDirectory, real);
            Assert.Contains("symbol check", TorchBackend.Describe());
        }
    }
}
