using Streaming.Ingest.Pipeline;
using Streaming.Ingest.Volumes;

namespace Streaming.Ingest.Read.Archives;

/// <summary>Turns archive sources into discovery units (cheap, no header reads) and resolves units into items.</summary>
public sealed class ArchiveDiscovery(ISeriesScanner scanner)
{
    public IEnumerable<DiscoveryUnit> Units(ArchiveSource source, Modality defaultModality)
    {
        if (!Directory.Exists(source.Root)) throw new DirectoryNotFoundException($"{source.Root}: archive folder not found");
        var layout = source.Layout == ArchiveLayout.Auto ? Detect(source.Root) : source.Layout;
        return layout switch
        {
            ArchiveLayout.Flare => NiftiArchiveDiscovery.Discover(source, amos: false).Select(Ready),
            ArchiveLayout.Amos => NiftiArchiveDiscovery.Discover(source, amos: true).Select(Ready),
            ArchiveLayout.Glob => GlobDiscovery.Discover(source, defaultModality).Select(Ready),
            ArchiveLayout.Nlst => NlstDiscovery.Units(source),
            ArchiveLayout.Dicom => DicomFolderDiscovery.Units(source, scanner),
            _ => throw new ArgumentOutOfRangeException(nameof(source)),
        };

        DiscoveryUnit Ready(SourceItem item) => new(item.Id, item, null, source);
    }

    public DiscoveredItem Resolve(DiscoveryUnit unit)
    {
        if (unit.Item is not null) return DiscoveredItem.Of(unit.Item, unit.Notes);
        try { return NlstDiscovery.Resolve(unit, scanner); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return DiscoveredItem.Failed(new IngestFailure(unit.PatientFolder ?? unit.Key, IngestStage.Discover, e.Message, unit.Key));
        }
    }

    /// <summary>
    /// imagesTr/ or unlabeled*/ anywhere in the first two levels → NIfTI archive (AMOS when its files are amos_NNNN),
    /// otherwise a DICOM tree (*.dcm or extensionless files) → NLST, otherwise NIfTI files → glob.
    /// </summary>
    public static ArchiveLayout Detect(string root)
    {
        var dirs = Directory.EnumerateDirectories(root).Concat(Directory.EnumerateDirectories(root).SelectMany(Directory.EnumerateDirectories)).ToList();
        var imageDirs = dirs.Where(d => NiftiArchiveDiscovery.IsImageFolder(Path.GetFileName(d))).ToList();
        if (Directory.EnumerateDirectories(root).Any(d => NiftiArchiveDiscovery.IsImageFolder(Path.GetFileName(d))) || imageDirs.Count > 0)
        {
            var anyAmos = imageDirs.SelectMany(d => Directory.EnumerateFiles(d).Take(3))
                .Any(f => Path.GetFileName(f).StartsWith("amos_", StringComparison.OrdinalIgnoreCase));
            return anyAmos ? ArchiveLayout.Amos : ArchiveLayout.Flare;
        }
        // DICOM files are *.dcm or have no extension at all; label maps beside DICOM series do not make it a NIfTI archive.
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Take(10_000).ToList();
        var dicomLike = files.Any(f => f.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase) || Path.GetExtension(f).Length == 0);
        return !dicomLike && files.Any(NiftiNames.IsNifti) ? ArchiveLayout.Glob : ArchiveLayout.Nlst;
    }
}
