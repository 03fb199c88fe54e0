using Streaming.Imaging.Files;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Read.Archives;

/// <summary>
/// FLARE and AMOS archives: every folder below the root whose name starts with "images" or "unlabeled" holds images;
/// an image's label map is in the sibling "labels&lt;suffix&gt;" folder (imagesTr → labelsTr) under the case id
/// (nnU-Net channel suffix _0000 dropped). Case ids are unique per dataset (a case in imagesTr and unlabeled is an error
/// of the archive, reported by the caller as a duplicate id). An nnU-Net case with several channels (CASE_0000,
/// CASE_0001, ...) is one case: the cache holds one image channel per volume, so channel _0000 is ingested and each
/// further channel file is a note on the case (not a second volume with the same id).
/// </summary>
internal static class NiftiArchiveDiscovery
{
    public static IEnumerable<DiscoveryUnit> Discover(ArchiveSource source, bool amos, ArchiveWalker walker, List<WalkProblem> problems)
    {
        var folders = walker.Tree(source.Root, problems).Where(l => IsImageFolder(Path.GetFileName(l.Folder)))
            .OrderBy(l => l.Folder, StringComparer.Ordinal).ToList();
        foreach (var listing in folders)
        {
            var labelsFolder = LabelsFolderFor(listing.Folder);
            var cases = listing.Files.Where(NiftiNames.IsNifti).Order(StringComparer.Ordinal).GroupBy(NiftiNames.CaseId, StringComparer.Ordinal);
            foreach (var channels in cases)
            {
                var caseId = channels.Key;
                var file = channels.First(); // _0000 sorts first
                var id = $"{source.DatasetName}/{caseId}";
                var notes = channels.Skip(1).Select(f => new IngestFailure(f, IngestStage.Discover,
                    $"channel {Path.GetFileName(f)} of case {caseId}: the cache keeps one channel per volume; {Path.GetFileName(file)} is ingested", id)).ToList();
                string? label = null;
                if (labelsFolder is not null)
                {
                    var candidate = Path.Combine(labelsFolder, caseId + ".nii.gz");
                    if (!RawPath.Exists(candidate)) candidate = Path.Combine(labelsFolder, caseId + ".nii");
                    if (RawPath.Exists(candidate)) label = candidate;
                }
                var modality = amos ? AmosModality(caseId) : source.Modality ?? Modality.CT;
                var item = new SourceItem(id, source.DatasetName, modality, SourceKind.Nifti, [file], label);
                yield return new DiscoveryUnit(id, item, null, source) { Notes = notes };
            }
        }
    }

    public static bool IsImageFolder(string name) =>
        name.StartsWith("images", StringComparison.OrdinalIgnoreCase) || name.StartsWith("unlabeled", StringComparison.OrdinalIgnoreCase);

    private static string? LabelsFolderFor(string imagesFolder)
    {
        var name = Path.GetFileName(imagesFolder);
        if (!name.StartsWith("images", StringComparison.OrdinalIgnoreCase)) return null;
        var labels = Path.Combine(Path.GetDirectoryName(imagesFolder)!, "labels" + name["images".Length..]);
        return Directory.Exists(labels) ? labels : null;
    }

    /// <summary>AMOS numbers CT cases below 500 and MRI cases from 500 on.</summary>
    internal static Modality AmosModality(string caseId)
    {
        var digits = new string(caseId.Reverse().TakeWhile(char.IsAsciiDigit).Reverse().ToArray());
        return int.TryParse(digits, out var n) && n >= 500 ? Modality.MR : Modality.CT;
    }
}
