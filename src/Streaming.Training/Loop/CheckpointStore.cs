using System.Security.Cryptography;
using System.Text;
using Streaming.Sampling.Sources;

namespace Streaming.Training.Loop;

/// <summary>
/// Checkpoint files <c>step-0000001000.ckpt</c> in one folder. Each is written to a temp name, flushed to disk and
/// renamed, so a crash mid-write never replaces or damages an existing checkpoint; each ends with a SHA-256 of its
/// content so a damaged file is recognised and skipped on load. Only the newest <c>keep</c> are kept.
/// Format 2 (this build) ends the body with the skip ledger; format 1 files (no ledger) read with an empty one.
/// </summary>
public sealed class CheckpointStore
{
    private static readonly byte[] Magic = "STRMCKPT"u8.ToArray();
    private const int FormatVersion = 2;
    private readonly Func<Stream, Stream> wrap;

    public CheckpointStore(string directory, int keep) : this(directory, keep, s => s) { }

    /// <summary>Tests pass a wrapper that fails mid-write to simulate a killed process.</summary>
    internal CheckpointStore(string directory, int keep, Func<Stream, Stream> streamWrapper)
    {
        if (keep < 1) throw new ArgumentException("keep must be >= 1");
        Directory = directory; Keep = keep; wrap = streamWrapper;
    }

    public string Directory { get; }
    public int Keep { get; }

    public string PathFor(long step) => Path.Combine(Directory, $"step-{step:D10}.ckpt");

    /// <summary>Completed checkpoint files, newest first (by step in the name).</summary>
    public IReadOnlyList<string> List() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "step-*.ckpt").Order(StringComparer.Ordinal).Reverse().ToList()
            : [];

    public string Save(Checkpoint c)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var final = PathFor(c.Step);
        var tmp = final + ".tmp";
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                var s = wrap(fs);
                Write(s, c);
                s.Flush();
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, final, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
        foreach (var old in List().Skip(Keep)) TryDelete(old);
        return final;
    }

    /// <summary>The newest checkpoint that reads back intact, or null if none; damaged ones are reported and skipped.</summary>
    public (Checkpoint Checkpoint, string Path)? LoadLatest(Action<string>? warn = null)
    {
        foreach (var p in List())
        {
            try { return (Read(p), p); }
            catch (InvalidDataException e) { warn?.Invoke($"skipping damaged checkpoint: {e.Message}"); }
        }
        return null;
    }

    public static Checkpoint Read(string path)
    {
        var all = File.ReadAllBytes(path);
        if (all.Length < Magic.Length + 32 || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a Streaming checkpoint (bad magic or too short)");
        var body = all.AsSpan(0, all.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(all.AsSpan(all.Length - 32)))
            throw new InvalidDataException($"{path}: checksum mismatch (truncated or damaged file)");
        using var r = new BinaryReader(new MemoryStream(all, Magic.Length, body.Length - Magic.Length), Encoding.UTF8);
        int version = r.ReadInt32();
        if (version is < 1 or > FormatVersion) throw new InvalidDataException($"{path}: checkpoint format {version}, this build reads 1..{FormatVersion}");
        try
        {
            return new Checkpoint(
                Step: r.ReadInt64(), Method: r.ReadString(), ConfigFingerprint: r.ReadString(), Seed: r.ReadInt64(),
                TorchRngState: Bytes(r), ModelState: Bytes(r), OptimizerState: Bytes(r), LastLoss: r.ReadDouble(),
                Skipped: version >= 2 ? Ledger(r) : []);
        }
        catch (EndOfStreamException e) { throw new InvalidDataException($"{path}: checkpoint body ends early", e); }
    }

    private static void Write(Stream s, Checkpoint c)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var hs = new HashingStream(s, hash);
        using (var w = new BinaryWriter(hs, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic); w.Write(FormatVersion);
            w.Write(c.Step); w.Write(c.Method); w.Write(c.ConfigFingerprint); w.Write(c.Seed);
            Bytes(w, c.TorchRngState); Bytes(w, c.ModelState); Bytes(w, c.OptimizerState); w.Write(c.LastLoss);
            w.Write(c.Skipped.Count);
            foreach (var v in c.Skipped) { w.Write(v.VolumeId); w.Write(v.Step); w.Write(v.Reason); }
        }
        s.Write(hash.GetHashAndReset());
    }

    private static void Bytes(BinaryWriter w, byte[] b) { w.Write(b.LongLength); w.Write(b); }

    private static List<SkippedVolume> Ledger(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n < 0) throw new InvalidDataException("checkpoint skip ledger length out of range");
        var list = new List<SkippedVolume>(n);
        for (var i = 0; i < n; i++) list.Add(new SkippedVolume(r.ReadString(), r.ReadInt64(), r.ReadString()));
        return list;
    }

    private static byte[] Bytes(BinaryReader r)
    {
        long n = r.ReadInt64();
        if (n < 0 || n > r.BaseStream.Length - r.BaseStream.Position) throw new InvalidDataException("checkpoint section length out of range");
        return r.ReadBytes((int)n);
    }

    private static void TryDelete(string p) { try { File.Delete(p); } catch (IOException) { } catch (UnauthorizedAccessException) { } }

    /// <summary>Write-through stream that feeds a hash.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override void Write(byte[] buffer, int offset, int count) { hash.AppendData(buffer, offset, count); inner.Write(buffer, offset, count); }
        public override void Write(ReadOnlySpan<byte> buffer) { hash.AppendData(buffer); inner.Write(buffer); }
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
