namespace Streaming.Shards.Cache;

/// <summary>
/// Marks a key folder as being written by a live ingest: <c>&lt;key&gt;/leases/&lt;partition&gt;.&lt;pid&gt;.&lt;id&gt;.lease</c>, held open
/// with an exclusive lock for the life of the run. <see cref="CacheGc"/> keeps every file written since the oldest live
/// lease began, so it never deletes a shard that an ingest has written but not yet committed. A lease whose lock is
/// free belongs to a killed run and is removed by gc. (Locks are flock(2) through .NET's FileShare.None: local
/// filesystems and NFSv4 honour them; on filesystems without locks keep gc's default minimum age.)
/// </summary>
public sealed class CacheLease : IDisposable
{
    public const string Folder = "leases", Extension = ".lease";
    private readonly FileStream _stream;

    private CacheLease(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    public static CacheLease Acquire(CacheLayout layout, string partition)
    {
        var dir = System.IO.Path.Combine(layout.KeyDir, Folder);
        Directory.CreateDirectory(dir);
        var path = System.IO.Path.Combine(dir, $"{partition}.{Environment.ProcessId}.{Guid.NewGuid():N}{Extension}");
        // Created and locked under a temp name, then renamed (the lock stays with the open file): gc never sees a
        // *.lease whose lock is not yet taken, so it cannot take a starting ingest's lease for a dead one.
        var tmp = path + CacheLayout.TempExtension;
        var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        fs.Write(System.Text.Encoding.UTF8.GetBytes($"{Environment.MachineName} pid {Environment.ProcessId} since {DateTime.UtcNow:O}\n"));
        fs.Flush(flushToDisk: true);
        File.Move(tmp, path);
        return new CacheLease(path, fs);
    }

    /// <summary>
    /// When the oldest live lease of the key folder began (null: no live ingest). Leases whose lock is free (killed runs)
    /// are deleted unless <paramref name="dryRun"/>.
    /// </summary>
    public static DateTime? OldestLive(CacheLayout layout, bool dryRun)
    {
        var dir = new DirectoryInfo(System.IO.Path.Combine(layout.KeyDir, Folder));
        if (!dir.Exists) return null;
        DateTime? oldest = null;
        foreach (var f in dir.EnumerateFiles("*" + Extension))
        {
            FileStream? probe = null;
            try { probe = new FileStream(f.FullName, FileMode.Open, FileAccess.Read, FileShare.None); }
            catch (FileNotFoundException) { continue; }
            catch (IOException)
            {
                // Locked: a live ingest. Its start is the lease's creation; the file is written once, so its mtime is that.
                var start = f.LastWriteTimeUtc;
                if (oldest is null || start < oldest) oldest = start;
                continue;
            }
            probe.Dispose();
            if (!dryRun) { try { f.Delete(); } catch (IOException) { } }
        }
        return oldest;
    }

    public void Dispose()
    {
        _stream.Dispose();
        try { File.Delete(Path); } catch (IOException) { }
    }
}
