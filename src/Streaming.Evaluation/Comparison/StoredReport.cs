using System.Text.Json;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Reports;

namespace Streaming.Evaluation.Comparison;

/// <summary>
/// What a comparison needs from an evaluate <c>report.json</c>: every scored case, the class names and the training-set
/// size (options.maxTrainCases; 0 = all). Read with the writer's own JSON settings, so NaN (written as null) round-trips.
/// </summary>
public sealed record StoredReport(string Path, int MaxTrainCases, IReadOnlyDictionary<int, string> ClassNames, IReadOnlyList<CaseScore> Cases)
{
    public static StoredReport Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: report not found (listed in the manifest)", path);
        Stored? s;
        try { s = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), ReportWriter.Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a readable report.json ({e.Message})"); }
        var cases = s?.Result?.Cases ?? throw new InvalidDataException($"{path}: no result.cases (not a report.json of streaming evaluate)");
        if (cases.Count == 0) throw new InvalidDataException($"{path}: the report scores no case");
        if (cases.FirstOrDefault(c => c.Arm is null || c.Protocol is null || c.Backbone is null || c.CaseId is null || c.Classes is null) is { } bad)
            throw new InvalidDataException($"{path}: a case without arm, protocol, backbone, caseId or classes ({bad.Arm ?? "?"}/{bad.CaseId ?? "?"})");
        var names = new Dictionary<int, string>();
        foreach (var c in s!.Result!.Arms?.SelectMany(a => a.Classes ?? []) ?? [])
            if (!string.IsNullOrEmpty(c.Name)) names.TryAdd(c.Label, c.Name);
        return new StoredReport(path, s.Options?.MaxTrainCases ?? 0, names, cases);
    }

    private sealed record Stored(StoredOptions? Options, StoredResult? Result);
    private sealed record StoredOptions(int MaxTrainCases);
    private sealed record StoredResult(IReadOnlyList<CaseScore>? Cases, IReadOnlyList<StoredArm>? Arms);
    private sealed record StoredArm(string? Arm, IReadOnlyList<StoredClass>? Classes);
    private sealed record StoredClass(int Label, string? Name);
}
