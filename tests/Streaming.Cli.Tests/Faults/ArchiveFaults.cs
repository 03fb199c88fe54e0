using Streaming.Tests;
using static Streaming.Cli.Tests.Faults.FaultRuns;

namespace Streaming.Cli.Tests.Faults;

/// <summary>Archive oddities: symlink loops and second links, dangling links, FIFOs, unreadable folders, non-UTF-8 names, another mount point.</summary>
public sealed class ArchiveFaults
{
    [Theory]
    [InlineData("glob")]
    [InlineData("flare")]
    [InlineData("dicom")]
    [InlineData("nlst")]
    public void A_symlink_loop_is_walked_once_and_each_file_counted_once(string layout)
    {
        using var t = new TempDir();
        var root = t.Path("archive");
        string source;
        int expected;
        switch (layout)
        {
            case "glob":
                NiftiArchive(Path.Combine(root, "a"), 2);
                File.CreateSymbolicLink(Path.Combine(root, "a", "loop"), root);
                File.CreateSymbolicLink(Path.Combine(root, "again"), Path.Combine(root, "a"));
                source = $"glob:g={root}/**/*.nii.gz"; expected = 2; break;
            case "flare":
                NiftiArchive(Path.Combine(root, "imagesTr"), 2);
                File.CreateSymbolicLink(Path.Combine(root, "imagesTr", "loop"), root);
                source = $"flare:f={root}"; expected = 2; break;
            case "dicom":
                FaultFiles.DicomSeries(Path.Combine(root, "s1"), 1);
                File.CreateSymbolicLink(Path.Combine(root, "s1", "up"), root);
                File.CreateSymbolicLink(Path.Combine(root, "s1-again"), Path.Combine(root, "s1"));
                source = $"dicom:d={root}"; expected = 1; break;
            default:
                FaultFiles.DicomSeries(Path.Combine(root, "patient1", "study", "series"), 1, slices: 34);
                File.CreateSymbolicLink(Path.Combine(root, "patient1", "study", "series", "loop"), Path.Combine(root, "patient1"));
                source = $"nlst:n={root}"; expected = 1; break;
        }
        var r = RunCli("ingest", "--spec", FaultArchive.Spec, "--source", source, "--cache", t.Path("cache"), "--json");
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal(expected, r.Json.GetProperty("done").GetInt32());
        Assert.Contains(r.Json.GetProperty("notes").EnumerateArray(), n => n.GetProperty("reason").GetString()!.Contains("symlink loop or a second link"));
        AssertComplete(t.Path("cache"), expected);
    }

    [Fact]
    public void A_dangling_link_and_a_fifo_do_not_stop_or_hang_the_run()
    {
        using var t = new TempDir();
        NiftiArchive(t.Path("in"), 2);
        File.CreateSymbolicLink(t.Path("in", "gone.nii.gz"), t.Path("deleted.nii.gz"));
        Shell.Run($"mkfifo '{t.Path("in", "pipe.nii.gz")}'");
        var r = RunCli(IngestArgs(t.Path("in"), t.Path("cache")));
        Assert.Equal(2, r.Exit);
        var f = Assert.Single(r.Json.GetProperty("failures").EnumerateArray());
        Assert.EndsWith("gone.nii.gz", f.GetProperty("path").GetString());
        Assert.Contains("cannot be read", f.GetProperty("reason").GetString());
        AssertComplete(t.Path("cache"), 2);
    }

    [Fact]
    public void Non_utf8_names_of_dicom_files_and_folders_are_read()
    {
        using var t = new TempDir();
        var series = FaultFiles.DicomSeries(t.Path("archive", "series"), 2);
        // Latin-1 bytes (0xE9) in the folder and in every file name.
        Shell.Run($"cd '{t.Path("archive")}' && for f in series/*.dcm; do mv \"$f\" \"series/$(basename \"$f\" .dcm)$(printf '\\351').dcm\"; done && mv series \"s$(printf '\\351')rie\"");
        var r = RunCli("ingest", "--spec", FaultArchive.Spec, "--source", $"dicom:d={t.Path("archive")}", "--cache", t.Path("cache"), "--json");
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal(1, r.Json.GetProperty("done").GetInt32());
        var ls = RunCli("inspect", "d/s\\xE9rie", "--cache", t.Path("cache"), "--json");
        Assert.True(ls.Exit == 0, ls.Stderr);
        AssertComplete(t.Path("cache"), 1);
    }

    [Fact]
    public void The_same_archive_mounted_elsewhere_keeps_its_ids_even_for_series_without_a_uid()
    {
        using var t = new TempDir();
        var good = FaultFiles.DicomSeries(t.Path("tmp", "s"), 3);
        Directory.CreateDirectory(t.Path("a", "two-series"));
        foreach (var f in good)
        {
            FaultFiles.EditDicom(f, t.Path("a", "two-series", "x" + Path.GetFileName(f)), d => d.Remove(0x0020, 0x000E));
            FaultFiles.EditDicom(f, t.Path("a", "two-series", "y" + Path.GetFileName(f)), d => { d.Remove(0x0020, 0x000E); d.Text(0x0020, 0x0011, gdcm.VR.VRType.IS, "7"); });
        }
        Shell.Run($"mkdir -p '{t.Path("elsewhere", "mnt")}' && cp -a '{t.Path("a")}' '{t.Path("elsewhere", "mnt", "a")}'");
        var first = RunCli("ingest", "--spec", FaultArchive.Spec, "--source", $"dicom:arch={t.Path("a")}", "--cache", t.Path("cache"), "--json");
        Assert.True(first.Exit == 0, first.Stderr);
        Assert.Equal(2, first.Json.GetProperty("done").GetInt32());
        var second = RunCli("ingest", "--spec", FaultArchive.Spec, "--source", $"dicom:arch={t.Path("elsewhere", "mnt", "a")}", "--cache", t.Path("cache"), "--json");
        Assert.True(second.Exit == 0, second.Stderr);
        Assert.Equal((0, 2), (second.Json.GetProperty("done").GetInt32(), second.Json.GetProperty("skipped").GetInt32()));
        var ids = File.ReadAllLines(Catalog(t.Path("cache")));
        Assert.All(ids, l => Assert.DoesNotContain(t.Root, l.Split("\"sourcePaths\"")[0]));
    }

    [NeedsUnprivilegedUserFact]
    public void An_unreadable_sub_folder_is_one_noted_failure_and_the_rest_is_ingested()
    {
        // Tests run as root, who can read any folder: run the CLI as nobody (setpriv) so that permissions apply.
        using var t = new TempDir();
        NiftiArchive(t.Path("in", "ok"), 2);
        NiftiArchive(t.Path("in", "secret"), 1);
        Shell.Run($"chmod 755 '{t.Root}' && chmod -R a+rX '{t.Path("in")}' && chmod 000 '{t.Path("in", "secret")}' && mkdir '{t.Path("cache")}' && chmod 777 '{t.Path("cache")}'");
        var dll = CliRunner.Dll;
        var r = Shell.Try($"cd '{SharedData.RepoRoot()}' && HOME=/tmp DOTNET_CLI_HOME=/tmp CI=1 setpriv --reuid=65534 --regid=65534 --clear-groups dotnet '{dll}' " +
                          string.Join(' ', IngestArgs(t.Path("in"), t.Path("cache")).Select(a => $"'{a}'")));
        Assert.True(r.Exit == 2, r.Output);
        Assert.DoesNotContain("UnauthorizedAccessException", r.Output);
        Assert.DoesNotContain("   at ", r.Output);
        var json = CliRunner.Summary(r.Output.Split('\n').Last(l => l.StartsWith('{')));
        Assert.Equal(2, json.GetProperty("done").GetInt32());
        var f = Assert.Single(json.GetProperty("failures").EnumerateArray());
        Assert.EndsWith("secret", f.GetProperty("path").GetString());
        Assert.Contains("Permission denied", f.GetProperty("reason").GetString());
        Shell.Run($"chmod 755 '{t.Path("in", "secret")}'");
    }
}
