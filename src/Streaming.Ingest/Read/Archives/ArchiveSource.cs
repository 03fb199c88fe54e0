using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Read.Archives;

/// <summary>
/// One archive to ingest. Written on the command line as <c>LAYOUT=PATH</c>, optionally <c>LAYOUT:DATASET=PATH</c>,
/// e.g. <c>flare=/data/FLARE22</c>, <c>nlst:NLST-2=/mnt/nlst</c>, <c>glob=/data/**/*.nii.gz</c>, or a bare path (auto).
/// </summary>
public sealed record ArchiveSource(ArchiveLayout Layout, string Root, string? Dataset = null, string? Pattern = null, Modality? Modality = null)
{
    public static ArchiveSource Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("empty --source");
        var eq = text.IndexOf('=');
        if (eq < 0) return new ArchiveSource(ArchiveLayout.Auto, Path.GetFullPath(text));
        var head = text[..eq];
        var path = text[(eq + 1)..];
        string? dataset = null;
        var colon = head.IndexOf(':');
        if (colon >= 0) { dataset = head[(colon + 1)..]; head = head[..colon]; }
        if (!Enum.TryParse<ArchiveLayout>(head, ignoreCase: true, out var layout))
            throw new ArgumentException($"unknown layout '{head}' in --source {text} (auto, flare, amos, nlst, dicom, glob)");
        if (layout != ArchiveLayout.Glob) return new ArchiveSource(layout, Path.GetFullPath(path), dataset);
        var (root, pattern) = SplitGlob(path);
        return new ArchiveSource(layout, root, dataset, pattern);
    }

    /// <summary>The dataset name used in ids and mixing weights: given, else the root folder's name.</summary>
    public string DatasetName => Dataset ?? (Path.GetFileName(Root.TrimEnd(Path.DirectorySeparatorChar)) is { Length: > 0 } n ? n : "data");

    /// <summary>Splits "/data/x/**/*.nii.gz" into the fixed root "/data/x" and the pattern "**/*.nii.gz".</summary>
    internal static (string Root, string Pattern) SplitGlob(string path)
    {
        var full = path.Replace('\\', '/');
        var parts = full.Split('/');
        var i = 0;
        while (i < parts.Length && parts[i].IndexOfAny(['*', '?', '[']) < 0) i++;
        if (i == parts.Length) return (Path.GetFullPath(path), "**/*.nii*");
        var root = string.Join('/', parts[..i]);
        return (Path.GetFullPath(root.Length == 0 ? "." : root), string.Join('/', parts[i..]));
    }
}
