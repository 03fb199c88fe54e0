using System.Globalization;

namespace Streaming.Training.Runtime;

/// <summary>
/// Finds this process's cgroup folders (v2 unified, or a v1 controller's hierarchy) from /proc/self/cgroup and
/// /proc/self/mountinfo, and reads the limit files along the path up to the mount (a parent's limit binds too).
/// <paramref name="root"/> prefixes every path ("/" on a real machine; tests build a fake tree).
/// </summary>
internal sealed class CgroupFiles(string root)
{
    public string Root { get; } = root;

    public string HostPath(string absolute) => Path.Combine(Root, absolute.TrimStart('/'));

    public string? ReadText(string absolute)
    {
        try { return File.ReadAllText(HostPath(absolute)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// The folders of the cgroup that holds this process for a controller, innermost first, up to the mount point:
    /// the v2 unified hierarchy when it has the controller (or <paramref name="v1Controller"/> is absent), else v1.
    /// </summary>
    public IReadOnlyList<string> Folders(string v1Controller, string v2File)
    {
        var cgroups = ReadText("/proc/self/cgroup");
        var mounts = ReadText("/proc/self/mountinfo");
        if (cgroups is null || mounts is null) return [];
        var found = new List<string>();
        foreach (var line in cgroups.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            bool v2 = parts[0] == "0" && parts[1].Length == 0;
            if (!v2 && !parts[1].Split(',').Contains(v1Controller)) continue;
            var mount = MountFor(mounts, v2 ? null : v1Controller);
            if (mount is null) continue;
            var (mountRoot, mountPoint) = mount.Value;
            var rel = parts[2];
            if (mountRoot != "/" && rel.StartsWith(mountRoot, StringComparison.Ordinal)) rel = rel[mountRoot.Length..];
            var folders = new List<string>();
            for (var dir = mountPoint.TrimEnd('/') + "/" + rel.Trim('/'); ; dir = dir[..dir.LastIndexOf('/')])
            {
                folders.Add(dir.TrimEnd('/'));
                if (dir.TrimEnd('/').Length <= mountPoint.TrimEnd('/').Length || dir.LastIndexOf('/') <= 0) break;
            }
            // v2 only counts when this hierarchy has the file (the controller is enabled there).
            if (v2 && !folders.Any(f => File.Exists(HostPath(f + "/" + v2File)))) continue;
            found = folders;
            if (!v2) break; // a v1 controller's own hierarchy wins over an empty unified one
        }
        return found;
    }

    /// <summary>(root inside the hierarchy, mount point) of the cgroup2 mount, or of the v1 mount carrying the controller.</summary>
    private static (string Root, string Point)? MountFor(string mountinfo, string? v1Controller)
    {
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var sep = line.IndexOf(" - ", StringComparison.Ordinal);
            if (sep < 0) continue;
            var left = line[..sep].Split(' ');
            var right = line[(sep + 3)..].Split(' ');
            if (left.Length < 5 || right.Length < 3) continue;
            if (v1Controller is null ? right[0] == "cgroup2" : right[0] == "cgroup" && right[2].Split(',').Contains(v1Controller))
                return (left[3], left[4]);
        }
        return null;
    }

    /// <summary>A number from a limit file, or null for "max", absent or unreadable.</summary>
    public long? Number(string absolute, int field = 0)
    {
        var text = ReadText(absolute)?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return field < parts.Length && long.TryParse(parts[field], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}
