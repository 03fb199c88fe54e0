using System.Globalization;

namespace Streaming.Training.Logging;

/// <summary>A single, rewritten status line on stderr: step, loss, speed, data wait, memory, ETA.</summary>
public sealed class ProgressLine(TextWriter output, bool enabled)
{
    private int lastLength;

    public void Update(StepMetrics m)
    {
        if (!enabled) return;
        double pct = 100.0 * m.Step / m.TotalSteps;
        var eta = m.StepsPerSecond > 0 ? TimeSpan.FromSeconds((m.TotalSteps - m.Step) / m.StepsPerSecond) : (TimeSpan?)null;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"step {m.Step}/{m.TotalSteps} ({pct:F1}%)  loss {m.Loss:F4}  {m.StepsPerSecond:F2} steps/s  wait {100 * m.DataWaitFraction:F0}%  rss {m.RssBytes >> 20} MB  ETA {Format(eta)}");
        output.Write("\r" + line.PadRight(lastLength));
        lastLength = line.Length;
    }

    public void Finish()
    {
        if (enabled && lastLength > 0) output.WriteLine();
        lastLength = 0;
    }

    private static string Format(TimeSpan? t) =>
        t is not TimeSpan s ? "--:--:--" : s.TotalDays >= 1 ? $"{(int)s.TotalDays}d {s:hh\\:mm\\:ss}" : s.ToString("hh\\:mm\\:ss", CultureInfo.InvariantCulture);
}
