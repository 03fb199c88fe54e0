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
}
