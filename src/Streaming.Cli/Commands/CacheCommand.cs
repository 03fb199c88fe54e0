using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Shards.Cache;
using Streaming.Ingest.Pipeline;

namespace Streaming.Cli.Commands;

/// <summary>`streaming cache ls|verify|gc|merge`: look after the shard cache. Each key folder is handled on its own: one unreadable key does not stop the others.</summary>
public static class CacheCommand
{
    public static Command Create()
    {
        var cmd = new Command("cache", CommonOptions.WithExamples("List, verify, garbage-collect or merge the shard cache",
            "streaming cache ls --volumes | grep FLARE", "streaming cache verify --cache /shared/cache"));
        cmd.Add(Ls());
        cmd.Add(Verify());
        cmd.Add(Gc());
        cmd.Add(Merge());
        return cmd;
    }

    private static Option<string?> KeyOption() => new("--key") { Description = "Only this cache key (default: every key under the cache root)" };

    private static Command Ls()
    {
        var cache = CommonOptions.Cache(); var key = KeyOption(); var json = CommonOptions.Json();
        var volumes = new Option<bool>("--volumes") { Description = "One line per cached volume instead: key, volume id, dataset, modality, shape, labels" };
        var c = new Command("ls", CommonOptions.WithExamples(
            "One tab-separated line per cache key on stdout (key, spec, modality, volumes, inputs whose latest state is failed, size, folder); with --volumes one line per volume",
            "streaming cache ls", "streaming cache ls --volumes --key 3f2a9c... | cut -f2")) { cache, key, volumes, json };
        c.SetAction(r =>
        {
            var keys = CacheInfo.List(Path.GetFullPath(r.GetValue(cache)!)).Where(k => r.GetValue(key) is not { } only || k.Key == only).ToList();
            // The table is the command's output: stdout (pipe it), unless stdout carries the --json line.
            var table = r.GetValue(json) ? Console.Error : Console.Out;
            var listed = new List<object>();
            var bad = 0;
            foreach (var k in keys)
            {
                if (k.Error is not null) { Log.Error($"{k.Path}: cache key folder unreadable, skipped: {k.Error}"); bad++; continue; }
                if (k.CatalogProblems > 0) Log.Info($"{k.Key}: {k.CatalogProblems} unreadable catalog lines: run cache verify");
                if (!r.GetValue(volumes))
                {
                    table.WriteLine($"{k.Key}\t{k.SpecName}\t{k.Modality}\t{k.Volumes} volumes\t{k.Failures} failed\t{Log.Bytes(k.Bytes)}\t{k.Path}");
                    continue;
                }
                CacheReader reader;
                try { reader = CacheReader.OpenKey(k.Path); } // read-only: listing creates nothing
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { Log.Error($"{k.Path}: cache key folder unreadable, skipped: {e.Message}"); bad++; continue; }
                foreach (var v in reader.Volumes().OrderBy(v => v.Id, StringComparer.Ordinal))
                {
                    var shape = v.FinalGeometry?.Shape;
                    table.WriteLine($"{k.Key}\t{v.Id}\t{v.Dataset}\t{v.Modality}\t{(shape is null ? "-" : string.Join("x", shape))}\t{(v.HasLabels ? "labels" : "-")}");
                    listed.Add(new { key = k.Key, id = v.Id, dataset = v.Dataset, modality = v.Modality.ToString(), shape, hasLabels = v.HasLabels });
                }
            }
            if (keys.Count == 0) Log.Info($"no cache under {r.GetValue(cache)}");
            if (r.GetValue(json))
            {
                if (r.GetValue(volumes)) JsonSummary.Write(new { command = "cache ls", ok = bad == 0, volumes = listed });
                else JsonSummary.Write(new { command = "cache ls", ok = bad == 0, keys });
            }
            return bad > 0 ? 1 : 0;
        });
        return c;
    }

    private static Command Verify()
    {
        var cache = CommonOptions.Cache(); var key = KeyOption(); var json = CommonOptions.Json();
        var repair = new Option<bool>("--repair") { Description = "Re-ingest every volume whose shard is corrupt or missing, from the sources the catalog records" };
        var workers = new Option<int>("--workers") { Description = "Volumes re-ingested in parallel by --repair", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var c = new Command("verify", CommonOptions.WithExamples("Recompute every chunk checksum; name each corrupt chunk, missing shard and unreadable catalog line (exit 2 if any)",
            "streaming cache verify --cache /shared/cache --json", "streaming cache verify --repair --workers 4")) { cache, key, repair, workers, json };
        c.SetAction(async (r, ct) =>
        {
            var reports = new List<object>();
            var bad = 0;
            foreach (var (dir, store, error) in Readers(r.GetValue(cache)!, r.GetValue(key)))
            {
                if (store is null) { Unreadable(dir, error!, reports); bad++; continue; }
                var rep = CacheVerifier.Verify(store, null, ct);
                Print(store, rep);
                object? repaired = null;
                if (r.GetValue(repair) && rep.Damaged.Count > 0)
                {
                    Log.Info($"{store.Key}: re-ingesting {rep.Damaged.Count} volumes from their sources");
                    // Only --repair writes: verify itself opens the key read-only.
                    var s = await CacheRepair.RepairAsync(CacheStore.OpenExisting(dir), rep, r.GetValue(workers), ct);
                    foreach (var f in s.Failures) Log.Error($"repair: {f}");
                    repaired = new { s.Done, s.Failed, failures = s.Failures.Select(f => new { f.Path, f.Stage, f.Reason }) };
                    rep = CacheVerifier.Verify(store, null, ct);
                    Log.Info($"{store.Key}: after repair:");
                    Print(store, rep);
                }
                bad += rep.Corrupt.Count + rep.MissingShards.Count + rep.CatalogProblems.Count;
                reports.Add(new
                {
                    key = store.Key, rep.Volumes, rep.ChunksChecked, corrupt = rep.Corrupt, missing = rep.MissingShards,
                    catalogProblems = rep.CatalogProblems.Select(p => p.ToString()), repaired
                });
            }
            if (r.GetValue(json)) JsonSummary.Write(new { command = "cache verify", ok = bad == 0, keys = reports });
            return bad == 0 ? 0 : 2;
        });
        return c;
    }

    private static void Print(CacheReader store, VerifyReport rep)
    {
        foreach (var p in rep.CatalogProblems) Log.Error(p.ToString());
        foreach (var p in rep.Corrupt) Log.Error($"{p.File}: chunk {p.Chunk}: {p.Reason}");
        foreach (var m in rep.MissingShards) Log.Error($"{m}: shard missing");
        Log.Info($"{store.Key}: {rep.Volumes} volumes, {rep.ChunksChecked} chunks checked, {rep.Corrupt.Count} corrupt, {rep.MissingShards.Count} missing, " +
                 $"{rep.CatalogProblems.Count} unreadable catalog lines" + (rep.Damaged.Count > 0 ? " (cache verify --repair re-ingests them)" : ""));
    }

    private static Command Gc()
    {
        var cache = CommonOptions.Cache(); var key = KeyOption(); var json = CommonOptions.Json();
        var dry = new Option<bool>("--dry-run") { Description = "Only list what would be removed" };
        var minAge = new Option<double>("--min-age-minutes") { Description = "Keep files younger than this (files written by a live ingest are always kept)", DefaultValueFactory = _ => 60 };
        var c = new Command("gc", CommonOptions.WithExamples("Remove temp leftovers and shards no catalog references",
            "streaming cache gc --dry-run", "streaming cache gc --min-age-minutes 120")) { cache, key, dry, minAge, json };
        c.SetAction(r =>
        {
            var reports = new List<object>();
            var bad = 0;
            foreach (var (dir, store, error) in Stores(r.GetValue(cache)!, r.GetValue(key)))
            {
                if (store is null) { Unreadable(dir, error!, reports); bad++; continue; }
                GcReport rep;
                try { rep = CacheGc.Collect(store, r.GetValue(dry), TimeSpan.FromMinutes(r.GetValue(minAge))); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Unreadable(dir, e.Message, reports); bad++; continue; }
                foreach (var f in rep.Removed) Log.Info($"{(rep.DryRun ? "would remove" : "removed")} {f}");
                foreach (var p in rep.CatalogProblems) Log.Error(p.ToString());
                Log.Info($"{store.Key}: {rep.Removed.Count} files, {Log.Bytes(rep.BytesFreed)} {(rep.DryRun ? "reclaimable" : "freed")}" +
                         (rep.KeptForLiveIngest > 0 ? $"; {rep.KeptForLiveIngest} recent files kept (younger than --min-age-minutes or written by a live ingest)" : ""));
                reports.Add(new { key = store.Key, removed = rep.Removed, bytesFreed = rep.BytesFreed, dryRun = rep.DryRun, kept = rep.KeptForLiveIngest });
            }
            if (r.GetValue(json)) JsonSummary.Write(new { command = "cache gc", ok = bad == 0, keys = reports });
            return bad == 0 ? 0 : 2;
        });
        return c;
    }

    private static Command Merge()
    {
        var cache = CommonOptions.Cache(); var key = KeyOption(); var json = CommonOptions.Json();
        var c = new Command("merge", CommonOptions.WithExamples("Write one consolidated catalog from all partition catalogs (after a partitioned ingest)",
            "streaming cache merge --cache /shared/cache")) { cache, key, json };
        c.SetAction(r =>
        {
            var reports = new List<object>();
            var bad = 0;
            foreach (var (dir, store, error) in Stores(r.GetValue(cache)!, r.GetValue(key)))
            {
                if (store is null) { Unreadable(dir, error!, reports); bad++; continue; }
                var path = store.MergeCatalogs();
                var volumes = store.Volumes().Count;
                Log.Info($"{store.Key}: {volumes} volumes → {path}");
                reports.Add(new { key = store.Key, path, volumes });
            }
            if (r.GetValue(json)) JsonSummary.Write(new { command = "cache merge", ok = bad == 0, keys = reports });
            return bad == 0 ? 0 : 2;
        });
        return c;
    }

    private static void Unreadable(string dir, string error, List<object> reports)
    {
        Log.Error($"{dir}: cache key folder unreadable, skipped: {error}");
        reports.Add(new { key = Path.GetFileName(dir), error });
    }

    /// <summary>Writers of every key (or one) under the root, each opened on its own: gc and merge.</summary>
    internal static IEnumerable<(string Dir, CacheStore? Store, string? Error)> Stores(string cacheRoot, string? key) =>
        OpenEach(cacheRoot, key, d => CacheStore.OpenExisting(d));

    /// <summary>Read-only views of every key (or one) under the root, each opened on its own: verify and inspect create nothing.</summary>
    internal static IEnumerable<(string Dir, CacheReader? Store, string? Error)> Readers(string cacheRoot, string? key) =>
        OpenEach(cacheRoot, key, CacheReader.OpenKey);

    /// <summary>Each key folder opened on its own: (folder, opened, null) or (folder, null, why it cannot be opened).</summary>
    private static IEnumerable<(string Dir, T? Store, string? Error)> OpenEach<T>(string cacheRoot, string? key, Func<string, T> open) where T : class
    {
        foreach (var d in KeyDirs(cacheRoot, key))
        {
            T? store = null; string? error = null;
            try { store = open(d); }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException) { error = e.Message; }
            yield return (d, store, error);
        }
    }

    private static List<string> KeyDirs(string cacheRoot, string? key)
    {
        var root = Path.GetFullPath(cacheRoot);
        if (File.Exists(root)) throw new ArgumentException($"cache root {root} is a file, not a cache folder; pass --cache with the folder ingest wrote");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"no cache at {root}; run ingest first, or pass --cache (or set STREAMING_CACHE) to the folder it wrote");
        if (key is not null)
        {
            var d = Path.Combine(root, key);
            if (!Directory.Exists(d)) throw new DirectoryNotFoundException($"no cache key {key} under {root}; `streaming cache ls` lists the keys");
            return [d];
        }
        var dirs = Directory.EnumerateDirectories(root).Where(d => File.Exists(Path.Combine(d, "spec.json")) || Directory.Exists(Path.Combine(d, "shards"))).Order(StringComparer.Ordinal).ToList();
        if (dirs.Count == 0) throw new DirectoryNotFoundException($"no cache key folders under {root}; run ingest first, or pass --cache with the folder it wrote");
        return dirs;
    }
}
