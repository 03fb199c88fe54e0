using System.Runtime.InteropServices;

namespace Streaming.Ingest.Pipeline;

/// <summary>
/// How an ingest run is asked to stop. The first SIGINT/SIGTERM drains: no new input is started, volumes already being
/// read are finished and committed, the summary is printed and the exit code is 3 (as pre-training does). A second signal
/// abandons the in-flight volumes at once (their shards are written under temp names, so nothing partial is visible;
/// the next run redoes them). A third gets the default action.
/// </summary>
public sealed class IngestStop : IDisposable
{
    public static readonly IngestStop None = new(listen: false);

    private readonly CancellationTokenSource _drain = new(), _abort = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    public IngestStop(bool listen = true)
    {
        if (!listen) return;
        foreach (var sig in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            _registrations.Add(PosixSignalRegistration.Create(sig, OnSignal));
    }

    /// <summary>Cancelled by the first signal: take no new inputs.</summary>
    public CancellationToken Drain => _drain.Token;
    /// <summary>Cancelled by the second signal: abandon what is in flight.</summary>
    public CancellationToken Abort => _abort.Token;
    /// <summary>"SIGTERM" or "SIGINT" once a signal arrived.</summary>
    public string? Reason { get; private set; }

    /// <summary>Raised (on the signal thread) with the message to show the user.</summary>
    public event Action<string>? Stopping;

    private void OnSignal(PosixSignalContext ctx)
    {
        var n = Interlocked.Increment(ref _signals);
        if (n > 2) return; // third signal: default action
        ctx.Cancel = true;
        Reason ??= ctx.Signal.ToString();
        if (n == 1)
        {
            Stopping?.Invoke($"{ctx.Signal}: finishing the volumes in flight, then stopping (send it again to abandon them)");
            _drain.Cancel();
        }
        else
        {
            Stopping?.Invoke($"{ctx.Signal} again: abandoning the volumes in flight");
            _drain.Cancel();
            _abort.Cancel();
        }
    }

    /// <summary>For tests and embedding: behave as if a signal named <paramref name="reason"/> arrived.</summary>
    public void Request(string reason, bool abandon = false)
    {
        Reason ??= reason;
        _drain.Cancel();
        if (abandon) _abort.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _registrations.Clear();
    }
}
