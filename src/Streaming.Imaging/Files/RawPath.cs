using System.Text;

namespace Streaming.Imaging.Files;

/// <summary>
/// Paths whose file names are not valid UTF-8 (Latin-1 names from old Windows shares, CP-1252 accents) survive as
/// .NET strings: each byte that is not part of valid UTF-8 becomes the lone surrogate U+DC80+byte, as Python's
/// os.fsdecode does, so the string maps back to the exact bytes. .NET's own file APIs would encode such a string to
/// other bytes and report "not found", so source files are opened, stat'ed and handed to GDCM through this class.
/// </summary>
public static class RawPath
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    public static string FromBytes(ReadOnlySpan<byte> bytes)
    {
        try { return Strict.GetString(bytes); }
        catch (DecoderFallbackException) { }
        var sb = new StringBuilder(bytes.Length);
        var i = 0;
        while (i < bytes.Length)
        {
            var n = ValidSequenceLength(bytes[i..]);
            if (n > 0) { sb.Append(Strict.GetString(bytes.Slice(i, n))); i += n; }
            else { sb.Append((char)(0xDC00 + bytes[i])); i++; }
        }
        return sb.ToString();
    }

    public static byte[] ToBytes(string path)
    {
        if (!IsEscaped(path)) return Encoding.UTF8.GetBytes(path);
        var result = new List<byte>(path.Length + 8);
        var start = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i < path.Length && !IsEscapeChar(path, i)) continue;
            if (i > start) result.AddRange(Encoding.UTF8.GetBytes(path[start..i]));
            if (i < path.Length) result.Add((byte)(path[i] - 0xDC00));
            start = i + 1;
        }
        return result.ToArray();
    }

    /// <summary>True when the path holds bytes that are not UTF-8 (escaped as lone surrogates).</summary>
    public static bool IsEscaped(string path)
    {
        for (var i = 0; i < path.Length; i++) if (IsEscapeChar(path, i)) return true;
        return false;
    }

    /// <summary>The path for messages: escaped bytes shown as \xNN.</summary>
    public static string Display(string path)
    {
        if (!IsEscaped(path)) return path;
        var sb = new StringBuilder(path.Length + 8);
        for (var i = 0; i < path.Length; i++)
            sb.Append(IsEscapeChar(path, i) ? $"\\x{path[i] - 0xDC00:X2}" : path[i]);
        return sb.ToString();
    }

    /// <summary>
    /// The inverse of <see cref="Display"/>, for paths recorded as text (catalogs): each \xNN back to its byte. A path
    /// that exists as written, or holds no \x, is returned unchanged (a real name may contain a backslash).
    /// </summary>
    public static string FromDisplay(string recorded)
    {
        if (!recorded.Contains("\\x", StringComparison.Ordinal) || File.Exists(recorded)) return recorded;
        var bytes = new List<byte>(recorded.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < recorded.Length;)
        {
            if (i + 3 < recorded.Length && recorded[i] == '\\' && recorded[i + 1] == 'x' &&
                byte.TryParse(recorded.AsSpan(i + 2, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            {
                bytes.Add(b);
                i += 4;
                continue;
            }
            var rune = Rune.GetRuneAt(recorded, i);
            var n = rune.EncodeToUtf8(utf8);
            for (var k = 0; k < n; k++) bytes.Add(utf8[k]);
            i += rune.Utf16SequenceLength;
        }
        return FromBytes(bytes.ToArray());
    }

    public static FileStream OpenRead(string path, int bufferSize = 4096) =>
        IsEscaped(path) ? new FileStream(PosixFiles.OpenRead(path), FileAccess.Read, bufferSize)
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, FileOptions.SequentialScan);

    public static bool Exists(string path) =>
        IsEscaped(path) ? PosixFiles.Stat(path, true, out _) is { IsDirectory: false } : File.Exists(path);

    /// <summary>Length and last-write time (UTC) of a file; <see cref="FileNotFoundException"/> when it is not there.</summary>
    public static (long Length, DateTime LastWriteUtc) Stat(string path)
    {
        if (!IsEscaped(path))
        {
            var fi = new FileInfo(path);
            if (!fi.Exists) throw new FileNotFoundException($"{path}: source file not found", path);
            return (fi.Length, fi.LastWriteTimeUtc);
        }
        var id = PosixFiles.Stat(path, true, out var error) ?? throw new FileNotFoundException($"{Display(path)}: source file not found ({error})", Display(path));
        return (id.Length, DateTime.UnixEpoch.AddSeconds(id.MTimeSeconds).AddTicks(id.MTimeNanoseconds / 100));
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a path that native code and .NET can open: the path itself, or for a name that
    /// is not UTF-8 the /proc/self/fd link of an open descriptor (valid only during the call).
    /// </summary>
    public static T WithOpenablePath<T>(string path, Func<string, T> work)
    {
        if (!IsEscaped(path)) return work(path);
        using var handle = PosixFiles.OpenRead(path);
        var proc = $"/proc/self/fd/{handle.DangerousGetHandle()}";
        try { return work(proc); }
        catch (InvalidDataException e) { throw new InvalidDataException(e.Message.Replace(proc, Display(path), StringComparison.Ordinal), e); }
    }

    private static bool IsEscapeChar(string s, int i)
    {
        var c = s[i];
        if (c is < '\uDC80' or > '\uDCFF') return false;
        return i == 0 || !char.IsHighSurrogate(s[i - 1]);
    }

    /// <summary>Length of the valid UTF-8 sequence at the start of <paramref name="b"/>, 0 when the first byte does not start one.</summary>
    private static int ValidSequenceLength(ReadOnlySpan<byte> b)
    {
        var lead = b[0];
        var n = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || b.Length < n) return 0;
        try { Strict.GetCharCount(b[..n]); return n; }
        catch (DecoderFallbackException) { return 0; }
    }
}
