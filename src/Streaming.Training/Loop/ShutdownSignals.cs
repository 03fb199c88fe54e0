using System.Runtime.InteropServices;

namespace Streaming.Training.Loop;

/// <summary>
/// Turns SIGINT/SIGTERM into a cancellation the training loop checks between steps, so it finishes the current step,
/// writes a checkpoint and exits cleanly instead of being killed mid-step. A second signal is left to the default
/// handler (immediate termination) as an escape hatch.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource cts;
    private readonly List<PosixSignalRegistration> registrations = [];
    private int received;

    public ShutdownSignals(CancellationToken outer)
    {
        cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        foreach (var sig in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            registrations.Add(PosixSignalRegistration.Create(sig, OnSignal));
    }

    public CancellationToken Token => cts.Token;

    /// <summary>The signal that asked for the stop, if any.</summary>
    public PosixSignal? Signal { get; private set; }

    private void OnSignal(PosixSignalContext ctx)
    {
        if (Interlocked.Increment(ref received) > 1) return; // second signal: default action
        ctx.Cancel = true;
        Signal = ctx.Signal;
        cts.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
        cts.Dispose();
    }
}
