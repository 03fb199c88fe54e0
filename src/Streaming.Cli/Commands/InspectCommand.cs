using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Shards.Cache;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Shards.Format;

namespace Streaming.Cli.Commands;

/// <summary>`streaming inspect X`: what a NIfTI file, DICOM folder, shard file or cached volume id holds.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "A .nii/.nii.gz file, a DICOM series folder, a shard .arrow file, or a cached volume id (e.g. FLARE/FLARE_Tr_0001)" };
        var cache = CommonOptions.Cache(); var json = CommonOptions.Json();
        var c = new Command("inspect", "Show geometry, intensities and provenance of a volume") { target, cache, json };
        c.SetAction(r =>
        {
            var t = r.GetValue(target)!;
            try
            {
                var info = Describe(t, r.GetValue(cache)!);
                foreach (var (k, v) in info) Console.Error.WriteLine($"{k,-22} {v}");
                if (r.GetValue(json)) JsonSummary.Write(new { command = "inspect", ok = true, target = t, info });
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
            {
                Log.Error(e.Message);
                if (r.GetValue(json)) JsonSummary.Write(new { command = "inspect", ok = false, target = t, error = e.Message });
                return 1;
            }
        });
        return c;
    }

    internal static Dictionary<string, object?> Describe(string target, string cacheRoot)
    {
        if (target.EndsWith(".arrow", StringComparison.Ordinal) && File.Exists(target)) return Shard(target);
        if (File.Exists(target)) return Nifti(target);
        if (Directory.Exists(target)) return Dicom(target);
        // A volume id: search every cache key's catalog.
        foreach (var (_, store, _) in Directory.Exists(cacheRoot) && Directory.EnumerateDirectories(cacheRoot).Any() ? CacheCommand.Readers(cacheRoot, null) : [])
            if (store?.Catalog.Find(target) is { } rec) return Shard(store.ShardPath(rec.SourceFingerprint));
        throw new FileNotFoundException($"{target}: not a file, folder, or volume id in the cache at {Path.GetFullPath(cacheRoot)}");
    }

    private static Dictionary<string, object?> Nifti(string path)
    {
        var img = NiftiReader.Read(path);
        var d = Geometry(img.Volume.Geometry);
        foreach (var (k, v) in img.Metadata) d[k] = v;
        AddStats(d, img.Volume.Data);
        return d;
    }

    private static Dictionary<string, object?> Dicom(string folder)
    {
        var scan = DicomSeriesScanner.Scan(folder);
        var d = new Dictionary<string, object?> { ["series"] = scan.Series.Count, ["skippedFiles"] = scan.Skipped.Count };
        foreach (var s in scan.Skipped) d[$"skipped {Path.GetFileName(s.Path)}"] = s.Reason;
        if (scan.Series.Count == 1)
        {
            var img = DicomSeriesReader.Read(scan.Series[0].Files);
            foreach (var (k, v) in Geometry(img.Volume.Geometry)) d[k] = v;
            foreach (var (k, v) in img.Metadata) d[k] = v;
            AddStats(d, img.Volume.Data);
        }
        else foreach (var s in scan.Series) d[$"series {s.SeriesKey}"] = $"{s.Modality} {s.SliceCount} slices {s.Rows}x{s.Columns} {(s.IsAxial ? "axial" : "non-axial")} {s.SeriesDescription}";
        return d;
    }

    private static Dictionary<string, object?> Shard(string path)
    {
        using var v = ShardVolume.Open(path);
        var rec = v.Record;
        return new Dictionary<string, object?>
        {
            ["id"] = rec.Id, ["dataset"] = rec.Dataset, ["modality"] = rec.Modality.ToString(), ["source"] = rec.SourcePaths.Count == 1 ? rec.SourcePaths[0] : $"{Path.GetDirectoryName(rec.SourcePaths[0])} ({rec.SourcePaths.Count} files)",
            ["labels"] = rec.LabelPath, ["fingerprint"] = rec.SourceFingerprint, ["specKey"] = rec.SpecKey,
            ["shape"] = rec.FinalGeometry is { } g ? string.Join("x", g.Shape) : null,
            ["spacing"] = rec.FinalGeometry is { } g2 ? string.Join(" x ", g2.Spacing.Select(s => s.ToString("G4"))) + " mm" : null,
            ["originalShape"] = rec.OriginalGeometry is { } o ? string.Join("x", o.Shape) : null,
            ["originalSpacing"] = rec.OriginalGeometry is { } o2 ? string.Join(" x ", o2.Spacing.Select(s => s.ToString("G4"))) + " mm" : null,
            ["crop"] = rec.Crop is { } c ? $"start {string.Join(",", c.Start)} shape {string.Join("x", c.Shape)}" : null,
            ["bodyVoxels"] = rec.BodyVoxels, ["hasLabels"] = rec.HasLabels,
            ["stats"] = rec.Stats is { } s ? $"min {s.Min:F0} max {s.Max:F0} mean {s.Mean:F1} std {s.Std:F1} body mean {s.BodyMean:F1}" : null,
            ["chunks"] = rec.ChunkChecksums?.Count, ["chunkShape"] = rec.ChunkShape is { } cs ? string.Join("x", cs) : null,
            ["shardBytes"] = Log.Bytes(rec.ShardBytes), ["created"] = rec.CreatedUtc,
        };
    }

    private static Dictionary<string, object?> Geometry(Imaging.Volumes.VolumeGeometry g) => new()
    {
        ["shape"] = g.Shape.ToString(), ["spacing"] = g.Spacing.ToString() + " mm", ["origin"] = g.Origin.ToString() + " mm (LPS)",
        ["direction"] = string.Join(" ", g.Direction.ToRowMajor().Select(x => x.ToString("0.###"))),
    };

    private static void AddStats(Dictionary<string, object?> d, float[] data)
    {
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        foreach (var v in data) { if (v < min) min = v; if (v > max) max = v; sum += v; }
        d["min"] = min; d["max"] = max; d["mean"] = Math.Round(sum / data.Length, 3);
    }
}
