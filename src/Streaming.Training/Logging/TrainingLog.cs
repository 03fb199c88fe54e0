using System.Globalization;
using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch.utils.tensorboard;

namespace Streaming.Training.Logging;

/// <summary>
/// Run logs: <c>metrics.jsonl</c> (one JSON object per logged step, appended across resumes), TensorBoard event
/// files under <c>tensorboard/</c> (TorchSharp's own SummaryWriter), and events (start, checkpoint, stop) as JSON
/// lines in <c>events.jsonl</c>.
/// </summary>
public sealed class TrainingLog : IDisposable
{
    public const string MetricsFile = "metrics.jsonl";
    private readonly string metricsPath;
    private StreamWriter metrics;
    private readonly StreamWriter events;
    private readonly SummaryWriter tensorboard;
    // The "stop now" handler of a second signal writes its event from another thread.
    private readonly Lock sync = new();

    public TrainingLog(string runDir)
    {
        Directory.CreateDirectory(runDir);
        metricsPath = Path.Combine(runDir, MetricsFile);
        metrics = OpenMetrics();
        events = new StreamWriter(new FileStream(Path.Combine(runDir, "events.jsonl"), FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        tensorboard = SummaryWriter(Path.Combine(runDir, "tensorboard"));
    }

    private StreamWriter OpenMetrics() =>
        new(new FileStream(metricsPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };

    /// <summary>
    /// On resume from a checkpoint at <paramref name="step"/>: removes the metrics lines of later steps (logged before a
    /// kill, about to be logged again) and a torn last line, so every step appears once. The file is rewritten under a
    /// temp name and renamed. Returns how many lines were dropped.
    /// </summary>
    public int DropMetricsAfter(long step)
    {
        lock (sync)
        {
            metrics.Dispose();
            try
            {
                var lines = File.ReadAllLines(metricsPath);
                var keep = lines.Where(l => StepOf(l) is { } s && s <= step).ToList();
                if (keep.Count == lines.Length) return 0;
                var tmp = metricsPath + ".tmp";
                File.WriteAllLines(tmp, keep);
                File.Move(tmp, metricsPath, overwrite: true);
                return lines.Length - keep.Count;
            }
            finally { metrics = OpenMetrics(); }
        }
    }

    private static long? StepOf(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("step", out var s) && s.TryGetInt64(out var v) ? v : null;
        }
        catch (JsonException) { return null; }
    }

    public void Metrics(StepMetrics m)
    {
        // camelCase keys, as every other JSON the project writes (summaries, backbone.json, catalogs); MetricsFile reads
        // this and the snake_case lines of runs written before.
        var o = new Dictionary<string, object?>
        {
            ["step"] = m.Step, ["loss"] = m.Loss, ["lr"] = m.LearningRate, ["stepsPerSecond"] = Math.Round(m.StepsPerSecond, 4),
            ["dataWaitFraction"] = Math.Round(m.DataWaitFraction, 4), ["rssMb"] = m.RssBytes >> 20,
            ["peakRssMb"] = m.PeakRssBytes >> 20, ["gpuMb"] = m.GpuBytes is long g ? g >> 20 : null,
            ["elapsedSeconds"] = Math.Round(m.ElapsedSeconds, 3),
        };
        if (m.GpuPeakBytes is long peak) o["gpuPeakMb"] = peak >> 20;
        if (m.PhaseMs is { Count: > 0 } phases) o["stepMs"] = phases;
        if (m.Parts.Count > 0) o["lossParts"] = m.Parts;
        lock (sync) metrics.WriteLine(JsonSerializer.Serialize(o));

        int step = (int)Math.Min(m.Step, int.MaxValue); // the writer takes int steps
        tensorboard.add_scalar("loss/total", (float)m.Loss, step);
        foreach (var (k, v) in m.Parts) tensorboard.add_scalar("loss/" + k, (float)v, step);
        tensorboard.add_scalar("lr", (float)m.LearningRate, step);
        tensorboard.add_scalar("perf/steps_per_s", (float)m.StepsPerSecond, step);
        tensorboard.add_scalar("perf/data_wait_fraction", (float)m.DataWaitFraction, step);
        tensorboard.add_scalar("memory/rss_mb", m.RssBytes >> 20, step);
        if (m.GpuBytes is long gb) tensorboard.add_scalar("memory/gpu_mb", gb >> 20, step);
    }

    public void Event(string kind, string message, long step)
    {
        var line = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["time"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture), ["event"] = kind, ["step"] = step, ["message"] = message,
        });
        lock (sync) events.WriteLine(line);
    }

    public void Dispose()
    {
        lock (sync)
        {
            metrics.Dispose();
            events.Dispose();
        }
    }
}
