using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling.Prefetch;

/// <summary>
/// Worker threads claim step numbers, build them, and park them in a reorder buffer; Take() hands them out in step
/// order. At most <see cref="PrefetchOptions.Capacity"/> steps are in flight or ready ahead of the consumer (memory
/// bound). A worker failure is rethrown from Take() when its step is due; Dispose stops the workers after their
/// current batch. With an <see cref="ILedgeredSource{TBatch}"/>, skip discoveries are committed in step order and a
/// step built against a stale ledger is rebuilt, so the stream equals the one-worker stream. Generic over the batch
/// kind: pairs, slices, planar and labeled patches all stream through this class.
/// </summary>
/// <remarks>
/// Locking: one lock, <c>_gate</c> (a Monitor: workers and Take wait on it). It guards <c>_ready</c>,
/// <c>_nextClaim</c>, <c>_nextDeliver</c>, <c>_disposed</c>, <c>_halted</c> and <c>_fault</c>. Counters
/// (<c>_busyTicks</c>, <c>_rebuilds</c>, <c>_built</c>) are Interlocked; <c>_recent</c> and
/// <see cref="LastTelemetry"/> belong to the single consumer thread. Builds and commits run outside the lock.
/// </remarks>
public sealed class PrefetchStream<TBatch> : IBatchStream<TBatch> where TBatch : IBatch
{
    private const int RateWindow = 32;
    private readonly IBatchSource<TBatch> _source;
    private readonly ILedgeredSource<TBatch>? _ledgered;
    private readonly PrefetchOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<long, Outcome> _ready = [];          // protected by _gate
    private readonly Thread[] _workers;
    private readonly Queue<(long Ticks, long Bytes)> _recent = new(); // consumer thread only
    private long _nextClaim, _nextDeliver;                            // protected by _gate
    private bool _disposed, _halted;                                  // protected by _gate
    private ExceptionDispatchInfo? _fault;                            // protected by _gate
    private long _busyTicks, _rebuilds, _built;                       // Interlocked

    private sealed record Outcome(BatchBuild<TBatch>? Build, ExceptionDispatchInfo? Error);

    internal PrefetchStream(IBatchSource<TBatch> source, long startStep, PrefetchOptions options)
    {
        _source = source;
        _ledgered = source as ILedgeredSource<TBatch>;
        _options = options;
        _nextClaim = _nextDeliver = startStep;
        _workers = new Thread[options.Workers];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"sampling-worker-{i}" };
            _workers[i].Start();
        }
    }

    public BatchTelemetry LastTelemetry { get; private set; }
    /// <summary>The step the next Take() returns (checkpoint this).</summary>
    public long NextStep { get { lock (_gate) return _nextDeliver; } }
    /// <summary>Total seconds workers spent building batches (capacity = batches / this, per worker).</summary>
    public double WorkerBusySeconds => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks)).TotalSeconds;
    /// <summary>Batches the workers finished (delivered or waiting), for capacity = BatchesBuilt / WorkerBusySeconds per worker.</summary>
    public long BatchesBuilt => Interlocked.Read(ref _built);
    /// <summary>Steps rebuilt on delivery because a corrupt volume was found by an earlier step meanwhile.</summary>
    public long Rebuilds => Interlocked.Read(ref _rebuilds);

    public TBatch Take(CancellationToken ct = default)
    {
        var start = Stopwatch.GetTimestamp();
        Outcome outcome;
        int depth;
        long step;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _fault?.Throw();
            step = _nextDeliver;
            while (!_ready.ContainsKey(step))
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                Monitor.Wait(_gate, 50);
                ct.ThrowIfCancellationRequested();
            }
            depth = _ready.Count;
            _ready.Remove(step, out outcome!);
        }
        if (outcome.Error is not null)
        {
            lock (_gate) _fault = outcome.Error;
            outcome.Error.Throw();
        }
        var batch = Commit(step, outcome.Build!);
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _nextDeliver = step + 1;
            Monitor.PulseAll(_gate);
        }
        LastTelemetry = Telemetry(step, Stopwatch.GetElapsedTime(start, now), depth, now, batch.BytesDecoded);
        return batch;
    }

    /// <summary>Checks a build against the canonical ledger (all earlier steps committed), rebuilding if stale.</summary>
    private TBatch Commit(long step, BatchBuild<TBatch> build)
    {
        if (_ledgered is null) return build.Batch;
        var ledger = _ledgered.Ledger;
        if (build.Consulted.Any(kv => kv.Value != ledger.IsExcludedAt(kv.Key, step)))
        {
            Interlocked.Increment(ref _rebuilds);
            build = _ledgered.Build(step, id => ledger.IsExcludedAt(id, step));
        }
        foreach (var d in build.Discovered) ledger.Record(d);
        return build.Batch;
    }

    private BatchTelemetry Telemetry(long step, TimeSpan wait, int depth, long now, long bytes)
    {
        _recent.Enqueue((now, bytes));
        while (_recent.Count > RateWindow) _recent.Dequeue();
        double rate = 0, mbps = 0;
        if (_recent.Count > 1)
        {
            var seconds = Stopwatch.GetElapsedTime(_recent.Peek().Ticks, now).TotalSeconds;
            // Rates over the window's intervals: the first entry only marks the window's start.
            rate = (_recent.Count - 1) / seconds;
            mbps = _recent.Skip(1).Sum(r => r.Bytes) / seconds / 1e6;
        }
        return new BatchTelemetry(step, wait, depth, rate, mbps);
    }

    private void Work()
    {
        while (true)
        {
            long step;
            lock (_gate)
            {
                while (!_disposed && !_halted && _nextClaim >= _nextDeliver + _options.Capacity) Monitor.Wait(_gate);
                if (_disposed || _halted) return;
                step = _nextClaim++;
            }
            var t0 = Stopwatch.GetTimestamp();
            Outcome outcome;
            try
            {
                outcome = _ledgered is not null
                    ? new Outcome(_ledgered.Build(step, id => _ledgered.Ledger.IsExcludedAt(id, step)), null)
                    : new Outcome(new BatchBuild<TBatch>(_source.Batch(step), new Dictionary<string, bool>(), []), null);
            }
            catch (Exception e)
            {
                outcome = new Outcome(null, ExceptionDispatchInfo.Capture(
                    new InvalidOperationException($"sampling step {step} failed: {e.Message}", e)));
            }
            Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - t0);
            Interlocked.Increment(ref _built);
            lock (_gate)
            {
                _ready[step] = outcome;
                // A failed step ends the stream there: later steps are never delivered, so stop building them.
                if (outcome.Error is not null) _halted = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var w in _workers) w.Join();
    }
}

/// <summary>Starts a <see cref="PrefetchStream{TBatch}"/> (the batch type is inferred from the source).</summary>
public static class PrefetchStream
{
    public static PrefetchStream<TBatch> Start<TBatch>(IBatchSource<TBatch> source, long startStep, PrefetchOptions options) where TBatch : IBatch
    {
        ArgumentNullException.ThrowIfNull(source);
        options.Validate();
        if (startStep < 0) throw new ArgumentOutOfRangeException(nameof(startStep), "start step must be >= 0");
        return new PrefetchStream<TBatch>(source, startStep, options);
    }
}
