using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Streaming.Imaging.Files;

/// <summary>
/// The few libc calls that .NET does not expose and discovery needs: directory entries as raw bytes (names that are not
/// UTF-8 come back mangled from Directory.Enumerate*), device + inode (to recognise a folder reached twice through
/// symlinks), and open() by raw bytes. Hand-written rather than a bindings package: five calls, and statx has one
/// layout on every 64-bit Linux architecture. Linux only, like the rest of ingest (GDCM from Debian).
/// </summary>
public static unsafe partial class PosixFiles
{
    private const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, StatxBasicStats = 0x7ff;
    private const int ORdOnly = 0, OCloExec = 0x80000;
    private const ushort SIfMt = 0xF000, SIfDir = 0x4000, SIfReg = 0x8000, SIfLnk = 0xA000;

    /// <summary>What stat says about a path (following symlinks unless asked not to).</summary>
    public readonly record struct FileId(ulong Device, ulong Inode, bool IsDirectory, bool IsFile, bool IsSymlink, long Length, long MTimeSeconds, uint MTimeNanoseconds);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true)]
    private static partial IntPtr OpenDir(byte* path);

    [LibraryImport("libc", EntryPoint = "readdir64", SetLastError = true)]
    private static partial IntPtr ReadDir(IntPtr dir);

    [LibraryImport("libc", EntryPoint = "closedir")]
    private static partial int CloseDir(IntPtr dir);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int Open(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "strerror")]
    private static partial IntPtr StrError(int errno);

    /// <summary>stat of <paramref name="path"/>; null with the errno text when it fails.</summary>
    public static FileId? Stat(string path, bool followSymlinks, out string? error)
    {
        var bytes = NulTerminated(path);
        var buffer = stackalloc byte[256];
        fixed (byte* p = bytes)
        {
            if (Statx(AtFdCwd, p, followSymlinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
            {
                error = LastError();
                return null;
            }
        }
        error = null;
        var mode = *(ushort*)(buffer + 28);
        var kind = mode & SIfMt;
        var device = ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140);
        return new FileId(device, *(ulong*)(buffer + 32), kind == SIfDir, kind == SIfReg, kind == SIfLnk,
            *(long*)(buffer + 40), *(long*)(buffer + 112), *(uint*)(buffer + 120));
    }

    /// <summary>The names in a folder (without . and ..), as raw bytes; throws <see cref="IOException"/> with the reason.</summary>
    public static List<(byte[] Name, byte Type)> ReadDirectory(string path)
    {
        var bytes = NulTerminated(path);
        IntPtr dir;
        fixed (byte* p = bytes) dir = OpenDir(p);
        if (dir == IntPtr.Zero) throw new IOException($"{path}: cannot list folder: {LastError()}");
        try
        {
            var names = new List<(byte[], byte)>();
            while (true)
            {
                Marshal.SetLastPInvokeError(0);
                var entry = ReadDir(dir);
                if (entry == IntPtr.Zero)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != 0) throw new IOException($"{path}: cannot list folder: {Describe(errno)}");
                    return names;
                }
                // struct dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name (NUL-terminated).
                var type = *((byte*)entry + 18);
                var name = new ReadOnlySpan<byte>((byte*)entry + 19, 256);
                name = name[..name.IndexOf((byte)0)];
                if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8)) continue;
                names.Add((name.ToArray(), type));
            }
        }
        finally { CloseDir(dir); }
    }

    /// <summary>Opens a file for reading by its exact bytes (names that are not UTF-8 cannot go through .NET's path APIs).</summary>
    public static SafeFileHandle OpenRead(string path)
    {
        var bytes = NulTerminated(path);
        int fd;
        fixed (byte* p = bytes) fd = Open(p, ORdOnly | OCloExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var text = Describe(errno);
            if (errno == 2) throw new FileNotFoundException($"{RawPath.Display(path)}: {text}", RawPath.Display(path));
            if (errno == 13) throw new UnauthorizedAccessException($"{RawPath.Display(path)}: {text}");
            throw new IOException($"{RawPath.Display(path)}: {text}");
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static byte[] NulTerminated(string path)
    {
        var raw = RawPath.ToBytes(path);
        var b = new byte[raw.Length + 1];
        raw.CopyTo(b, 0);
        return b;
    }

    private static string LastError() => Describe(Marshal.GetLastPInvokeError());

    private static string Describe(int errno) => Marshal.PtrToStringUTF8(StrError(errno)) ?? $"errno {errno}";
}
