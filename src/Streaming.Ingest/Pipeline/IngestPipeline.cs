using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
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
    private int _discovered, _skipped, _done, _failed, _inFlight, _otherPartitions;
    private long _bytes;
    private readonly ConcurrentDictionary<string, double> _stageSeconds = new();
    private readonly ConcurrentQueue<IngestFailure> _failures = new();
    private readonly ConcurrentQueue<IngestFailure> _notes = new();
    private readonly ConcurrentDictionary<string, byte> _seenIds = new();

    public async Task<IngestSummary> RunAsync(IEnumerable<DiscoveryUnit> units, IProgress<IngestProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var io = new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = options.DiscoveryParallelism, BoundedCapacity = options.DiscoveryParallelism * 4, CancellationToken = ct, EnsureOrdered = false };
        var read = new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = options.Workers, BoundedCapacity = options.Workers, CancellationToken = ct, EnsureOrdered = false };
        var write = new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = options.WriteParallelism, BoundedCapacity = options.WriteParallelism, CancellationToken = ct, EnsureOrdered = false };
        var link = new DataflowLinkOptions { PropagateCompletion = true };

        var resolveBlock = new TransformManyBlock<DiscoveryUnit, (SourceItem Item, string Fp)>(u => Resolve(u), io);
        // Read and preprocess run back to back in the same worker: the decoded source (the largest buffer) lives only
        // inside one worker call and is garbage once preprocessing returns, instead of waiting in a queue between two
        // blocks. A worker's finished output counts against the block's capacity until the writer takes it.
        var workBlock = new TransformManyBlock<(SourceItem Item, string Fp), (SourceItem Item, string Fp, TProcessed P)>(
            x => ReadAndPreprocess(x.Item, x.Fp, ct), read);
        var writeBlock = new ActionBlock<(SourceItem Item, string Fp, TProcessed P)>(x =>
        {
            if (Stage(IngestStage.Write, x.Item, () => { stages.Write(x.Item, x.Fp, x.P); return true; }).Length > 0)
                Interlocked.Increment(ref _done);
            Interlocked.Decrement(ref _inFlight);
            Report(progress, clock, x.Item.Id);
        }, write);

        resolveBlock.LinkTo(workBlock, link);
        workBlock.LinkTo(writeBlock, link);

        using var ticker = progress is null ? null : new Timer(_ => Report(progress, clock, null), null, 500, 500);
        try
        {
            foreach (var unit in units)
            {
                ct.ThrowIfCancellationRequested();
                if (!options.Partition.Owns(unit.Key)) { Interlocked.Increment(ref _otherPartitions); continue; }
                if (!await resolveBlock.SendAsync(unit, ct).ConfigureAwait(false)) break;
            }
        }
        finally { resolveBlock.Complete(); }
        await writeBlock.Completion.ConfigureAwait(false);
        Report(progress, clock, null);
        return new IngestSummary(_discovered, _skipped, _done, _failed, _otherPartitions, Interlocked.Read(ref _bytes), clock.Elapsed,
            new Dictionary<string, double>(_stageSeconds), _failures.ToArray(), _notes.ToArray());
    }

    private IEnumerable<(SourceItem, string)> Resolve(DiscoveryUnit unit)
    {
        var found = Timed(IngestStage.Discover, () => stages.Resolve(unit));
        foreach (var n in found.Notes) { _notes.Enqueue(n); stages.RecordFailure(n with { Stage = IngestStage.Discover + "-note" }); }
        if (found.Failure is { } f) { Fail(f); return []; }
        var item = found.Item!;
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
        if (!options.Force && stages.IsDone(fp)) { Interlocked.Increment(ref _skipped); return []; }
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
            Fail(new IngestFailure(item.DisplayPath, stage, Describe(e), item.Id));
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
        Interlocked.Increment(ref _failed);
        _failures.Enqueue(f);
        try { stages.RecordFailure(f); } catch (IOException) { /* the summary still lists it */ }
    }

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

    public void Validate()
    {
        if (Workers < 1 || WriteParallelism < 1 || DiscoveryParallelism < 1) throw new ArgumentException("parallelism must be >= 1");
    }
}
