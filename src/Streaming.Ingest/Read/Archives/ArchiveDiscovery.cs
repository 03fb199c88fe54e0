using Streaming.Ingest.Pipeline;
using Streaming.Imaging.Volumes;

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
            ArchiveLayout.Flare => NiftiArchiveDiscovery.Discover(source, amos: false),
            ArchiveLayout.Amos => NiftiArchiveDiscovery.Discover(source, amos: true),
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
    /// otherwise DICOM files 3 folders deep (patient/study/series) → NLST, shallower DICOM → dicom, otherwise NIfTI files → glob.
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
        // DICOM files are recognised by their preamble ("DICM" at byte 128), whatever their names.
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Take(10_000).ToList();
        var dicom = files.Where(f => !NiftiNames.IsNifti(f)).Take(200).FirstOrDefault(IsDicomFile);
        if (dicom is null) return files.Any(NiftiNames.IsNifti) ? ArchiveLayout.Glob : ArchiveLayout.Nlst;
        // patient/study/series/file is the NLST depth; shallower trees are collections of series.
        var depth = Path.GetRelativePath(root, dicom).Count(c => c == Path.DirectorySeparatorChar);
        return depth >= 3 ? ArchiveLayout.Nlst : ArchiveLayout.Dicom;
    }

    private static bool IsDicomFile(string path)
    {
        try
        {
            using var f = File.OpenRead(path);
            Span<byte> head = stackalloc byte[132];
            return f.ReadAtLeast(head, 132, throwOnEndOfStream: false) == 132 && head[128..].SequenceEqual("DICM"u8);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
