using System.Text;

namespace Streaming.Shards.Cache;

/// <summary>
/// Append-only JSON-lines files that a kill cannot leave half-visible: a record counts only once its line ends with
/// '\n'. Append writes "json\n" in one write and fsyncs; before appending it cuts off an unterminated tail left by a
/// killed writer. Readers skip an unterminated last line. One writer per file (per partition) at a time.
/// <see cref="WriteAtomically"/> is the project's whole-file writer (temp, fsync, rename): catalogs, run configs, backbone.json.
/// </summary>
public static class JsonLines
{
    public static void Append(string path, string json)
    {
        if (json.Contains('\n')) throw new ArgumentException("a JSON line must not contain a newline", nameof(json));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var line = Encoding.UTF8.GetBytes(json + "\n");
        using var fs = OpenExclusive(path);
        TruncateTornTail(fs);
        fs.Seek(0, SeekOrigin.End);
        fs.Write(line);
        fs.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Complete lines with their 1-based numbers, streamed (catalogs can be large); an unterminated last line — the
    /// torn tail of a killed writer, or a line being appended right now — is left out.
    /// </summary>
    public static IEnumerable<(string Line, int Number)> Read(string path)
    {
        using var fs = OpenShared(path);
        if (fs is null) yield break;
        var buf = new byte[1 << 16];
        var pending = new MemoryStream();
        var number = 0;
        int n;
        while ((n = fs.Read(buf, 0, buf.Length)) > 0)
        {
            var start = 0;
            for (int nl; (nl = Array.IndexOf(buf, (byte)'\n', start, n - start)) >= 0; start = nl + 1)
            {
                number++;
                string line;
                if (pending.Length > 0)
                {
                    pending.Write(buf, start, nl - start);
                    line = Encoding.UTF8.GetString(pending.GetBuffer(), 0, (int)pending.Length);
                    pending.SetLength(0);
                }
                else
                {
                    line = Encoding.UTF8.GetString(buf, start, nl - start);
                }
                line = line.TrimEnd('\r');
                if (!string.IsNullOrWhiteSpace(line)) yield return (line, number);
            }
            pending.Write(buf, start, n - start);
        }
    }

    /// <summary>Writes a whole file under a temp name in the same folder, fsyncs and renames it over <paramref name="path"/>.</summary>
    public static void WriteAtomically(string path, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = $"{path}.{Guid.NewGuid():N}{CacheLayout.TempExtension}";
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                using (var w = new StreamWriter(fs, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
                {
                    foreach (var l in lines) { w.Write(l); w.Write('\n'); }
                }
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>
    /// Opens for reading beside writers, or null when the file does not exist. .NET takes flock(LOCK_SH) for a shared
    /// open on Unix, which fails at once while an appender holds LOCK_EX for its write and fsync; so retry briefly
    /// (the lock is held for one line) instead of reporting a live catalog as unreadable.
    /// </summary>
    private static FileStream? OpenShared(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan); }
            catch (FileNotFoundException) { return null; }
            catch (DirectoryNotFoundException) { return null; }
            catch (IOException) when (attempt < LockRetries) { Thread.Sleep(LockRetryMs); }
        }
    }

    // An append holds its lock for one write and fsync; 250 x 20 ms rides out a slow disk under load.
    private const int LockRetries = 250, LockRetryMs = 20;

    private static FileStream OpenExclusive(string path)
    {
        // FileShare.None takes an advisory lock; retry briefly in case another process appends to the same partition.
        for (var attempt = 0; ; attempt++)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (attempt < LockRetries && File.Exists(path)) { Thread.Sleep(LockRetryMs); }
        }
    }

    private static void TruncateTornTail(FileStream fs)
    {
        if (fs.Length == 0) return;
        var buf = new byte[4096];
        var end = fs.Length;
        fs.Position = end - 1;
        if (fs.ReadByte() == '\n') return;
        while (end > 0)
        {
            var n = (int)Math.Min(buf.Length, end);
            fs.Position = end - n;
            fs.ReadExactly(buf, 0, n);
            var i = Array.LastIndexOf(buf, (byte)'\n', n - 1, n);
            if (i >= 0) { fs.SetLength(end - n + i + 1); return; }
            end -= n;
        }
        fs.SetLength(0);
    }
}
