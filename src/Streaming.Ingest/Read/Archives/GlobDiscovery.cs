using Microsoft.Extensions.FileSystemGlobbing;
using Streaming.Imaging.Files;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Read.Archives;

/// <summary>
/// Every NIfTI file matching a glob below the root; ids are the relative path without extension. The files come from
/// the <see cref="ArchiveWalker"/> (each physical file once, loops walked once) and are matched against the pattern
/// by FileSystemGlobbing's matcher.
/// </summary>
internal static class GlobDiscovery
{
    public static IEnumerable<SourceItem> Discover(ArchiveSource source, Modality defaultModality, ArchiveWalker walker, List<WalkProblem> problems)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(source.Pattern ?? "**/*.nii*");
        var all = walker.Tree(source.Root, problems).SelectMany(l => l.Files).ToList();
        var relative = all.ToDictionary(f => Path.GetRelativePath(source.Root, f).Replace('\\', '/'), f => f, StringComparer.Ordinal);
        var matched = matcher.Match(relative.Keys).Files.Select(m => relative[m.Path]);
        var files = matched.Where(NiftiNames.IsNifti).OrderBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
        {
            var rel = Path.GetRelativePath(source.Root, file).Replace('\\', '/');
            var id = rel.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase) ? rel[..^7] : rel[..^4];
            // Label maps are picked up beside their image, never ingested as images: CASE.labels.nii.gz, anything in a
            // labels/ folder, or labels.nii.gz beside image.nii.gz (one case per folder, TotalSegmentator style).
            var stem = NiftiNames.Stem(file);
            if (id.EndsWith(".labels", StringComparison.Ordinal) || id.Split('/').Contains("labels") || stem == "labels") continue;
            var dir = Path.GetDirectoryName(file)!;
            var label = new[] { Path.Combine(dir, stem + ".labels.nii.gz"), stem == "image" ? Path.Combine(dir, "labels.nii.gz") : "" }
                .FirstOrDefault(p => p.Length > 0 && RawPath.Exists(p));
            // A case folder holding image.nii.gz is named by its folder.
            if (stem == "image" && id.Contains('/')) id = id[..id.LastIndexOf('/')];
            yield return new SourceItem($"{source.DatasetName}/{RawPath.Display(id)}", source.DatasetName, source.Modality ?? defaultModality, SourceKind.Nifti, [file], label);
        }
    }
}
