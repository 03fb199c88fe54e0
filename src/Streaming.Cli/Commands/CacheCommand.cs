using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Shards.Cache;

namespace Streaming.Cli.Commands;

/// <summary>`streaming cache ls|verify|gc|merge`: look after the shard cache.</summary>
public static class CacheCommand
{
    public static Command Create()
    {
        var cmd = new Command("cache", "List, verify, garbage-collect or merge the shard cache");
        cmd.Add(Ls());
        cmd.Add(Verify());
        cmd.Add(Gc());
        cmd.Add(Merge());
        return cmd;
    }

    private static Option<string?> KeyOption() => new("--key") { Description = "Only this cache key (default: every key under the cache root)" };

    private static Command Ls()
    {
        var cache = CommonOptions.Cache(); var json = CommonOptions.Json();
        var c = new Command("ls", "One line per cache key: spec, volumes, failures, size") { cache, json };
        c.SetAction(r =>
        {
            var keys = CacheInfo.List(Path.GetFullPath(r.GetValue(cache)!));
            foreach (var k in keys)
                Console.Error.WriteLine(k.Error is null
                    ? $"{k.Key}  {k.SpecName,-16} {k.Modality,-3} {k.Volumes,6} volumes {k.Failures,5} failures {Log.Bytes(k.Bytes),10}  {k.Path}"
                    : $"{k.Key}  unreadable: {k.Error}");
            if (keys.Count == 0) Log.Info($"no cache under {r.GetValue(cache)}");
            if (r.GetValue(json)) JsonSummary.Write(new { command = "cache ls", ok = keys.All(k => k.Error is null), keys });
            return keys.Any(k => k.Error is not null) ? 1 : 0;
        });
        return c;
    }

    private static Command Verify()
    {
        var cache = CommonOptions.Cache(); var key = KeyOption(); var json = CommonOptions.Json();
        var c = new Command("verify", "Recompute every chunk checksum; name each corrupt chunk and missing shard") { cache, key, json };
        c.SetAction((r, ct) =>
        {
            var reports = new List<object>();
            var bad = 0;
            foreach (var store in Readers(r.GetValue(cache)!, r.GetValue(key)))
            {
                var rep = CacheVerifier.Verify(store, null, ct);
                foreach (var p in rep.Corrupt) Log.Error($"{p.File}: chunk {p.Chunk}: {p.Reason}");
                foreach (var m in rep.MissingShards) Log.Error($"{m}: shard missing");
                Log.Info($"{store.Key}: {rep.Volumes} volumes, {rep.ChunksChecked} chunks checked, {rep.Corrupt.Count} corrupt, {rep.MissingShards.Count} missing");
                bad += rep.Corrupt.Count + rep.MissingShards.Count;
                reports.Add(new { key = store.Key, rep.Volumes, rep.ChunksChecked, corrupt = rep.Corrupt, missing = rep.MissingShards });
            }
            if (r.GetValue(json)) JsonSummary.Write(new { command = "cache verify", ok = bad == 0, keys = reports });
            return Task.FromResult(bad == 0 ? 0 : 2);
        });
        return c;
    }

    private static Command Gc()
    {
        var cache = CommonOptions.Cache(); var key = KeyOption(); var json = CommonOptions.Json();
        var dry = new Option<bool>("--dry-run") { Description = "Only list what would be removed" };
        var minAge = new Option<double>("--min-age-minutes") { Description = "Keep files younger than this (a live worker may be writing them)", DefaultValueFactory = _ => 60 };
        var c = new Command("gc", "Remove temp leftovers and shards no catalog references") { cache, key, dry, minAge, json };
        c.SetAction(r =>
        {
            var reports = new List<object>();
            foreach (var store in Stores(r.GetValue(cache)!, r.GetValue(key)))
            {
                var rep = CacheGc.Collect(store, r.GetValue(dry), TimeSpan.FromMinutes(r.GetValue(minAge)));
                foreach (var f in rep.Removed) Log.Info($"{(rep.DryRun ? "would remove" : "removed")} {f}");
                Log.Info($"{store.Key}: {rep.Removed.Count} files, {Log.Bytes(rep.BytesFreed)} {(rep.DryRun ? "reclaimable" : "freed")}");
                reports.Add(new { key = store.Key, removed = rep.Removed, bytesFreed = rep.BytesFreed, dryRun = rep.DryRun });
            }
            if (r.GetValue(json)) JsonSummary.Write(new { command = "cache gc", ok = true, keys = reports });
            return 0;
        });
        return c;
    }

    private static Command Merge()
    {
        var cache = CommonOptions.Cache(); var key = KeyOption(); var json = CommonOptions.Json();
        var c = new Command("merge", "Write one consolidated catalog from all partition catalogs (after a partitioned ingest)") { cache, key, json };
        c.SetAction(r =>
        {
            var merged = Stores(r.GetValue(cache)!, r.GetValue(key)).Select(s => new { key = s.Key, path = s.MergeCatalogs(), volumes = s.Volumes().Count }).ToList();
            foreach (var m in merged) Log.Info($"{m.key}: {m.volumes} volumes → {m.path}");
            if (r.GetValue(json)) JsonSummary.Write(new { command = "cache merge", ok = true, keys = merged });
            return 0;
        });
        return c;
    }

    /// <summary>Writers of every key (or one) under the root: gc and merge.</summary>
    internal static IEnumerable<CacheStore> Stores(string cacheRoot, string? key) => KeyDirs(cacheRoot, key).Select(d => CacheStore.OpenExisting(d));

    /// <summary>Read-only views of every key (or one) under the root: verify and inspect create nothing.</summary>
    internal static IEnumerable<CacheReader> Readers(string cacheRoot, string? key) => KeyDirs(cacheRoot, key).Select(CacheReader.OpenKey);

    private static IEnumerable<string> KeyDirs(string cacheRoot, string? key)
    {
        var root = Path.GetFullPath(cacheRoot);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: no cache here");
        return key is null
            ? Directory.EnumerateDirectories(root).Where(d => File.Exists(Path.Combine(d, "spec.json"))).Order()
            : [Path.Combine(root, key)];
    }
}
