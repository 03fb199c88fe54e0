using System.Runtime.InteropServices;

namespace Streaming.Training.Loop;

/// <summary>
/// Turns SIGINT/SIGTERM into a cancellation the training loop checks between steps, so it finishes the current step,
/// writes a checkpoint and exits cleanly instead of being killed mid-step. A second signal means "stop now": it is
/// handed to <c>onSecond</c> (on a pool thread), which abandons the run without waiting for the step; the runtime's
/// default action (an immediate kill that could land mid-write) is suppressed for both.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource cts;
    private readonly List<PosixSignalRegistration> registrations = [];
    private readonly Action<PosixSignal>? onSecond;
    private int received;

    public ShutdownSignals(CancellationToken outer, Action<PosixSignal>? onSecond = null)
    {
        cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        this.onSecond = onSecond;
        foreach (var sig in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            registrations.Add(PosixSignalRegistration.Create(sig, OnSignal));
    }

    public CancellationToken Token => cts.Token;

    /// <summary>The signal that asked for the stop, if any.</summary>
    public PosixSignal? Signal { get; private set; }

    private void OnSignal(PosixSignalContext ctx)
    {
        ctx.Cancel = true;
        Receive(ctx.Signal);
    }

    /// <summary>What a delivered signal does (tests call it directly: a real second signal would end the test host).</summary>
    internal void Receive(PosixSignal signal)
    {
        var n = Interlocked.Increment(ref received);
        if (n == 1)
        {
            Signal = signal;
            cts.Cancel();
        }
        else if (n == 2 && onSecond is { } second)
        {
            // Off the signal thread: the handler waits for a checkpoint write in flight before it ends the process.
            ThreadPool.UnsafeQueueUserWorkItem(_ => second(signal), null);
        }
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
        cts.Dispose();
    }
}
