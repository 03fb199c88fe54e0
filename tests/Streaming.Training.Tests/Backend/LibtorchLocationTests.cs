using Streaming.Tests;
using Streaming.Training.Backend;

namespace Streaming.Training.Tests.Backend;

public class LibtorchLocationTests
{
    [DebianTorchFact]
    public void Auto_asks_python_where_its_torch_is_without_importing_it()
    {
        var l = LibtorchLocation.Resolve("auto", "/usr/bin/python3");
        Assert.Equal(Libtorches.Debian113, l.LibDir);
        Assert.Equal("1.13.0a0", l.Version);
        Assert.Null(l.CudaVersion);
        Assert.False(l.HasCuda);
        Assert.Contains("/usr/bin/python3", l.Source);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Auto_says_what_is_wrong_with_the_python()
    {
        using var t = new Streaming.Tests.TempDir();
        var noTorch = t.Path("python-without-torch");
        File.WriteAllText(noTorch, "#!/bin/sh\necho 'STREAMING-TORCH='\n");
        File.SetUnixFileMode(noTorch, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        Assert.Contains("has no torch package", Assert.Throws<TorchBackendException>(() => LibtorchLocation.Resolve("auto", noTorch)).Message);
        Assert.Contains("not found", Assert.Throws<TorchBackendException>(() => LibtorchLocation.Resolve("auto", t.Path("no-such-python"))).Message);
    }

    [Fact]
    public void A_folder_is_the_lib_folder_or_the_package_folder_above_it()
    {
        using var t = new Streaming.Tests.TempDir();
        Directory.CreateDirectory(t.Path("torch", "lib"));
        foreach (var f in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }) File.WriteAllText(t.Path("torch", "lib", f), "");
        File.WriteAllText(t.Path("torch", "version.py"), "__version__ = '2.11.0+cu130'\ndebug = False\ncuda: Optional[str] = '13.0'\n");
        var l = LibtorchLocation.Resolve(t.Path("torch"));
        Assert.Equal(t.Path("torch", "lib"), l.LibDir);
        Assert.Equal("2.11.0+cu130", l.Version);
        Assert.Equal("13.0", l.CudaVersion);
        Assert.Equal(3, l.Present.Count);

        Assert.Contains("does not exist", Assert.Throws<TorchBackendException>(() => LibtorchLocation.Resolve(t.Path("nowhere"))).Message);
        File.Delete(t.Path("torch", "lib", "libtorch_cpu.so"));
        Assert.Contains("has no libtorch_cpu.so", Assert.Throws<TorchBackendException>(() => LibtorchLocation.Resolve(t.Path("torch", "lib"))).Message);
    }
}
