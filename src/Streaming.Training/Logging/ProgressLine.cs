using System.Diagnostics;
using System.Globalization;

namespace Streaming.Training.Logging;

/// <summary>
/// Progress of a run on stderr: step, loss, speed, data wait, memory, ETA. On a terminal one line rewritten in place;
/// otherwise (Slurm, nohup, <c>2&gt;log</c>, where a rewritten line shows nothing until the end) a plain line through
/// <c>plain</c> every <c>every</c>, and at the last step.
/// </summary>
public sealed class ProgressLine
{
    private readonly TextWriter output;
    private readonly bool enabled, interactive;
    private readonly TimeSpan every;
    private readonly Action<string> plain;
    private readonly Stopwatch sinceLast = new();
    private int lastLength;

    public ProgressLine(TextWriter output, bool enabled) : this(output, enabled, interactive: true, TimeSpan.Zero, null) { }

    public ProgressLine(TextWriter output, bool enabled, bool interactive, TimeSpan every, Action<string>? plain)
    {
        this.output = output; this.enabled = enabled; this.interactive = interactive; this.every = every;
        this.plain = plain ?? output.WriteLine;
    }

    public void Update(StepMetrics m)
    {
        if (!enabled) return;
        if (interactive)
        {
            var line = Text(m);
            output.Write("\r" + line.PadRight(lastLength));
            lastLength = line.Length;
            return;
        }
        // The first logged point, then one every `every`, and the last step.
        if (sinceLast.IsRunning && sinceLast.Elapsed < every && m.Step < m.TotalSteps) return;
        sinceLast.Restart();
        plain("pretrain: " + Text(m));
    }

    public void Finish()
    {
        if (enabled && interactive && lastLength > 0) output.WriteLine();
        lastLength = 0;
    }

    /// <summary>The progress text of one logged point.</summary>
    public static string Text(StepMetrics m)
    {
        double pct = 100.0 * m.Step / m.TotalSteps;
        var eta = m.StepsPerSecond > 0 ? TimeSpan.FromSeconds((m.TotalSteps - m.Step) / m.StepsPerSecond) : (TimeSpan?)null;
        return string.Create(CultureInfo.InvariantCulture,
            $"step {m.Step}/{m.TotalSteps} ({pct:F1}%)  loss {m.Loss:F4}  {m.StepsPerSecond:F2} steps/s  data wait {100 * m.DataWaitFraction:F0}%  rss {m.RssBytes >> 20} MB  ETA {Format(eta)}");
    }

    private static string Format(TimeSpan? t) =>
        t is not TimeSpan s ? "--:--:--" : s.TotalDays >= 1 ? $"{(int)s.TotalDays}d {s:hh\\:mm\\:ss}" : s.ToString("hh\\:mm\\:ss", CultureInfo.InvariantCulture);
}
