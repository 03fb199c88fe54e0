using Microsoft.Extensions.FileSystemGlobbing;
using Streaming.Ingest.Volumes;

namespace Streaming.Ingest.Read.Archives;

/// <summary>Every NIfTI file matching a glob below the root; ids are the relative path without extension.</summary>
internal static class GlobDiscovery
{
    public static IEnumerable<SourceItem> Discover(ArchiveSource source, Modality defaultModality)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(source.Pattern ?? "**/*.nii*");
        var files = matcher.GetResultsInFullPath(source.Root).Where(NiftiNames.IsNifti).OrderBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
        {
            var rel = Path.GetRelativePath(source.Root, file).Replace('\\', '/');
            var id = rel.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase) ? rel[..^7] : rel[..^4];
            // A label map next to the image as CASE.labels.nii.gz or in a labels/ sibling is picked up, never ingested.
            if (id.EndsWith(".labels", StringComparison.Ordinal) || id.Split('/').Contains("labels")) continue;
            var label = new[] { Path.Combine(Path.GetDirectoryName(file)!, NiftiNames.Stem(file) + ".labels.nii.gz") }.FirstOrDefault(File.Exists);
            yield return new SourceItem($"{source.DatasetName}/{id}", source.DatasetName, source.Modality ?? defaultModality, SourceKind.Nifti, [file], label);
        }
    }
}
