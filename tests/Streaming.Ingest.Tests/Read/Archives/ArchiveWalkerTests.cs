using Streaming.Imaging.Files;
using Streaming.Ingest.Read.Archives;
using Streaming.Tests;

namespace Streaming.Ingest.Tests.Read.Archives;

public class ArchiveWalkerTests
{
    [Fact]
    public void Loops_and_second_links_are_walked_once_and_noted()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t.Path("a", "b"));
        File.WriteAllText(t.Path("a", "b", "x.nii"), "x");
        File.CreateSymbolicLink(t.Path("a", "b", "up"), t.Root);          // a loop
        File.CreateSymbolicLink(t.Path("link-to-b"), t.Path("a", "b"));    // a second way in
        File.CreateSymbolicLink(t.Path("a", "same-file.nii"), t.Path("a", "b", "x.nii"));
        var problems = new List<WalkProblem>();
        var listings = new ArchiveWalker().Tree(t.Root, problems).ToList();
        Assert.Equal(3, listings.Count); // root, a, a/b
        Assert.Single(listings.SelectMany(l => l.Files));
        Assert.Equal(2, problems.Count(p => !p.Failure && p.Reason.Contains("symlink loop or a second link")));
    }

    [Fact]
    public void A_dangling_link_is_a_failure_and_the_walk_goes_on()
    {
        using var t = new TempDir();
        File.WriteAllText(t.Path("ok.nii"), "x");
        File.CreateSymbolicLink(t.Path("gone.nii"), t.Path("nowhere.nii"));
        var problems = new List<WalkProblem>();
        var listing = new ArchiveWalker().List(t.Root, problems)!;
        Assert.Equal([t.Path("ok.nii")], listing.Files);
        var p = Assert.Single(problems);
        Assert.True(p.Failure);
        Assert.EndsWith("gone.nii", p.Path);
    }

    [Fact]
    public void A_file_whose_name_is_not_utf8_is_listed_by_its_bytes()
    {
        using var t = new TempDir();
        File.WriteAllText(t.Path("tmp.b"), "hello");
        using (var mv = System.Diagnostics.Process.Start("/bin/sh", ["-c", $"mv '{t.Path("tmp.b")}' \"$(printf '{t.Root}/caf\\351.b')\""])!) mv.WaitForExit();
        var problems = new List<WalkProblem>();
        var listed = Assert.Single(new ArchiveWalker().List(t.Root, problems)!.Files);
        Assert.Empty(problems);
        Assert.Equal(RawPath.FromBytes([.. System.Text.Encoding.UTF8.GetBytes(t.Root + "/caf"), 0xE9, (byte)'.', (byte)'b']), listed);
        Assert.Equal(5, RawPath.Stat(listed).Length);
    }
}
