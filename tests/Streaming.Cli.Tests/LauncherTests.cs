using System.Diagnostics;
using System.Runtime.Versioning;
using Streaming.Tests;

namespace Streaming.Cli.Tests;

/// <summary>
/// scripts/streaming.sh builds the CLI only when a source or project file changed since its last build: not for
/// files under obj/ or bin/ (a Debug build writes .cs files there), and not again after a build that left
/// streaming.dll untouched (only a library changed). Runs a copy of the script in a fake tree with a fake `dotnet`
/// that logs its calls.
/// </summary>
[SupportedOSPlatform("linux")]   // a bash launcher, tested with Unix file modes
public sealed class LauncherTests
{
    [Fact]
    public void RebuildsOnlyForChangedSourcesOrProjects()
    {
        using var dir = new TempDir();
        var tree = new FakeTree(dir);

        Assert.InRange(tree.Run(), 0, 1);                             // the first call may build once
        Assert.Equal(0, tree.Run());                                  // nothing changed

        tree.Touch("src/Streaming.Cli/obj/Debug/net10.0/Streaming.Cli.AssemblyInfo.cs");
        tree.Touch("src/Streaming.Shards/obj/Release/net10.0/Streaming.Shards.GlobalUsings.g.cs");
        tree.Touch("src/Streaming.Shards/bin/Release/net10.0/x.cs");
        Assert.Equal(0, tree.Run());                                  // build outputs are not sources

        tree.Touch("src/Streaming.Shards/Format/ShardWriter.cs");     // a library change: streaming.dll stays as it was
        Assert.Equal(1, tree.Run());
        Assert.Equal(0, tree.Run());

        tree.Touch("src/Streaming.Cli/Streaming.Cli.csproj");
        Assert.Equal(1, tree.Run());
        tree.Touch("Directory.Packages.props");
        Assert.Equal(1, tree.Run());
        Assert.Equal(0, tree.Run());
    }

    private sealed class FakeTree
    {
        private readonly string _root;
        private readonly string _log;
        private readonly string _bin;

        public FakeTree(TempDir dir)
        {
            _root = dir.Path("repo");
            _log = dir.Path("dotnet.log");
            _bin = dir.Path("fakebin");
            Directory.CreateDirectory(Path.Combine(_root, "scripts"));
            Directory.CreateDirectory(_bin);
            File.Copy(Path.Combine(SharedData.RepoRoot(), "scripts", "streaming.sh"), Path.Combine(_root, "scripts", "streaming.sh"));
            // setup.sh runs only where GDCM is missing; the fake one does nothing.
            Write("scripts/setup.sh", "#!/bin/sh\nexit 0\n", executable: true);
            // The fake dotnet logs each call; `build` changes nothing (as an up-to-date build leaves streaming.dll).
            File.WriteAllText(Path.Combine(_bin, "dotnet"), $"#!/bin/sh\necho \"$1\" >> '{_log}'\nexit 0\n");
            File.SetUnixFileMode(Path.Combine(_bin, "dotnet"), (UnixFileMode)0b111_101_101);
            foreach (var f in new[] { "src/Streaming.Cli/Program.cs", "src/Streaming.Cli/Streaming.Cli.csproj", "src/Streaming.Shards/Format/ShardWriter.cs",
                                      "build/X.targets", "Directory.Packages.props", "src/Streaming.Cli/bin/Release/net10.0/streaming.dll" })
                Touch(f);
        }

        /// <summary>Sets the file's time to now (created if missing), clear of the kernel's coarse file clock.</summary>
        public void Touch(string relative)
        {
            var path = Path.Combine(_root, relative);
            if (!File.Exists(path)) Write(relative, "x");
            Thread.Sleep(30);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            Thread.Sleep(30);
        }

        /// <summary>Runs the launcher; the number of builds it started.</summary>
        public int Run()
        {
            var before = File.Exists(_log) ? File.ReadAllLines(_log) : [];
            var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(_root, "scripts", "streaming.sh"));
            psi.ArgumentList.Add("--version");
            psi.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(60)), "streaming.sh did not finish");
            Assert.True(p.ExitCode == 0, $"streaming.sh exited {p.ExitCode}: {stderr.Result}");
            var calls = File.ReadAllLines(_log)[before.Length..];
            Assert.Equal(Path.Combine(_root, "src/Streaming.Cli/bin/Release/net10.0/streaming.dll"), calls[^1]);   // then runs the CLI
            return calls.Count(c => c == "build");
        }

        private void Write(string relative, string text, bool executable = false)
        {
            var path = Path.Combine(_root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            if (executable) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }
}
