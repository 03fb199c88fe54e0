using System.Text;
using System.Text.Json;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Cli.Tests.Faults;

/// <summary>
/// One archive that holds every bad and odd input of the bad-file cases beside good ones, built once and ingested once
/// through the CLI (as a user would), so each case only looks up its own line in the run's JSON summary: that keeps
/// the fault suite to one ingest run instead of one per case.
/// </summary>
public sealed class FaultArchive : IDisposable
{
    public const string Spec = "pipelines/ct-demo-3mm.yaml";
    private readonly TempDir _dir = new();

    public FaultArchive()
    {
        Root = _dir.Path("archive");
        Build();
        Run = CliRunner.Run("ingest", "--spec", Spec, "--source", $"glob:nii={Root}/nifti/**/*.nii*", "--source", $"dicom:dcm={Root}/dicom",
            "--cache", Cache, "--workers", "2", "--json");
        Summary = CliRunner.Summary(Run.Stdout);
    }

    public string Root { get; }
    public string Cache => _dir.Path("cache");
    public (int Exit, string Stdout, string Stderr) Run { get; }
    public JsonElement Summary { get; }

    /// <summary>Volume ids that must be in the cache after the run (good inputs, and odd ones that are corrected).</summary>
    public static readonly string[] GoodIds =
    [
        "nii/good0", "nii/good1", "nii/plain-named-gz", "nii/caf\\xE9", "nii/sub/good2", "nii/slope-nan",
        "dcm/good", "dcm/with-seg", "dcm/with-objects", "dcm/damaged-meta-beside", "dcm/tilted", "dcm/uneven", "dcm/no-uid", "dcm/latin1-names",
    ];

    public IEnumerable<JsonElement> Lines(string property) => Summary.GetProperty(property).EnumerateArray();

    private void Build()
    {
        var nii = Path.Combine(Root, "nifti");
        Directory.CreateDirectory(Path.Combine(nii, "sub"));
        var good = FaultFiles.NiftiBytes(FaultFiles.Ct(0));
        File.WriteAllBytes(Path.Combine(nii, "good0.nii.gz"), FaultFiles.Gzip(good));
        File.WriteAllBytes(Path.Combine(nii, "good1.nii"), FaultFiles.NiftiBytes(FaultFiles.Ct(1)));
        File.WriteAllBytes(Path.Combine(nii, "sub", "good2.nii.gz"), FaultFiles.Gzip(FaultFiles.NiftiBytes(FaultFiles.Ct(2))));
        File.WriteAllBytes(Path.Combine(nii, "plain-named-gz.nii.gz"), FaultFiles.NiftiBytes(FaultFiles.Ct(3)));
        // A Latin-1 file name (0xE9 = é) that is not valid UTF-8: .NET cannot create one, the shell can.
        var latin = Path.Combine(nii, "latin1.tmp");
        File.WriteAllBytes(latin, FaultFiles.Gzip(FaultFiles.NiftiBytes(FaultFiles.Ct(4))));
        Shell.Run($"mv '{latin}' \"$(printf '%s/caf\\351.nii.gz' '{nii}')\"");
        var gz = FaultFiles.Gzip(good);
        void Nii(string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(nii, name), bytes);
        foreach (var c in BadFileCases.Nifti) Nii(c.File, c.Make(good, gz));

        var dcm = Path.Combine(Root, "dicom");
        var series = FaultFiles.DicomSeries(Path.Combine(dcm, "good"));
        foreach (var c in BadFileCases.Dicom) c.Build(dcm, series);
    }

    public void Dispose() => _dir.Dispose();
}
