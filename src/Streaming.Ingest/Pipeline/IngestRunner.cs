using Polly;
using Polly.Retry;
using Streaming.Imaging.Files;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Dicom.Isolation;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Ingest.Preprocess;
using Streaming.Ingest.Read;
using Streaming.Ingest.Read.Archives;
using Streaming.Shards.Cache;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;

namespace Streaming.Ingest.Pipeline;

/// <summary>Everything an ingest run needs, validated at the boundary.</summary>
public sealed record IngestOptions
{
    public required IReadOnlyList<ArchiveSource> Sources { get; init; }
    public required string CacheRoot { get; init; }
    public required PreprocessSpec Spec { get; init; }
    public IngestPipelineOptions Pipeline { get; init; } = new();
    /// <summary>Retries of transient I/O errors (not of bad data) per file read.</summary>
    public int IoRetries { get; init; } = 3;
    /// <summary>Optional per-stage preprocessing time accumulator (benchmarks: where the time goes).</summary>
    public PreprocessTimings? Timings { get; init; }
    /// <summary>
    /// Run GDCM in crash-isolated worker processes (default). In-process only for measuring what isolation costs:
    /// a native assertion in GDCM then ends the run.
    /// </summary>
    public bool IsolateDicom { get; init; } = true;
    /// <summary>What to do with tilted or unevenly spaced DICOM stacks.</summary>
    public SliceGridOptions SliceGrid { get; init; } = SliceGridOptions.Default;

    /// <summary>Checks everything and makes sure the cache root can be written (creating it): before a real run.</summary>
    public void Validate()
    {
        ValidateInputs();
        CacheRootCheck.EnsureWritable(CacheRoot);
    }

    /// <summary>Checks the sources and settings without touching the cache root (<c>ingest --dry-run</c> writes nothing).</summary>
    public void ValidateInputs()
    {
        if (Sources.Count == 0) throw new ArgumentException("no --source given");
        foreach (var s in Sources)
        {
            if (File.Exists(s.Root))
                throw new ArgumentException($"--source {s.Root} is a file; give the archive folder that holds it (or glob=PATTERN for single files)");
            if (!Directory.Exists(s.Root))
                throw new DirectoryNotFoundException($"--source {s.Root}: folder not found; check the path");
        }
        if (string.IsNullOrWhiteSpace(CacheRoot)) throw new ArgumentException("--cache is empty");
        if (File.Exists(CacheRoot)) throw new ArgumentException($"cache root {CacheRoot} is a file, not a folder; pass --cache with a folder (it is created if missing)");
        Spec.Validate();
        Pipeline.Validate();
        if (IoRetries < 0) throw new ArgumentException("ioRetries must be >= 0");
    }
}

/// <summary>Composes the real stages (readers, preprocessor, shard writer, cache) into the Dataflow pipeline.</summary>
public static class IngestRunner
{
    public static Task<IngestSummary> RunAsync(IngestOptions o, IProgress<IngestProgress>? progress, CancellationToken ct) =>
        RunAsync(o, progress, IngestStop.None, ct);

    /// <summary>Ingests every source; <paramref name="stop"/> drains or abandons the run (SIGINT/SIGTERM).</summary>
    public static Task<IngestSummary> RunAsync(IngestOptions o, IProgress<IngestProgress>? progress, IngestStop stop, CancellationToken ct)
    {
        o.Validate();
        return RunUnitsAsync(o, (discovery, scannerFor) => o.Sources.SelectMany(s => discovery.Units(s, o.Spec.Modality, scannerFor)), progress, stop, ct);
    }

    /// <summary>Ingests given items (cache repair: the sources recorded in the catalog), re-ingesting them even when cached.</summary>
    public static Task<IngestSummary> RunItemsAsync(IngestOptions o, IReadOnlyList<SourceItem> items, IProgress<IngestProgress>? progress, CancellationToken ct)
    {
        var source = new ArchiveSource(ArchiveLayout.Glob, o.CacheRoot, "repair");
        return RunUnitsAsync(o with { Pipeline = o.Pipeline with { Force = true } },
            (_, _) => items.Select(i => new DiscoveryUnit(i.Id, i, null, source)), progress, IngestStop.None, ct);
    }

    private static async Task<IngestSummary> RunUnitsAsync(IngestOptions o,
        Func<ArchiveDiscovery, Func<ArchiveSource, ISeriesScanner>, IEnumerable<DiscoveryUnit>> units,
        IProgress<IngestProgress>? progress, IngestStop stop, CancellationToken ct)
    {
        var store = CacheStore.Open(o.CacheRoot, o.Spec, o.Pipeline.Partition.Name);
        using var lease = CacheLease.Acquire(store.Layout, o.Pipeline.Partition.Name);
        var storeGate = new Lock(); // discovery asks IsDone while the writer commits; the catalog view is not concurrent
        using var pool = o.IsolateDicom ? new GdcmWorkerPool(o.Pipeline.Workers + o.Pipeline.DiscoveryParallelism) : null;
        IGdcmAccess gdcm = pool is null ? InProcessGdcm.Instance : pool;
        var readers = new IImageReader[] { new NiftiImageReader(), new DicomImageReader(gdcm, o.SliceGrid) };
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                // Only transient I/O (network filesystems, NFS hiccups); bad data is never retried.
                ShouldHandle = new PredicateBuilder().Handle<IOException>(e => e is not (FileNotFoundException or DirectoryNotFoundException or EndOfStreamException or ChunkCorruptException or GdcmCrashException)),
                MaxRetryAttempts = Math.Max(1, o.IoRetries), Delay = TimeSpan.FromMilliseconds(200), BackoffType = DelayBackoffType.Exponential,
            })
            .Build();
        var discovery = new ArchiveDiscovery(new GdcmSeriesScanner(gdcm));
        var stages = new IngestStages<(LoadedImage Image, Volume<byte>? Labels), PreprocessedVolume>(
            discovery.Resolve,
            SourceFingerprint.Compute,
            fp => { lock (storeGate) return store.IsDone(fp); },
            (item, token) => retry.Execute(t =>
            {
                var reader = readers.FirstOrDefault(r => r.CanRead(item)) ?? throw new NotSupportedException($"{item.DisplayPath}: no reader for {item.Kind}");
                var image = reader.Read(item, t);
                if (item.Kind == SourceKind.Nifti && item.Modality == Modality.CT && CtIntensityCheck.Problem(image.Volume) is { } notCt)
                    throw new InvalidDataException($"{item.DisplayPath}: {notCt}");
                var labels = item.LabelPath is { } lp ? LabelAlignment.ToImageGrid(NiftiReader.ReadLabels(lp, t), image.Volume.Geometry, lp) : null;
                return (image, labels);
            }, token),
            (item, loaded, token) => Preprocessor.Run(loaded.Image, loaded.Labels, o.Spec, new PreprocessOptions { SourceName = item.DisplayPath }, o.Timings, token),
            (item, fp, pv) =>
            {
                // Encoding and compressing the shard needs no lock (its file name is unique to the fingerprint);
                // only the catalog commit is serialised with discovery's IsDone.
                var header = VolumeRecord.Header(item.ToShardSource(), fp, store.Key);
                var record = ShardWriter.Write(store.ShardPath(fp), pv.ToShardInput(), header, o.Spec.Shard);
                lock (storeGate) store.Commit(record);
            },
            f => store.RecordFailure(f.Path, f.Stage, f.Reason, f.VolumeId),
            item => item.Files.Sum(f => RawPath.Stat(f).Length) + (item.LabelPath is { } l ? RawPath.Stat(l).Length : 0))
        {
            Reuse = fp =>
            {
                lock (storeGate) return store.ReuseProblem(fp);
            },
        };
        var pipeline = new IngestPipeline<(LoadedImage, Volume<byte>?), PreprocessedVolume>(stages, o.Pipeline with { Modality = o.Spec.Modality });
        var all = units(discovery, s => new GdcmSeriesScanner(gdcm, s.Root));
        return await pipeline.RunAsync(all, progress, stop, ct);
    }
}
