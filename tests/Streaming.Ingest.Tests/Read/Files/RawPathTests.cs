using System.Text;
using Streaming.Ingest.Read.Files;
using Streaming.Tests;

namespace Streaming.Ingest.Tests.Read.Files;

public class RawPathTests
{
    [Theory]
    [InlineData(new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xE9 })]               // Latin-1 é
    [InlineData(new byte[] { 0xC3, 0xA9, (byte)'x', 0xFF, 0xC3 })]                    // valid é, then stray bytes
    [InlineData(new byte[] { (byte)'a', 0xED, 0xB2, 0x80 })]                          // an encoded surrogate (invalid UTF-8)
    public void Names_that_are_not_utf8_round_trip_to_their_bytes(byte[] name)
    {
        var s = RawPath.FromBytes(name);
        Assert.True(RawPath.IsEscaped(s));
        Assert.Equal(name, RawPath.ToBytes(s));
        Assert.DoesNotContain('\uFFFD', s);
        Assert.Contains("\\x", RawPath.Display(s));
    }

    [Fact]
    public void Utf8_names_stay_plain_strings()
    {
        var s = RawPath.FromBytes(Encoding.UTF8.GetBytes("série/ct 😀.nii.gz"));
        Assert.Equal("série/ct 😀.nii.gz", s);
        Assert.False(RawPath.IsEscaped(s));
    }

    [Fact]
    public void A_non_utf8_file_is_listed_stat_ed_and_opened()
    {
        using var t = new TempDir();
        var path = RawPath.FromBytes([.. Encoding.UTF8.GetBytes(t.Root + "/caf"), 0xE9, (byte)'.', (byte)'b']);
        File.WriteAllText(t.Path("tmp.b"), "hello");
        // .NET cannot create such a name; the shell can.
        using (var mv = System.Diagnostics.Process.Start("/bin/sh", ["-c", $"mv '{t.Path("tmp.b")}' \"$(printf '{t.Root}/caf\\351.b')\""])!) mv.WaitForExit();
        var listed = Assert.Single(new ArchiveWalker().List(t.Root, new List<WalkProblem>())!.Files);
        Assert.Equal(path, listed);
        Assert.Equal(5, RawPath.Stat(listed).Length);
        using var s = RawPath.OpenRead(listed);
        Assert.Equal("hello", new StreamReader(s).ReadToEnd());
        Assert.False(File.Exists(listed)); // what .NET alone would say
    }
}
