using System.Collections.Concurrent;
using Streaming.Imaging.Files;

namespace Streaming.Ingest.Read.Archives;

/// <summary>A problem met while walking an archive: Failure = something could not be read (the exit code says so),
/// otherwise a note (nothing was lost, e.g. a symlink loop walked once).</summary>
public sealed record WalkProblem(string Path, string Reason, bool Failure);

/// <summary>One folder's listing: its files and its subfolders, both sorted by name, each physical item once per walker.</summary>
public sealed record FolderListing(string Folder, IReadOnlyList<string> Files, IReadOnlyList<string> Folders);

/// <summary>
/// Walks an archive the way discovery needs it, where Directory.Enumerate* falls over on real archives:
/// symlinked folders are followed, but each physical folder (device + inode) is listed once, so a symlink loop or a
/// second link to the same series cannot multiply volumes; each physical file is listed once for the same reason;
/// a folder that cannot be listed (permissions, I/O error) becomes one <see cref="WalkProblem"/> and the walk goes on;
/// file names that are not UTF-8 keep their bytes (<see cref="RawPath"/>). Thread-safe: NLST discovery lists patients
/// in parallel.
/// </summary>
public sealed class ArchiveWalker
{
    private const byte DtDir = 4, DtReg = 8;
    private readonly ConcurrentDictionary<(ulong, ulong), string> _folders = new();
    private readonly ConcurrentDictionary<(ulong, ulong), string> _files = new();
    /// <summary>
    /// Lists <paramref name="folder"/>; null when it was already listed (reached again through a symlink; noted) or
    /// could not be listed (reported as a failure). Problems go to <paramref name="problems"/>, which belongs to the caller.
    /// </summary>
    public FolderListing? List(string folder, ICollection<WalkProblem> problems)
    {
        var id = PosixFiles.Stat(folder, followSymlinks: true, out var error);
        if (id is null) { problems.Add(new WalkProblem(RawPath.Display(folder), $"folder cannot be read: {error}", true)); return null; }
        if (!_folders.TryAdd((id.Value.Device, id.Value.Inode), folder))
        {
            var first = _folders[(id.Value.Device, id.Value.Inode)];
            problems.Add(new WalkProblem(RawPath.Display(folder),
                $"same folder as {RawPath.Display(first)} (a symlink loop or a second link); its files are counted once", false));
            return null;
        }
        List<(byte[] Name, byte Type)> entries;
        try { entries = PosixFiles.ReadDirectory(folder); }
        catch (IOException e)
        {
            problems.Add(new WalkProblem(RawPath.Display(folder), e.Message[(folder.Length + 2)..] + "; its contents were not ingested", true));
            return null;
        }
        var files = new List<string>();
        var folders = new List<string>();
        foreach (var (nameBytes, type) in entries)
        {
            var path = Path.Combine(folder, RawPath.FromBytes(nameBytes));
            if (type == DtDir) { folders.Add(path); continue; }
            var st = PosixFiles.Stat(path, followSymlinks: true, out var why);
            if (st is null)
            {
                problems.Add(new WalkProblem(RawPath.Display(path), $"listed but cannot be read ({why}; a dangling link?); skipped", true));
                continue;
            }
            if (st.Value.IsDirectory) folders.Add(path);
            else if (st.Value.IsFile && _files.TryAdd((st.Value.Device, st.Value.Inode), path)) files.Add(path);
        }
        files.Sort(StringComparer.Ordinal);
        folders.Sort(StringComparer.Ordinal);
        return new FolderListing(folder, files, folders);
    }

    /// <summary>Every listable folder below <paramref name="root"/> (root first, then depth-first in name order), each once.</summary>
    public IEnumerable<FolderListing> Tree(string root, ICollection<WalkProblem> problems)
    {
        var stack = new Stack<string>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var listing = List(stack.Pop(), problems);
            if (listing is null) continue;
            yield return listing;
            for (var i = listing.Folders.Count - 1; i >= 0; i--) stack.Push(listing.Folders[i]);
        }
    }

    /// <summary>The subfolder names of a folder without registering them as walked (layout detection, NLST patients).</summary>
    public static IReadOnlyList<string> Subfolders(string folder)
    {
        try
        {
            return PosixFiles.ReadDirectory(folder)
                .Select(e => Path.Combine(folder, RawPath.FromBytes(e.Name)))
                .Where(p => PosixFiles.Stat(p, true, out _) is { IsDirectory: true })
                .Order(StringComparer.Ordinal).ToList();
        }
        catch (IOException) { return []; }
    }
}
