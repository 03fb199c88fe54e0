using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Streaming.Evaluation.Protocols;

namespace Streaming.Evaluation.Reports;

/// <summary>
/// The per-run report: <c>report.json</c> (options, folds, every case's per-class metrics, summaries; NaN as null),
/// <c>report.md</c> (Dice/HD95/MSD tables, mean ± std over folds) and <c>dice.png</c> (Dice per class per arm).
/// Each file is written to a temp name and renamed.
/// </summary>
public static class ReportWriter
{
    /// <summary>The report's JSON settings (camelCase, NaN as null), shared with the readers of reports.</summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new NanAsNull(), new Int3AsArray() },
    };

    public static IReadOnlyList<string> Write(string directory, EvaluationResult result, EvaluationOptions options, string title, IReadOnlyDictionary<string, string>? context = null) =>
        Write(directory, result, (object)new
        {
            protocols = options.Protocols.Select(ProtocolNames.Name), options.Folds, options.MaxFolds, options.MaxTrainCases, options.Seed,
            options.Training, window = options.Window, options.FreezeSteps, options.ScratchLr, options.KnnK, options.KnnKeyEvery, options.KnnShots,
            options.KnnQueryEvery, options.Device, options.HoldoutTestCases, options.HoldoutRepeats, options.KeepLabels,
            ctInputScaling = options.Protocols.ToDictionary(ProtocolNames.Name, p => options.ScalingFor(p, Imaging.Volumes.Modality.CT) is { } s
                ? s.IsIdentity ? "identity" : FormattableString.Invariant($"[{s.Lower}, {s.Upper}] -> [0, 1]") : "the model's (backbone.json)"),
            supervised = options.Protocols.Any(ProtocolNames.IsSupervised) ? options.Supervised : null,
        }, title, context);

    /// <summary>The same report for any protocol's settings (<paramref name="options"/> is serialised as given).</summary>
    public static IReadOnlyList<string> Write(string directory, EvaluationResult result, object options, string title, IReadOnlyDictionary<string, string>? context = null)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "report.json");
        var md = Path.Combine(directory, "report.md");
        var png = Path.Combine(directory, "dice.png");
        var comparisons = BaselineComparison.All(result);
        Atomic(json, JsonSerializer.Serialize(new { title, context, options, result, comparisons }, Json));
        Atomic(md, Markdown(result, title, context));
        var tmp = png + ".tmp";
        DiceChart.Write(tmp, result);
        File.Move(tmp, png, overwrite: true);
        return [json, md, png];
    }

    /// <summary>Markdown tables: per class Dice (mean ± std over folds) per arm, then mean Dice / HD95 / MSD per arm.</summary>
    public static string Markdown(EvaluationResult r, string title, IReadOnlyDictionary<string, string>? context = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {title}").AppendLine();
        if (context is not null) foreach (var (k, v) in context) sb.AppendLine($"- {k}: {v}");
        sb.AppendLine($"- folds or hold-out splits: {r.Folds.Count} (held-out cases in each: {string.Join(", ", r.Folds.Select(f => f.Test.Count))}; " +
                      $"training cases in each: {string.Join(", ", r.Folds.Select(f => f.Train.Count))})");
        sb.AppendLine($"- wall time of the evaluation: {r.ElapsedSeconds:F0} s").AppendLine();
        sb.AppendLine(Table(r)).AppendLine();
        sb.AppendLine("| arm | mean Dice | HD95 (mm) | mean surface distance (mm) | HD95 (voxels) | mean surface distance (voxels) | training time (s) |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var a in r.Arms)
            sb.AppendLine($"| {a.Arm} | {F(a.MeanDice, 3)} | {F(a.MeanHd95, 1)} | {F(a.MeanSurfaceDistance, 2)} | {F(a.MeanHd95Voxels, 2)} | " +
                          $"{F(a.MeanSurfaceDistanceVoxels, 2)} | {a.TrainSeconds:F0} |");
        sb.AppendLine().AppendLine("Mean ± sample std over folds (or hold-out splits) of each one's mean over its held-out volumes; distances " +
                                   "in voxels are on the evaluation grid (the cache's final grid); a class absent from both " +
                                   "prediction and reference in a volume is not scored there; HD95/MSD are undefined (skipped) when either side is empty.");
        var comparisons = BaselineComparison.All(r);
        if (comparisons.Count > 0)
        {
            sb.AppendLine().AppendLine("| arm | vs | volumes | mean Dice difference | 95% CI | verdict |");
            sb.AppendLine("|---|---|---|---|---|---|");
            foreach (var c in comparisons)
            {
                var d = c.Dice;
                var verdict = d.Better ? "better" : d.Worse ? "worse" : "not distinguishable";
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {c.Arm} | {c.Baseline} | {d.Pairs} | {d.Mean:+0.000;-0.000} | [{d.Lower:+0.000;-0.000}, {d.Upper:+0.000;-0.000}] | {verdict} |"));
            }
            sb.AppendLine().AppendLine("Paired per held-out volume (its mean Dice over the classes present), Student-t interval over volumes.");
        }
        return sb.ToString();
    }

    /// <summary>The Dice table alone: one row per class, one column per arm.</summary>
    public static string Table(EvaluationResult r)
    {
        var sb = new StringBuilder();
        sb.Append("| class |");
        foreach (var a in r.Arms) sb.Append($" {a.Arm} |");
        sb.AppendLine().Append("|---|").AppendLine(string.Concat(r.Arms.Select(_ => "---|")));
        for (var i = 0; i < r.Labels.Count; i++)
        {
            sb.Append($"| {r.Arms[0].Classes[i].Label} {r.Arms[0].Classes[i].Name} |");
            foreach (var a in r.Arms) sb.Append($" {F(a.Classes[i].Dice, 3)} |");
            sb.AppendLine();
        }
        sb.Append("| **mean** |");
        foreach (var a in r.Arms) sb.Append($" **{F(a.MeanDice, 3)}** |");
        return sb.ToString();
    }

    private static string F(MeanStd m, int digits) =>
        m.N == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{m.Mean.ToString("F" + digits, CultureInfo.InvariantCulture)} ± {m.Std.ToString("F" + digits, CultureInfo.InvariantCulture)}");

    /// <summary>Writes to a temp name, then renames, so a reader never sees half a file.</summary>
    internal static void Atomic(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Voxel shapes as [x, y, z].</summary>
    private sealed class Int3AsArray : JsonConverter<Imaging.Volumes.Int3>
    {
        public override Imaging.Volumes.Int3 Read(ref Utf8JsonReader reader, Type t, JsonSerializerOptions o) =>
            Imaging.Volumes.Int3.FromArray(JsonSerializer.Deserialize<int[]>(ref reader, o) ?? throw new JsonException("expected [x, y, z]"));

        public override void Write(Utf8JsonWriter writer, Imaging.Volumes.Int3 v, JsonSerializerOptions o) =>
            JsonSerializer.Serialize(writer, v.ToArray(), o);
    }

    /// <summary>JSON has no NaN: undefined metrics are written as null.</summary>
    private sealed class NanAsNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type t, JsonSerializerOptions o) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions o)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value); else writer.WriteNullValue();
        }
    }
}
