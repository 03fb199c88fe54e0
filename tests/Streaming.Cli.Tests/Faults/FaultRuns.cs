using System.Text.Json;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;

namespace Streaming.Cli.Tests.Faults;

/// <summary>Small archives and CLI runs the fault cases share.</summary>
internal static class FaultRuns
{
    /// <summary>Writes <paramref name="count"/> good CT volumes as glob-layout NIfTI files; larger <paramref name="size"/> makes ingest slower.</summary>
    public static string NiftiArchive(string root, int count, int size = 32)
    {
        Directory.CreateDirectory(root);
        for (var i = 0; i < count; i++)
        {
            var g = new VolumeGeometry(new Int3(size, size, size / 2), new Vec3(96.0 / size, 96.0 / size, 96.0 / size), new Vec3(-48, -48, 0), Mat3.Identity);
            var v = new Volume<float>(g);
            var c = (size - 1) / 2.0;
            for (var z = 0; z < g.Shape.Z; z++)
                for (var y = 0; y < size; y++)
                    for (var x = 0; x < size; x++)
                        v.Data[g.Shape.Index(x, y, z)] = (x - c) * (x - c) + (y - c) * (y - c) < size * size / 8.0 ? 40 + (x + 3 * y + 7 * z + 13 * i) % 50 : -1000;
            NiftiWriter.Write(Path.Combine(root, $"case{i:D2}.nii.gz"), v);
        }
        return root;
    }

    public static string[] IngestArgs(string archive, string cache, params string[] more) =>
        ["ingest", "--spec", FaultArchive.Spec, "--source", $"glob:t={archive}/**/*.nii*", "--cache", cache, "--workers", "1", "--json", .. more];

    public static (int Exit, JsonElement Json, string Stderr) RunCli(params string[] args)
    {
        var r = CliRunner.Run(args);
        return (r.Exit, CliRunner.Summary(r.Stdout), r.Stderr);
    }

    /// <summary>The one key folder of a cache.</summary>
    public static string KeyDir(string cache) => Assert.Single(Directory.GetDirectories(cache));

    public static string[] ShardFiles(string cache) => Directory.GetFiles(Path.Combine(KeyDir(cache), "shards"), "*.arrow").Order().ToArray();

    public static string Catalog(string cache) => Path.Combine(KeyDir(cache), "catalog", "all.jsonl");

    /// <summary>Nothing lost: every id is in the cache and verify passes.</summary>
    public static void AssertComplete(string cache, int volumes)
    {
        var ls = RunCli("cache", "ls", "--cache", cache, "--json");
        Assert.Equal(volumes, ls.Json.GetProperty("keys")[0].GetProperty("volumes").GetInt32());
        var verify = RunCli("cache", "verify", "--cache", cache, "--json");
        Assert.True(verify.Exit == 0, verify.Stderr);
        Assert.True(verify.Json.GetProperty("ok").GetBoolean());
    }

    /// <summary>Exactly one error line on stderr and no stack trace.</summary>
    public static string OneErrorLine(string stderr)
    {
        Assert.DoesNotContain("   at ", stderr);
        var errors = stderr.Split('\n').Where(l => l.Contains(" error: ", StringComparison.Ordinal)).ToList();
        return Assert.Single(errors);
    }
}
