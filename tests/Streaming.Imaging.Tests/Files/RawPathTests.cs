using System.Text;
using Streaming.Imaging.Files;
using Streaming.Tests;

namespace Streaming.Imaging.Tests.Files;

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
        CreateLatin1File(t, "hello");
        var (name, _) = Assert.Single(PosixFiles.ReadDirectory(t.Root));
        var listed = RawPath.FromBytes([.. Encoding.UTF8.GetBytes(t.Root + "/"), .. name]);
        Assert.Equal(path, listed);
        Assert.True(RawPath.Exists(listed));
        Assert.Equal(5, RawPath.Stat(listed).Length);
        using var s = RawPath.OpenRead(listed);
        Assert.Equal("hello", new StreamReader(s).ReadToEnd());
        Assert.False(File.Exists(listed)); // what .NET alone would say
        Assert.Equal("hello", RawPath.WithOpenablePath(listed, File.ReadAllText));
    }

    [Fact]
    public void A_displayed_path_maps_back_to_the_same_bytes()
    {
        using var t = new TempDir();
        CreateLatin1File(t, "x");
        var path = RawPath.FromBytes([.. Encoding.UTF8.GetBytes(t.Root + "/caf"), 0xE9, (byte)'.', (byte)'b']);
        var shown = RawPath.Display(path);
        Assert.EndsWith("caf\\xE9.b", shown);
        Assert.Equal(RawPath.ToBytes(path), RawPath.ToBytes(RawPath.FromDisplay(shown)));
        Assert.Equal("série/ct 😀.nii.gz", RawPath.FromDisplay("série/ct 😀.nii.gz"));
        // A name that really holds a backslash and exists as written stays as it is.
        File.WriteAllText(t.Path("a\\x41.b"), "y");
        Assert.Equal(t.Path("a\\x41.b"), RawPath.FromDisplay(t.Path("a\\x41.b")));
    }

    /// <summary>Creates caf\xE9.b (Latin-1 é): .NET cannot create such a name; the shell can.</summary>
    internal static void CreateLatin1File(TempDir t, string text)
    {
        File.WriteAllText(t.Path("tmp.b"), text);
        using var mv = System.Diagnostics.Process.Start("/bin/sh", ["-c", $"mv '{t.Path("tmp.b")}' \"$(printf '{t.Root}/caf\\351.b')\""])!;
        mv.WaitForExit();
    }
}
