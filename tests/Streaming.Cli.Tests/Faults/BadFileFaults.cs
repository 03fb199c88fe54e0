using System.Text.Json;

namespace Streaming.Cli.Tests.Faults;

/// <summary>
/// Bad and odd files (NIfTI, gzip, DICOM) in one archive, ingested once: each case checks its own finding, and every
/// case checks that the run went on (exit 2, not a crash), that every good input is cached and that the cache verifies.
/// </summary>
public sealed class BadFileFaults(FaultArchive archive) : IClassFixture<FaultArchive>
{
    public static TheoryData<NiftiCase> NiftiCases => new(BadFileCases.Nifti);
    public static TheoryData<DicomCase> DicomCases => new(BadFileCases.Dicom);

    [Theory]
    [MemberData(nameof(NiftiCases))]
    public void Nifti(NiftiCase c) => Check(c.Outcome, c.File, c.Reason);

    [Theory]
    [MemberData(nameof(DicomCases))]
    public void Dicom(DicomCase c) => Check(c.Outcome, c.At, c.Reason);

    [Fact]
    public void The_run_goes_on_and_nothing_good_is_lost()
    {
        Assert.True(archive.Run.Exit == 2, archive.Run.Stderr);
        Assert.DoesNotContain("   at ", archive.Run.Stderr); // no stack trace
        var ls = CliRunner.Summary(CliRunner.Run("cache", "ls", "--cache", archive.Cache, "--json").Stdout);
        var verify = CliRunner.Run("cache", "verify", "--cache", archive.Cache, "--json");
        Assert.Equal(0, verify.Exit);
        Assert.Equal(FaultArchive.GoodIds.Length, ls.GetProperty("keys")[0].GetProperty("volumes").GetInt32());
    }

    private void Check(string outcome, string at, string[] reason)
    {
        Assert.True(archive.Run.Exit == 2, archive.Run.Stderr);
        var failures = archive.Lines("failures").ToList();
        var notes = archive.Lines("notes").ToList();
        JsonElement? Find(List<JsonElement> lines) => lines.Cast<JsonElement?>().FirstOrDefault(l => l!.Value.GetProperty("path").GetString()!.Contains(at, StringComparison.Ordinal));
        switch (outcome)
        {
            case "ok":
                Assert.Null(Find(failures));
                var stem = at.Replace(".nii.gz", "").Replace(".nii", "");
                Assert.Contains(FaultArchive.GoodIds, id => id.EndsWith(stem, StringComparison.Ordinal));
                break;
            default:
                var line = Find(outcome == "failure" ? failures : notes);
                Assert.True(line is not null, $"no {outcome} for {at}; failures: {string.Join(" | ", failures.Select(f => f.GetRawText()))}; notes: {string.Join(" | ", notes.Select(f => f.GetRawText()))}");
                var text = line.Value.GetProperty("reason").GetString()!;
                foreach (var r in reason) Assert.True(text.Contains(r, StringComparison.Ordinal), $"'{r}' not in: {text}");
                break;
        }
    }
}
