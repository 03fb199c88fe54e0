using Streaming.Ingest.Pipeline;
using Streaming.Imaging.Files;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Read.Archives;

/// <summary>Turns archive sources into discovery units (cheap, no header reads) and resolves units into items.</summary>
public sealed class ArchiveDiscovery(ISeriesScanner scanner)
{
    /// <summary>
    /// The units of one archive. The archive is walked with an <see cref="ArchiveWalker"/> (symlink loops walked once,
    /// unreadable folders reported, non-UTF-8 names kept); what the walk finds comes out as units of their own.
    /// </summary>
    public IEnumerable<DiscoveryUnit> Units(ArchiveSource source, Modality defaultModality) => Units(source, defaultModality, s => scanner);

    /// <summary>As <see cref="Units(ArchiveSource, Modality)"/>, with a scanner made for each source (ids relative to its root).</summary>
    public IEnumerable<DiscoveryUnit> Units(ArchiveSource source, Modality defaultModality, Func<ArchiveSource, ISeriesScanner> scannerFor)
    {
        if (File.Exists(source.Root)) throw new ArgumentException($"--source {source.Root} is a file; give the archive folder that holds it");
        if (!Directory.Exists(source.Root)) throw new DirectoryNotFoundException($"{source.Root}: archive folder not found");
        var walker = new ArchiveWalker();
        var problems = new List<WalkProblem>();
        var layout = source.Layout == ArchiveLayout.Auto ? Detect(source.Root) : source.Layout;
        var units = layout switch
        {
            ArchiveLayout.Flare => NiftiArchiveDiscovery.Discover(source, amos: false, walker, problems),
            ArchiveLayout.Amos => NiftiArchiveDiscovery.Discover(source, amos: true, walker, problems),
            ArchiveLayout.Glob => GlobDiscovery.Discover(source, defaultModality, walker, problems).Select(Ready),
            ArchiveLayout.Nlst => NlstDiscovery.Units(source, walker),
            ArchiveLayout.Dicom => DicomFolderDiscovery.Units(source, scannerFor(source), walker, problems),
            _ => throw new ArgumentOutOfRangeException(nameof(source)),
        };
        foreach (var u in units)
        {
            if (WalkFindings.Unit(problems, source) is { } found) yield return found;
            yield return u;
        }
        if (WalkFindings.Unit(problems, source) is { } last) yield return last;

        DiscoveryUnit Ready(SourceItem item) => new(item.Id, item, null, source);
    }

    public DiscoveredItem Resolve(DiscoveryUnit unit) => Resolve(unit, scanner);

    public static DiscoveredItem Resolve(DiscoveryUnit unit, ISeriesScanner scanner)
    {
        if (unit.Item is not null) return DiscoveredItem.Of(unit.Item, unit.Notes);
        if (unit.PatientFolder is null) return new DiscoveredItem(null, null, unit.Notes) { MoreFailures = unit.Failures };
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
        var top = ArchiveWalker.Subfolders(root);
        var dirs = top.Concat(top.SelectMany(ArchiveWalker.Subfolders)).ToList();
        var imageDirs = dirs.Where(d => NiftiArchiveDiscovery.IsImageFolder(Path.GetFileName(d))).ToList();
        if (imageDirs.Count > 0)
        {
            var walker = new ArchiveWalker();
            var anyAmos = imageDirs.SelectMany(d => walker.List(d, new List<WalkProblem>())?.Files.Take(3) ?? [])
                .Any(f => Path.GetFileName(f).StartsWith("amos_", StringComparison.OrdinalIgnoreCase));
            return anyAmos ? ArchiveLayout.Amos : ArchiveLayout.Flare;
        }
        // DICOM files are recognised by their preamble ("DICM" at byte 128), whatever their names.
        var files = new ArchiveWalker().Tree(root, new List<WalkProblem>()).SelectMany(l => l.Files).Take(10_000).ToList();
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
            using var f = RawPath.OpenRead(path);
            Span<byte> head = stackalloc byte[132];
            return f.ReadAtLeast(head, 132, throwOnEndOfStream: false) == 132 && head[128..].SequenceEqual("DICM"u8);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
