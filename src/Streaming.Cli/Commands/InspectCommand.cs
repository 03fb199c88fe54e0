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
        var c = new Command("inspect", CommonOptions.WithExamples("Show geometry, intensities and provenance of a volume (a table on stdout; --json: numbers and arrays)",
            "streaming inspect ct.nii.gz", "streaming inspect FLARE/FLARE_Tr_0001 --json")) { target, cache, json };
        c.SetAction(r =>
        {
            var t = r.GetValue(target)!;
            try
            {
                var info = Describe(t, r.GetValue(cache)!);
                var table = r.GetValue(json) ? Console.Error : Console.Out;
                foreach (var (k, v) in info) table.WriteLine($"{k,-22} {Text(v)}");
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
        foreach (var (k, v) in img.Metadata) d[Camel(k)] = v;
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
            foreach (var (k, v) in img.Metadata) d[Camel(k)] = v;
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
            ["shape"] = rec.FinalGeometry?.Shape, ["spacing"] = rec.FinalGeometry?.Spacing,
            ["originalShape"] = rec.OriginalGeometry?.Shape, ["originalSpacing"] = rec.OriginalGeometry?.Spacing,
            ["crop"] = rec.Crop is { } c ? new Dictionary<string, object?> { ["start"] = c.Start, ["shape"] = c.Shape } : null,
            ["bodyVoxels"] = rec.BodyVoxels, ["hasLabels"] = rec.HasLabels,
            ["stats"] = rec.Stats is { } s ? new Dictionary<string, object?> { ["min"] = s.Min, ["max"] = s.Max, ["mean"] = s.Mean, ["std"] = s.Std, ["bodyMean"] = s.BodyMean } : null,
            ["chunks"] = rec.ChunkChecksums?.Count, ["chunkShape"] = rec.ChunkShape,
            ["shardBytes"] = rec.ShardBytes, ["created"] = rec.CreatedUtc,
        };
    }

    /// <summary>Geometry as numbers: shape (x, y, z), spacing and origin in mm (LPS), direction row-major.</summary>
    private static Dictionary<string, object?> Geometry(Imaging.Volumes.VolumeGeometry g) => new()
    {
        ["shape"] = g.Shape.ToArray(), ["spacing"] = g.Spacing.ToArray(), ["origin"] = g.Origin.ToArray(), ["direction"] = g.Direction.ToRowMajor(),
    };

    /// <summary>Reader metadata keys (NIfTI's sform_code, ...) in the camelCase every JSON of ours uses (sformCode).</summary>
    internal static string Camel(string key)
    {
        var parts = key.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length <= 1 ? key : parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    /// <summary>How a value reads in the table: arrays as "a x b x c" (shapes, spacings) or space-separated (longer ones).</summary>
    internal static string Text(object? v) => v switch
    {
        null => "-",
        int[] a => string.Join(" x ", a),
        double[] { Length: <= 3 } a => string.Join(" x ", a.Select(x => x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))),
        double[] a => string.Join(" ", a.Select(x => x.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))),
        IDictionary<string, object?> d => string.Join("  ", d.Select(kv => $"{kv.Key} {Text(kv.Value)}")),
        double d => d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static void AddStats(Dictionary<string, object?> d, float[] data)
    {
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        foreach (var v in data) { if (v < min) min = v; if (v > max) max = v; sum += v; }
        d["min"] = min; d["max"] = max; d["mean"] = Math.Round(sum / data.Length, 3);
    }
}
