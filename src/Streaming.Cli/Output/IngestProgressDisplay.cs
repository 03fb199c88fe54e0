using Spectre.Console;
using Streaming.Ingest.Pipeline;

namespace Streaming.Cli.Output;

/// <summary>Spectre.Console progress (volumes, MB/s, ETA) on a terminal; a plain log line every few seconds otherwise.</summary>
public static class IngestProgressDisplay
{
    public static async Task<T> Run<T>(string title, Func<IProgress<IngestProgress>, Task<T>> work)
    {
        if (!Log.Interactive) return await work(new ThrottledLog(title, TimeSpan.FromSeconds(10)));
        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(title, maxValue: 1);
                var progress = new Progress<IngestProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Discovered - p.Skipped);
                    task.Value = p.Done + p.Failed;
                    task.Description = $"{title}: {p.Done} done, {p.Skipped} cached, {p.Failed} failed, {p.MBPerSecond:F1} MB/s";
                });
                result = await work(progress);
                task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class ThrottledLog(string title, TimeSpan every) : IProgress<IngestProgress>
    {
        private DateTime _last = DateTime.MinValue;
        private readonly Lock _gate = new();

        public void Report(IngestProgress p)
        {
            lock (_gate)
            {
                if (DateTime.UtcNow - _last < every) return;
                _last = DateTime.UtcNow;
            }
            var eta = p.Eta is { } e ? $", ETA {e:hh\\:mm\\:ss}" : "";
            Log.Info($"{title}: {p.Discovered} found, {p.Done} done, {p.Skipped} cached, {p.Failed} failed, {p.InFlight} in flight, {p.MBPerSecond:F1} MB/s{eta}");
        }
    }
}
