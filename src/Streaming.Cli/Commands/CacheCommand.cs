using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Shards.Cache;

namespace Streaming.Cli.Commands;

/// <summary>`streaming cache ls|verify|gc|merge`: look after the shard cache.</summary>
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
        var c = new Command("ls", CommonOptions.WithExamples("One line per cache key (spec, volumes, failures, size) on stdout; with --volumes one line per volume",
            "streaming cache ls", "streaming cache ls --volumes --key 3f2a9c... | cut -f2")) { cache, key, volumes, json };
        c.SetAction(r =>
        {
            var keys = CacheInfo.List(Path.GetFullPath(r.GetValue(cache)!)).Where(k => r.GetValue(key) is not { } only || k.Key == only).ToList();
            // The table is the command's output: stdout (pipe it), unless stdout carries the --json line.
            var table = r.GetValue(json) ? Console.Error : Console.Out;
            var listed = new List<object>();
            foreach (var k in keys)
            {
                if (k.Error is not null) { Log.Error($"{k.Key}: unreadable: {k.Error}"); continue; }
                if (!r.GetValue(volumes))
                {
                    table.WriteLine($"{k.Key}\t{k.SpecName}\t{k.Modality}\t{k.Volumes} volumes\t{k.Failures} failures\t{Log.Bytes(k.Bytes)}\t{k.Path}");
                    continue;
                }
                foreach (var v in CacheStore.OpenExisting(k.Path).Volumes().OrderBy(v => v.Id, StringComparer.Ordinal))
                {
                    var shape = v.FinalGeometry?.Shape;
                    table.WriteLine($"{k.Key}\t{v.Id}\t{v.Dataset}\t{v.Modality}\t{(shape is null ? "-" : string.Join("x", shape))}\t{(v.HasLabels ? "labels" : "-")}");
                    listed.Add(new { key = k.Key, id = v.Id, dataset = v.Dataset, modality = v.Modality.ToString(), shape, hasLabels = v.HasLabels });
                }
            }
            if (keys.Count == 0) Log.Info($"no cache under {r.GetValue(cache)}");
            if (r.GetValue(json))
            {
                if (r.GetValue(volumes)) JsonSummary.Write(new { command = "cache ls", ok = keys.All(k => k.Error is null), volumes = listed });
                else JsonSummary.Write(new { command = "cache ls", ok = keys.All(k => k.Error is null), keys });
            }
            return keys.Any(k => k.Error is not null) ? 1 : 0;
        });
        return c;
    }

    private static Command Verify()
    {
        var cache = CommonOptions.Cache(); var key = KeyOption(); var json = CommonOptions.Json();
        var c = new Command("verify", CommonOptions.WithExamples("Recompute every chunk checksum; name each corrupt chunk and missing shard (exit 2 if any)",
            "streaming cache verify --cache /shared/cache --json")) { cache, key, json };
        c.SetAction((r, ct) =>
        {
            var reports = new List<object>();
            var bad = 0;
            foreach (var store in Stores(r.GetValue(cache)!, r.GetValue(key)))
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
        var c = new Command("gc", CommonOptions.WithExamples("Remove temp leftovers and shards no catalog references",
            "streaming cache gc --dry-run", "streaming cache gc --min-age-minutes 120")) { cache, key, dry, minAge, json };
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
        var c = new Command("merge", CommonOptions.WithExamples("Write one consolidated catalog from all partition catalogs (after a partitioned ingest)",
            "streaming cache merge --cache /shared/cache")) { cache, key, json };
        c.SetAction(r =>
        {
            var merged = Stores(r.GetValue(cache)!, r.GetValue(key)).Select(s => new { key = s.Key, path = s.MergeCatalogs(), volumes = s.Volumes().Count }).ToList();
            foreach (var m in merged) Log.Info($"{m.key}: {m.volumes} volumes → {m.path}");
            if (r.GetValue(json)) JsonSummary.Write(new { command = "cache merge", ok = true, keys = merged });
            return 0;
        });
        return c;
    }

    internal static IEnumerable<CacheStore> Stores(string cacheRoot, string? key)
    {
        var root = Path.GetFullPath(cacheRoot);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: no cache here");
        IEnumerable<string> dirs = key is null
            ? Directory.EnumerateDirectories(root).Where(d => File.Exists(Path.Combine(d, "spec.json"))).Order()
            : [Path.Combine(root, key)];
        foreach (var d in dirs) yield return CacheStore.OpenExisting(d);
    }
}
