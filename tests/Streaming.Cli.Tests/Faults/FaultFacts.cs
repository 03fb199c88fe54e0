namespace Streaming.Cli.Tests.Faults;

/// <summary>A fact that needs to drop root privileges (setpriv to nobody) to make permissions bite; skipped with the reason otherwise.</summary>
public sealed class NeedsUnprivilegedUserFactAttribute : FactAttribute
{
    public NeedsUnprivilegedUserFactAttribute()
    {
        var (exit, output) = Shell.Try("[ \"$(id -u)\" = 0 ] && command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true");
        if (exit != 0) Skip = $"needs root and setpriv to run the CLI as nobody, so that a folder without permissions cannot be listed (probe: exit {exit} {output.Trim()})";
    }
}

/// <summary>A fact that needs a small filesystem (a tmpfs mounted as root) to fill up; skipped with the reason otherwise.</summary>
public sealed class NeedsSmallFilesystemFactAttribute : FactAttribute
{
    public NeedsSmallFilesystemFactAttribute()
    {
        var dir = Path.Combine(Path.GetTempPath(), "streaming-mount-probe-" + Environment.ProcessId);
        var (exit, output) = Shell.Try($"mkdir -p '{dir}' && mount -t tmpfs -o size=64k tmpfs '{dir}' && umount '{dir}'; r=$?; rmdir '{dir}'; exit $r");
        if (exit != 0) Skip = $"needs to mount a small tmpfs (root) to fill a disk; cannot here ({output.Trim()})";
    }
}
