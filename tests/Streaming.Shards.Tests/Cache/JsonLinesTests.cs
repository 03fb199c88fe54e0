using Streaming.Shards.Cache;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Cache;

public sealed class JsonLinesTests
{
    [Fact]
    public void LongLinesAcrossReadBuffersComeBackWholeAndTornTailIsDropped()
    {
        using var dir = new TempDir();
        var path = dir.Path("c", "p.jsonl");
        string[] lines = ["\"short\"", "\"" + new string('x', 100_000) + "\"", "\"" + new string('é', 70_000) + "\""];
        foreach (var l in lines) JsonLines.Append(path, l);
        File.AppendAllText(path, "\"torn");
        Assert.Equal(lines, JsonLines.Read(path).Select(r => r.Line));
        Assert.Equal([1, 2, 3], JsonLines.Read(path).Select(r => r.Number));

        JsonLines.Append(path, "\"after\"");
        Assert.Equal([.. lines, "\"after\""], JsonLines.Read(path).Select(r => r.Line));
        Assert.Empty(JsonLines.Read(dir.Path("missing.jsonl")));
        Assert.Throws<ArgumentException>(() => JsonLines.Append(path, "a\nb"));
    }

    [Fact]
    public async Task A_reader_waits_out_an_appenders_lock_instead_of_failing()
    {
        // gc read a live ingest's catalog while the ingest appended: the shared open failed at once ("being used by
        // another process") and gc skipped the key. An appender holds flock(LOCK_EX) as FileShare.None does.
        using var dir = new TempDir();
        var path = dir.Path("catalog", "all.jsonl");
        JsonLines.Append(path, "\"first\"");
        var locked = new ManualResetEventSlim();
        var holder = Task.Run(() =>
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            locked.Set();
            Thread.Sleep(400);
        });
        Assert.True(locked.Wait(TimeSpan.FromSeconds(10)));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(["\"first\""], JsonLines.Read(path).Select(r => r.Line));
        Assert.InRange(clock.ElapsedMilliseconds, 200, 4000); // it waited for the lock, then read
        await holder;
    }
}
