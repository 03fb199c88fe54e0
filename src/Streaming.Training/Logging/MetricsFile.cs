using System.Text.Json;

namespace Streaming.Training.Logging;

/// <summary>One line of a run's metrics.jsonl.</summary>
public sealed record MetricsPoint(long Step, double Loss, double LearningRate, double StepsPerSecond, double DataWaitFraction,
    long RssMb, long PeakRssMb, long? GpuMb, double ElapsedSeconds, IReadOnlyDictionary<string, double> LossParts,
    long? GpuPeakMb = null, IReadOnlyDictionary<string, double>? StepMs = null);

/// <summary>
/// Reads <c>metrics.jsonl</c> of any run: the camelCase lines <see cref="TrainingLog"/> writes now and the snake_case
/// lines of runs written before (<c>steps_per_s</c>, <c>data_wait_fraction</c>, <c>rss_mb</c>, <c>loss_PART</c>,
/// <c>step_ms</c>, ...),
/// also mixed in one file (a resumed old run appends new lines). A torn last line (a killed run) is skipped.
/// </summary>
public static class MetricsFile
{
    public static IReadOnlyList<MetricsPoint> Read(string path)
    {
        var points = new List<MetricsPoint>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement e;
            try { e = JsonDocument.Parse(line).RootElement; }
            catch (JsonException) { continue; }
            var parts = new Dictionary<string, double>(StringComparer.Ordinal);
            if (e.TryGetProperty("lossParts", out var lp) && lp.ValueKind == JsonValueKind.Object)
                foreach (var p in lp.EnumerateObject()) parts[p.Name] = p.Value.GetDouble();
            foreach (var p in e.EnumerateObject())
                if (p.Name.StartsWith("loss_", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Number) parts[p.Name["loss_".Length..]] = p.Value.GetDouble();
            points.Add(new MetricsPoint(
                Long(e, "step", "step") ?? 0, Double(e, "loss", "loss") ?? double.NaN, Double(e, "lr", "lr") ?? double.NaN,
                Double(e, "stepsPerSecond", "steps_per_s") ?? 0, Double(e, "dataWaitFraction", "data_wait_fraction") ?? 0,
                Long(e, "rssMb", "rss_mb") ?? 0, Long(e, "peakRssMb", "peak_rss_mb") ?? 0, Long(e, "gpuMb", "gpu_mb"),
                Double(e, "elapsedSeconds", "elapsed_s") ?? 0, parts, Long(e, "gpuPeakMb", "gpu_peak_mb"), Phases(e)));
        }
        return points;
    }

    private static Dictionary<string, double>? Phases(JsonElement e)
    {
        if (!(e.TryGetProperty("stepMs", out var v) || e.TryGetProperty("step_ms", out v)) || v.ValueKind != JsonValueKind.Object) return null;
        return v.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
    }

    private static JsonElement? Get(JsonElement e, string key, string oldKey) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v
        : e.TryGetProperty(oldKey, out var o) && o.ValueKind == JsonValueKind.Number ? o : null;

    private static double? Double(JsonElement e, string key, string oldKey) => Get(e, key, oldKey)?.GetDouble();

    private static long? Long(JsonElement e, string key, string oldKey) => Get(e, key, oldKey)?.GetInt64();
}
