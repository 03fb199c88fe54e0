using Streaming.Tests;
using Streaming.Sampling.Sources;
using Streaming.Training.Loop;

namespace Streaming.Training.Tests;

public class CheckpointStoreTests
{
    private static Checkpoint Ck(long step, int size = 1000) =>
        new(step, "vox2vec", "fp", 7, [1, 2, 3], Enumerable.Range(0, size).Select(i => (byte)(i * step)).ToArray(), [9, 8], 1.5,
            [new SkippedVolume("FLARE/a", step - 1, "chunk 3: xxh64 mismatch")]);

    [Fact]
    public void KilledWrite_LeavesPreviousCheckpointUsable()
    {
        using var dir = new TempDir();
        var good = new CheckpointStore(dir.Root, 3);
        good.Save(Ck(2));
        // the process "dies" after 300 bytes of the next checkpoint
        var dying = new CheckpointStore(dir.Root, 3, s => new FailAfter(s, 300));
        Assert.Throws<IOException>(() => dying.Save(Ck(4)));
        Assert.Equal([good.PathFor(2)], good.List());
        var (c, path) = good.LoadLatest()!.Value;
        Assert.Equal(2, c.Step);
        Assert.Equal(Ck(2).ModelState, c.ModelState);
        Assert.Equal(good.PathFor(2), path);
    }

    [Fact]
    public void DamagedNewestFile_IsSkippedWithWarning()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Root, 3);
        store.Save(Ck(2));
        var p4 = store.Save(Ck(4));
        var bytes = File.ReadAllBytes(p4);
        File.WriteAllBytes(p4, bytes[..(bytes.Length / 2)]); // e.g. power loss on a filesystem without ordering
        var warnings = new List<string>();
        Assert.Equal(2, store.LoadLatest(warnings.Add)!.Value.Checkpoint.Step);
        Assert.Single(warnings);
        Assert.Contains("checksum mismatch", warnings[0]);
        Assert.Throws<InvalidDataException>(() => CheckpointStore.Read(p4));
    }

    [Fact]
    public void RoundTripsAllFields_AndKeepsOnlyNewest()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Root, 2);
        foreach (var s in new long[] { 1, 2, 10 }) store.Save(Ck(s));
        Assert.Equal([store.PathFor(10), store.PathFor(2)], store.List());
        var c = CheckpointStore.Read(store.PathFor(10));
        Assert.Equal(Ck(10) with { ModelState = c.ModelState, TorchRngState = c.TorchRngState, OptimizerState = c.OptimizerState, Skipped = c.Skipped }, c);
        Assert.Equal(Ck(10).Skipped, c.Skipped);
        Assert.Equal(Ck(10).ModelState, c.ModelState);
        Assert.Equal(new byte[] { 1, 2, 3 }, c.TorchRngState);
    }

    private sealed class FailAfter(Stream inner, long limit) : Stream
    {
        private long written;
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (written + buffer.Length > limit) { inner.Write(buffer[..(int)(limit - written)]); inner.Flush(); throw new IOException("simulated kill"); }
            inner.Write(buffer); written += buffer.Length;
        }
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
