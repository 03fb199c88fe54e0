using Streaming.Tests;
using static Streaming.Cli.Tests.Faults.FaultRuns;

namespace Streaming.Cli.Tests.Faults;

/// <summary>A cache on a small filesystem that fills up: ingest stops after repeated ENOSPC with one clear message; with room again the rerun completes.</summary>
public sealed class DiskFullFaults
{
    [NeedsSmallFilesystemFact]
    public void A_full_disk_stops_ingest_with_one_message_and_nothing_half_written()
    {
        using var t = new TempDir();
        NiftiArchive(t.Path("in"), 16, size: 96);
        var mount = t.Path("small");
        Directory.CreateDirectory(mount);
        Shell.Run($"mount -t tmpfs -o size=48k tmpfs '{mount}'");
        try
        {
            var cache = Path.Combine(mount, "cache");
            var r = RunCli(IngestArgs(t.Path("in"), cache));
            Assert.True(r.Exit == 1, r.Stderr);
            Assert.DoesNotContain("   at ", r.Stderr);
            Assert.Contains("disk full", r.Json.GetProperty("error").GetString());
            Assert.Single(r.Stderr.Split('\n'), l => l.Contains("error: disk full"));
            var done = r.Json.GetProperty("done").GetInt32();
            var failed = r.Json.GetProperty("failed").GetInt32();
            Assert.True(done + failed < 16, $"it went on after the disk was full: {done} done, {failed} failed");
            // Three in a row stop it (a volume already past its read may fail the same way before the stop takes hold).
            Assert.InRange(r.Json.GetProperty("failures").EnumerateArray().Count(f => f.GetProperty("reason").GetString()!.Contains("no space left on device")), 3, 4);

            // Move the cache to a roomy place (the user frees space) and run again: what was committed is reused.
            Shell.Run($"cp -a '{cache}' '{t.Path("cache")}'");
            var rerun = RunCli(IngestArgs(t.Path("in"), t.Path("cache")));
            Assert.True(rerun.Exit == 0, rerun.Stderr);
            Assert.Equal(done, rerun.Json.GetProperty("skipped").GetInt32());
            AssertComplete(t.Path("cache"), 16);
        }
        finally { Shell.Try($"umount '{mount}'"); }
    }
}
