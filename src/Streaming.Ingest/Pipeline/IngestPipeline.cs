using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Streaming.Imaging.Files;
using Streaming.Ingest.Read;
using Streaming.Ingest.Read.Archives;

namespace Streaming.Ingest.Pipeline;

/// <summary>
/// discover → (partition, skip-if-cached) → read + preprocess (one worker does both) → write, as TPL Dataflow blocks with
/// bounded capacities: at most Workers + WriteParallelism volumes are in memory whatever the archive size. A failing item is recorded
/// with its stage and reason and the run goes on.
/// </summary>
public sealed class IngestPipeline<TLoaded, TProcessed>(IngestStages<TLoaded, TProcessed> stages, IngestPipelineOptions options)
{
    private int _discovered, _skipped, _done, _failed, _inFlight, _otherPartitions, _diskFullInARow;
    private string? _fatal;
    private readonly CancellationTokenSource _stopFeeding = new();
    private long _bytes;
    private readonly ConcurrentDictionary<string, double> _stageSeconds = new();
    private readonly ConcurrentQueue<IngestFailure> _failures = new();
    private readonly ConcurrentQueue<IngestFailure> _notes = new();
    private readonly ConcurrentDictionary<string, byte> _seenIds = new();

    public Task<IngestSummary> RunAsync(IEnumerable<DiscoveryUnit> units, IProgress<IngestProgress>? progress, CancellationToken ct) =>
        RunAsync(units, progress, IngestStop.None, ct);

    /// <summary>
    /// Runs the pipeline. <paramref name="stop"/>.Drain stops taking new inputs (in-flight volumes finish and are
    /// committed); <paramref name="stop"/>.Abort or cancelling <paramref name="ct"/> abandons in-flight volumes (nothing
    /// half-written stays visible). Either way the summary comes back with <see cref="IngestSummary.Interrupted"/> set.
    /// </summary>
    public async Task<IngestSummary> RunAsync(IEnumerable<DiscoveryUnit> units, IProgress<IngestProgress>? progress, IngestStop stop, CancellationToken ct)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct, stop.Abort);
        ct = abort.Token;
        var clock = Stopwatch.StartNew();
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(stop.Drain, _stopFeeding.Token);
        var io = new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = options.DiscoveryParallelism, BoundedCapacity = options.DiscoveryParallelism * 4, CancellationToken = ct, EnsureOrdered = false };
        var read = new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = options.Workers, BoundedCapacity = options.Workers, CancellationToken = ct, EnsureOrdered = false };
        var write = new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = options.WriteParallelism, BoundedCapacity = options.WriteParallelism, CancellationToken = ct, EnsureOrdered = false };
        var link = new DataflowLinkOptions { PropagateCompletion = true };

        var resolveBlock = new TransformManyBlock<DiscoveryUnit, (SourceItem Item, string Fp)>(u => drain.IsCancellationRequested ? [] : Resolve(u), io);
        // Read and preprocess run back to back in the same worker: the decoded source (the largest buffer) lives only
        // inside one worker call and is garbage once preprocessing returns, instead of waiting in a queue between two
        // blocks. A worker's finished output counts against the block's capacity until the writer takes it.
        var workBlock = new TransformManyBlock<(SourceItem Item, string Fp), (SourceItem Item, string Fp, TProcessed P)>(
            x =>
            {
                if (!drain.IsCancellationRequested) return ReadAndPreprocess(x.Item, x.Fp, ct);
                Interlocked.Decrement(ref _inFlight); // queued but not started: left for the next run
                return [];
            }, read);
        var writeBlock = new ActionBlock<(SourceItem Item, string Fp, TProcessed P)>(x =>
        {
            if (Stage(IngestStage.Write, x.Item, () => { stages.Write(x.Item, x.Fp, x.P); return true; }).Length > 0)
            {
                Interlocked.Increment(ref _done);
                Interlocked.Exchange(ref _diskFullInARow, 0);
            }
            Interlocked.Decrement(ref _inFlight);
            Report(progress, clock, x.Item.Id);
        }, write);

        resolveBlock.LinkTo(workBlock, link);
        workBlock.LinkTo(writeBlock, link);

        using var ticker = progress is null ? null : new Timer(_ => Report(progress, clock, null), null, 500, 500);
        var aborted = false;
        try
        {
            try
            {
                foreach (var unit in units)
                {
                    if (drain.IsCancellationRequested) break;
                    ct.ThrowIfCancellationRequested();
                    if (!options.Partition.Owns(unit.Key)) { Interlocked.Increment(ref _otherPartitions); continue; }
                    if (!await resolveBlock.SendAsync(unit, ct).ConfigureAwait(false)) break;
                }
            }
            finally { resolveBlock.Complete(); }
            await writeBlock.Completion.ConfigureAwait(false);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or AggregateException)
        {
            aborted = true; // in-flight volumes abandoned: shards are written under temp names and renamed, so nothing partial is visible
        }
        Report(progress, clock, null);
        var interrupted = stop.Reason ?? (aborted ? "cancelled" : null);
        return new IngestSummary(_discovered, _skipped, _done, _failed, _otherPartitions, Interlocked.Read(ref _bytes), clock.Elapsed,
            new Dictionary<string, double>(_stageSeconds), _failures.ToArray(), _notes.ToArray())
        {
            Interrupted = _fatal is null ? interrupted : null,
            Abandoned = aborted,
            Fatal = _fatal,
        };
    }

    private IEnumerable<(SourceItem, string)> Resolve(DiscoveryUnit unit)
    {
        var found = Timed(IngestStage.Discover, () => stages.Resolve(unit));
        foreach (var n in found.Notes) Note(n);
        foreach (var more in found.MoreFailures) Fail(more);
        if (found.Failure is { } f) { Fail(f); return []; }
        if (found.Item is not { } item) return [];
        Interlocked.Increment(ref _discovered);
        if (!_seenIds.TryAdd(item.Id, 0))
        {
            Fail(new IngestFailure(item.DisplayPath, IngestStage.Discover, $"duplicate volume id {item.Id} (another input already has it)", item.Id));
            return [];
        }
        if (options.Modality is { } m && item.Modality != m)
        {
            Interlocked.Increment(ref _skipped);
            _notes.Enqueue(new IngestFailure(item.DisplayPath, IngestStage.Discover, $"skipped: {item.Modality} volume, spec is {m}", item.Id));
            return [];
        }

        string fp;
        try { fp = stages.Fingerprint(item); }
        catch (Exception e) when (IsItemError(e)) { Fail(new IngestFailure(item.DisplayPath, IngestStage.Discover, e.Message, item.Id)); return []; }
        if (!options.Force && stages.Reuse?.Invoke(fp) is { } damage) Note(new IngestFailure(item.DisplayPath, IngestStage.Discover, damage, item.Id));
        else if (!options.Force && stages.IsDone(fp)) { Interlocked.Increment(ref _skipped); return []; }
        Interlocked.Increment(ref _inFlight);
        return [(item, fp)];
    }

    private IEnumerable<(SourceItem, string, TProcessed)> ReadAndPreprocess(SourceItem item, string fp, CancellationToken ct)
    {
        var loaded = Stage(IngestStage.Read, item, () => { var l = stages.Read(item, ct); Interlocked.Add(ref _bytes, stages.SourceBytes(item)); return l; });
        if (loaded.Length == 0) return [];
        var processed = Stage(IngestStage.Preprocess, item, () => stages.Preprocess(item, loaded[0], ct));
        loaded[0] = default!; // the source volume is garbage from here on, whatever the caller's closure keeps
        return processed.Length == 0 ? [] : [(item, fp, processed[0])];
    }

    /// <summary>Runs one stage for one item; a failure is recorded and yields nothing downstream.</summary>
    private T[] Stage<T>(string stage, SourceItem item, Func<T> work)
    {
        try { return [Timed(stage, work)]; }
        catch (Exception e) when (IsItemError(e))
        {
            Fail(new IngestFailure(item.DisplayPath, stage, DiskFull.Is(e) ? DiskFull.Reason(e) : Describe(e), item.Id));
            if (stage != IngestStage.Write) Interlocked.Decrement(ref _inFlight);
            return [];
        }
    }

    private T Timed<T>(string stage, Func<T> work)
    {
        var t = Stopwatch.GetTimestamp();
        try { return work(); }
        finally { _stageSeconds.AddOrUpdate(stage, Stopwatch.GetElapsedTime(t).TotalSeconds, (_, s) => s + Stopwatch.GetElapsedTime(t).TotalSeconds); }
    }

    private void Fail(IngestFailure f)
    {
        f = Printable(f);
        Interlocked.Increment(ref _failed);
        _failures.Enqueue(f);
        try { stages.RecordFailure(f); } catch (IOException) { /* the summary still lists it */ }
        if (f.Stage == IngestStage.Write && DiskFull.Is(f.Reason) && Interlocked.Increment(ref _diskFullInARow) >= options.MaxDiskFullInARow)
        {
            Interlocked.CompareExchange(ref _fatal, DiskFull.Message(options.MaxDiskFullInARow, f.Reason), null);
            _stopFeeding.Cancel();
        }
    }

    private void Note(IngestFailure n)
    {
        n = Printable(n);
        _notes.Enqueue(n);
        try { stages.RecordFailure(n with { Stage = n.Stage + "-note" }); } catch (IOException) { }
    }

    /// <summary>Paths and reasons as printable text: bytes of non-UTF-8 names as \xNN (JSON cannot carry them raw).</summary>
    private static IngestFailure Printable(IngestFailure f) =>
        f with { Path = RawPath.Display(f.Path), Reason = RawPath.Display(f.Reason) };

    private void Report(IProgress<IngestProgress>? progress, Stopwatch clock, string? current) =>
        progress?.Report(new IngestProgress(_discovered, _skipped, _done, _failed, Math.Max(0, _inFlight), Interlocked.Read(ref _bytes), clock.Elapsed, current));

    /// <summary>Errors that belong to one input, not to the run (cancellation and bugs like NullReference still stop it).</summary>
    private static bool IsItemError(Exception e) =>
        e is InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException or FormatException
            or ArgumentException or OverflowException or OutOfMemoryException or InvalidOperationException
        && e is not OperationCanceledException;

    private static string Describe(Exception e) => e.InnerException is { } inner && !e.Message.Contains(inner.Message) ? $"{e.Message} ({inner.Message})" : e.Message;
}

public sealed record IngestPipelineOptions
{
    /// <summary>Volumes read and preprocessed at once (each holds one decoded volume in memory).</summary>
    public int Workers { get; init; } = 2;
    public int WriteParallelism { get; init; } = 1;
    public int DiscoveryParallelism { get; init; } = 2;
    public Partition Partition { get; init; } = Partition.All;
    /// <summary>Items of another modality are skipped (e.g. AMOS MRI cases when ingesting with a CT spec).</summary>
    public Imaging.Volumes.Modality? Modality { get; init; }
    /// <summary>Re-ingest even when the cache already holds the volume.</summary>
    public bool Force { get; init; }
    /// <summary>Writes that fail with "no space left on device" one after another before the run stops (disk full).</summary>
    public int MaxDiskFullInARow { get; init; } = 3;

    public void Validate()
    {
        if (Workers < 1 || WriteParallelism < 1 || DiscoveryParallelism < 1) throw new ArgumentException("parallelism must be >= 1");
        if (MaxDiskFullInARow < 1) throw new ArgumentException("maxDiskFullInARow must be >= 1");
    }
}
