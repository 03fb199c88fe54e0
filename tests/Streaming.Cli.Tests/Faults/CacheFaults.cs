using System.Diagnostics;
using Streaming.Tests;
using static Streaming.Cli.Tests.Faults.FaultRuns;

namespace Streaming.Cli.Tests.Faults;

/// <summary>Damage to a cache: each case damages a fresh copy of one small cache, checks what is reported, and that repair leaves nothing lost.</summary>
public sealed class CacheFaults : IClassFixture<CacheFaults.Baseline>
{
    /// <summary>A 4-volume cache built once; each test works on its own copy (cp -a keeps the sources' mtimes, hence fingerprints).</summary>
    public sealed class Baseline : IDisposable
    {
        private readonly TempDir _dir = new();
        public Baseline()
        {
            NiftiArchive(_dir.Path("in"), 4);
            var r = CliRunner.Run(IngestArgs(_dir.Path("in"), _dir.Path("cache")));
            if (r.Exit != 0) throw new InvalidOperationException(r.Stderr);
        }
        public string Root => _dir.Root;
        public void Dispose() => _dir.Dispose();
    }

    private readonly TempDir _t = new();
    private readonly string _in, _cache;

    public CacheFaults(Baseline b)
    {
        Shell.Run($"cp -a '{b.Root}/in' '{b.Root}/cache' '{_t.Root}/'");
        _in = _t.Path("in");
        _cache = _t.Path("cache");
    }

    [Fact]
    public void A_garbage_catalog_line_is_reported_by_verify_ingest_treats_it_as_absent_and_gc_survives()
    {
        var catalog = Catalog(_cache);
        var lines = File.ReadAllLines(catalog);
        lines[1] = lines[1][..(lines[1].Length / 2)] + "#garbage"; // a damaged record: its shard's fingerprint is still in the text
        File.WriteAllLines(catalog, lines);

        var verify = RunCli("cache", "verify", "--cache", _cache, "--json");
        Assert.Equal(2, verify.Exit);
        Assert.Contains($"{catalog}:2: unreadable catalog line", verify.Stderr);
        Assert.Equal(3, verify.Json.GetProperty("keys")[0].GetProperty("volumes").GetInt32()); // the others are still verified
        Assert.DoesNotContain("   at ", verify.Stderr);

        var gc = RunCli("cache", "gc", "--cache", _cache, "--min-age-minutes", "0", "--json");
        Assert.Equal(0, gc.Exit);
        Assert.Equal(4, ShardFiles(_cache).Length); // the shard named in the damaged line is kept

        var again = RunCli(IngestArgs(_in, _cache));
        Assert.Equal(0, again.Exit);
        Assert.Equal((1, 3), (again.Json.GetProperty("done").GetInt32(), again.Json.GetProperty("skipped").GetInt32()));
        var ls = RunCli("cache", "ls", "--cache", _cache, "--json");
        Assert.Equal(4, ls.Json.GetProperty("keys")[0].GetProperty("volumes").GetInt32());
    }

    [Fact]
    public void One_unreadable_key_folder_does_not_stop_verify_for_the_others()
    {
        var bad = Path.Combine(_cache, "0000000000000000");
        Directory.CreateDirectory(Path.Combine(bad, "shards"));
        File.WriteAllText(Path.Combine(bad, "spec.json"), "{ not a spec");
        var verify = RunCli("cache", "verify", "--cache", _cache, "--json");
        Assert.Equal(2, verify.Exit);
        Assert.Contains("0000000000000000: cache key folder unreadable, skipped", verify.Stderr);
        var keys = verify.Json.GetProperty("keys").EnumerateArray().ToList();
        Assert.Contains(keys, k => k.TryGetProperty("volumes", out var v) && v.GetInt32() == 4);
        Assert.DoesNotContain("   at ", verify.Stderr);
        var ls = RunCli("cache", "ls", "--cache", _cache, "--json");
        Assert.Equal(2, ls.Json.GetProperty("keys").GetArrayLength());
    }

    [Theory]
    [InlineData("truncated", "bytes, the catalog says")]
    [InlineData("missing", "is missing")]
    [InlineData("footer", "Arrow file magic")]
    public void Rerunning_ingest_heals_a_damaged_shard(string damage, string note)
    {
        var shard = ShardFiles(_cache)[2];
        var bytes = File.ReadAllBytes(shard);
        switch (damage)
        {
            case "truncated": File.WriteAllBytes(shard, bytes[..(bytes.Length / 2)]); break;
            case "missing": File.Delete(shard); break;
            case "footer": bytes[^2] ^= 0xFF; File.WriteAllBytes(shard, bytes); break;
        }
        Assert.Equal(2, RunCli("cache", "verify", "--cache", _cache, "--json").Exit);
        var again = RunCli(IngestArgs(_in, _cache));
        Assert.Equal(0, again.Exit);
        Assert.Equal(1, again.Json.GetProperty("done").GetInt32());
        Assert.Contains(again.Json.GetProperty("notes").EnumerateArray(), n => n.GetProperty("reason").GetString()!.Contains(note));
        AssertComplete(_cache, 4);
    }

    [Fact]
    public void A_bit_flip_inside_a_chunk_passes_the_cheap_checks_and_verify_repair_heals_it()
    {
        var shard = ShardFiles(_cache)[1];
        var bytes = File.ReadAllBytes(shard);
        for (var at = bytes.Length / 4; at < bytes.Length * 3 / 4; at += 97) bytes[at] ^= 0x10; // inside the chunks, footer intact
        File.WriteAllBytes(shard, bytes);
        Assert.Equal(4, RunCli(IngestArgs(_in, _cache)).Json.GetProperty("skipped").GetInt32()); // size and footer are intact
        var verify = RunCli("cache", "verify", "--cache", _cache, "--json");
        Assert.Equal(2, verify.Exit);
        Assert.Contains(shard, verify.Stderr);
        var repair = RunCli("cache", "verify", "--cache", _cache, "--repair", "--json");
        Assert.True(repair.Exit == 0, repair.Stderr);
        Assert.Equal(1, repair.Json.GetProperty("keys")[0].GetProperty("repaired").GetProperty("done").GetInt32());
        AssertComplete(_cache, 4);
    }

    [Fact]
    public void Verify_repair_reports_a_shard_whose_source_is_gone_and_keeps_failing_honestly()
    {
        // Its own cache: the shared copy's catalog records the baseline's source paths.
        NiftiArchive(_t.Path("own"), 1);
        Directory.Delete(_cache, true);
        Assert.Equal(0, RunCli(IngestArgs(_t.Path("own"), _cache)).Exit);
        File.Delete(ShardFiles(_cache)[0]);
        foreach (var f in Directory.GetFiles(_t.Path("own"))) File.Delete(f);
        var repair = RunCli("cache", "verify", "--cache", _cache, "--repair", "--json");
        Assert.Equal(2, repair.Exit);
        Assert.Contains("source file not found", repair.Stderr);
        Assert.Equal(1, repair.Json.GetProperty("keys")[0].GetProperty("missing").GetArrayLength());
    }

    [Fact]
    public void Cache_ls_counts_inputs_whose_latest_state_is_failed_not_failure_lines()
    {
        File.WriteAllBytes(Path.Combine(_in, "broken.nii.gz"), [0x1f, 0x8b, 1, 2, 3]);
        for (var i = 0; i < 2; i++) Assert.Equal(2, RunCli(IngestArgs(_in, _cache)).Exit);
        var failuresFile = Directory.GetFiles(Path.Combine(KeyDir(_cache), "failures")).Single();
        Assert.Equal(2, File.ReadAllLines(failuresFile).Length);
        Assert.Equal(1, RunCli("cache", "ls", "--cache", _cache, "--json").Json.GetProperty("keys")[0].GetProperty("failures").GetInt32());

        File.Copy(Path.Combine(_in, "case00.nii.gz"), Path.Combine(_in, "broken.nii.gz"), overwrite: true); // fixed at the source
        Assert.Equal(0, RunCli(IngestArgs(_in, _cache)).Exit);
        Assert.Equal(0, RunCli("cache", "ls", "--cache", _cache, "--json").Json.GetProperty("keys")[0].GetProperty("failures").GetInt32());
    }

    [Fact]
    public void Gc_removes_temp_leftovers_and_the_lease_of_a_killed_ingest()
    {
        var key = KeyDir(_cache);
        File.WriteAllText(Path.Combine(key, "shards", "leftover.arrow.1234.tmp"), "x");
        Directory.CreateDirectory(Path.Combine(key, "leases"));
        File.WriteAllText(Path.Combine(key, "leases", "all.999999.dead.lease"), "killed"); // no process holds its lock
        var gc = RunCli("cache", "gc", "--cache", _cache, "--min-age-minutes", "0", "--json");
        Assert.Equal(0, gc.Exit);
        Assert.Single(gc.Json.GetProperty("keys")[0].GetProperty("removed").EnumerateArray());
        Assert.Empty(Directory.GetFiles(Path.Combine(key, "leases")));
        AssertComplete(_cache, 4);
    }

    [Fact]
    public async Task Gc_with_min_age_0_during_a_live_ingest_deletes_nothing_it_is_writing()
    {
        // The race of the issue: gc --min-age-minutes 0 again and again while an ingest writes shards it has not yet committed.
        NiftiArchive(_t.Path("more"), 10, size: 64);
        using var ingest = CliRunner.Start(IngestArgs(_t.Path("more"), _cache));
        var stdout = ingest.StandardOutput.ReadToEndAsync();
        var stderr = ingest.StandardError.ReadToEndAsync();
        // The lease is watched every few ms beside the gc loop: looking only between gc runs (a process start each, ~1 s
        // on a loaded 2-core machine) missed a lease that lived a shorter time (a false failure in a fresh-clone run).
        var leases = Path.Combine(KeyDir(_cache), "leases");
        var sawLease = false;
        var watcher = Task.Run(() =>
        {
            while (!ingest.HasExited && !Volatile.Read(ref sawLease))
            {
                try { if (Directory.Exists(leases) && Directory.EnumerateFiles(leases).Any()) Volatile.Write(ref sawLease, true); }
                catch (DirectoryNotFoundException) { } // removed between the two calls
                Thread.Sleep(2);
            }
        });
        var runs = 0;
        while (!ingest.HasExited)
        {
            var gc = CliRunner.Run("cache", "gc", "--cache", _cache, "--min-age-minutes", "0");
            Assert.True(gc.Exit == 0, gc.Stderr);
            runs++;
        }
        await ingest.WaitForExitAsync();
        await watcher;
        Assert.True(ingest.ExitCode == 0, await stderr);
        Assert.True(runs >= 2, $"gc ran {runs} times during the ingest");
        Assert.True(sawLease);
        Assert.Equal(10, CliRunner.Summary(await stdout).GetProperty("done").GetInt32());
        AssertComplete(_cache, 10); // the same ten ids (dataset t): four replaced, six new
    }
}
