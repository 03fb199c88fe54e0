namespace Streaming.Training.Tests;

/// <summary>The build step in build/WeakenGlibcxxRequirement.targets patched the output copy, and only that.</summary>
public class BuildStepTests
{
    [Fact]
    public void OutputLibTorchSharp_DiffersFromPackageOnlyByTheWeakFlag()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var original = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), $"missing {output}");
        Assert.True(File.Exists(original), $"missing {original} (set NUGET_PACKAGES if the cache is elsewhere)");
        var a = File.ReadAllBytes(original);
        var b = File.ReadAllBytes(output);
        Assert.Equal(a.Length, b.Length);
        var diffs = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToList();
        var offset = Assert.Single(diffs);
        // vna_flags low byte of the GLIBCXX_3.4.32 Vernaux entry: 0 in the package, VER_FLG_WEAK (2) in the output
        Assert.Equal(0, a[offset]);
        Assert.Equal(2, b[offset]);
        // the entry's vna_name (4 bytes after vna_flags/vna_other) points at "GLIBCXX_3.4.32" in .dynstr
        Assert.Contains("GLIBCXX_3.4.32", System.Text.Encoding.ASCII.GetString(a));
    }
}
