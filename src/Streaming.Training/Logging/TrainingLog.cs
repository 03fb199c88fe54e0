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
    private readonly StreamWriter metrics, events;
    private readonly SummaryWriter tensorboard;

    public TrainingLog(string runDir)
    {
        Directory.CreateDirectory(runDir);
        metrics = new StreamWriter(new FileStream(Path.Combine(runDir, "metrics.jsonl"), FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        events = new StreamWriter(new FileStream(Path.Combine(runDir, "events.jsonl"), FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        tensorboard = SummaryWriter(Path.Combine(runDir, "tensorboard"));
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
        metrics.WriteLine(JsonSerializer.Serialize(o));

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
        events.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["time"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture), ["event"] = kind, ["step"] = step, ["message"] = message,
        }));
    }

    public void Dispose()
    {
        metrics.Dispose();
        events.Dispose();
    }
}
