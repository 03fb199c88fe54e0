using System.Collections.Concurrent;
using Streaming.Imaging.Files;

namespace Streaming.Imaging.Formats.Dicom.Isolation;

/// <summary>
/// GDCM behind crash-isolated worker processes. Each call borrows a worker (started on first need, then reused for
/// every later folder and series), sends the whole batch (a folder's headers or a series' slices) as one request, and
/// returns it. A worker that dies is replaced: for headers the crashed file is reported as unusable and the rest of the
/// batch goes to a fresh worker; for pixels the series fails with the file and the signal.
/// </summary>
public sealed class GdcmWorkerPool : IGdcmAccess, IDisposable
{
    private readonly Lazy<GdcmWorkerLocation> _location; // resolved at the first DICOM file: NIfTI-only runs never need the host
    private readonly ConcurrentBag<GdcmWorkerProcess> _idle = new();
    private readonly SemaphoreSlim _slots;
    private int _started, _crashes;
    private bool _disposed;

    public GdcmWorkerPool(int maxWorkers, GdcmWorkerLocation? location = null, TimeSpan? perFileTimeout = null)
    {
        if (maxWorkers < 1) throw new ArgumentOutOfRangeException(nameof(maxWorkers));
        _location = location is null ? new Lazy<GdcmWorkerLocation>(GdcmWorkerLocation.Default) : new Lazy<GdcmWorkerLocation>(location);
        _slots = new SemaphoreSlim(maxWorkers, maxWorkers);
        PerFileTimeout = perFileTimeout ?? TimeSpan.FromMinutes(5);
    }

    public TimeSpan PerFileTimeout { get; }
    /// <summary>Worker processes started so far (1 + restarts per concurrent slot, when all goes well).</summary>
    public int Started => _started;
    /// <summary>Worker deaths seen so far (native crashes, timeouts).</summary>
    public int Crashes => _crashes;

    /// <summary>CPU time used so far by the idle (alive) workers: for measuring what isolation costs.</summary>
    public TimeSpan IdleWorkersCpu => _idle.Aggregate(TimeSpan.Zero, (t, w) => t + w.Cpu);

    public IReadOnlyList<HeaderResult> ReadHeaders(IReadOnlyList<string> paths, CancellationToken ct = default)
    {
        var results = new HeaderResult?[paths.Count];
        var from = 0;
        while (from < paths.Count)
        {
            var batch = paths.Skip(from).ToList();
            var offset = from;
            try
            {
                WithWorker(w => w.Run(GdcmWire.OpHeaders, batch, (kind, i, r) =>
                {
                    var path = paths[offset + i];
                    results[offset + i] = kind == GdcmWire.Header
                        // The path is the caller's own string: JSON cannot carry the escaped bytes of a non-UTF-8 name.
                        ? new HeaderResult(path, GdcmWire.ParseHeader(r.ReadString()) with { Path = path }, null)
                        : new HeaderResult(path, null, r.ReadString());
                }, PerFileTimeout, ct));
                from = paths.Count;
            }
            catch (WorkerDiedException d)
            {
                var at = offset + Math.Max(0, d.Index);
                var crash = new GdcmCrashException(RawPath.Display(paths[at]), d.Signal, d.Detail);
                results[at] = new HeaderResult(paths[at], null, crash.Message[(RawPath.Display(paths[at]).Length + 2)..]);
                from = at + 1;
            }
        }
        return results!;
    }

    public void Decode(IReadOnlyList<string> paths, Action<int, DecodedPixels> onDecoded, CancellationToken ct = default)
    {
        string? error = null;
        try
        {
            WithWorker(w => w.Run(GdcmWire.OpDecode, paths, (kind, i, r) =>
            {
                if (kind == GdcmWire.Pixels) onDecoded(i, GdcmWire.ReadPixels(r));
                else error = r.ReadString();
            }, PerFileTimeout, ct));
        }
        catch (WorkerDiedException d)
        {
            // One bad slice costs its series: a volume with a hole is not ingested.
            throw new GdcmCrashException(RawPath.Display(paths[Math.Max(0, d.Index)]), d.Signal, d.Detail,
                paths.Count > 1 ? "its series was not ingested" : "the file was skipped");
        }
        if (error is not null) throw new InvalidDataException(error);
    }

    private void WithWorker(Action<GdcmWorkerProcess> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _slots.Wait();
        GdcmWorkerProcess? worker = null;
        try
        {
            while (_idle.TryTake(out var w))
            {
                if (w.Alive) { worker = w; break; }
                w.Dispose();
            }
            if (worker is null)
            {
                worker = GdcmWorkerProcess.Start(_location.Value);
                Interlocked.Increment(ref _started);
            }
            work(worker);
            _idle.Add(worker);
            worker = null;
        }
        catch (WorkerDiedException)
        {
            Interlocked.Increment(ref _crashes);
            throw;
        }
        finally
        {
            worker?.Dispose(); // died, was cancelled or failed mid-protocol: never lend it again
            _slots.Release();
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        while (_idle.TryTake(out var w)) w.Dispose();
    }
}
