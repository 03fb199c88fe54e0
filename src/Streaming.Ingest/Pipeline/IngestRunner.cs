using Polly;
using Polly.Retry;
using Streaming.Shards.Cache;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Ingest.Preprocess;
using Streaming.Ingest.Read;
using Streaming.Ingest.Read.Archives;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

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

    public void Validate()
    {
        if (Sources.Count == 0) throw new ArgumentException("no --source given");
        Spec.Validate();
        Pipeline.Validate();
        if (IoRetries < 0) throw new ArgumentException("ioRetries must be >= 0");
    }
}

/// <summary>Composes the real stages (readers, preprocessor, shard writer, cache) into the Dataflow pipeline.</summary>
public static class IngestRunner
{
    public static async Task<IngestSummary> RunAsync(IngestOptions o, IProgress<IngestProgress>? progress, CancellationToken ct)
    {
        o.Validate();
        var store = CacheStore.Open(o.CacheRoot, o.Spec, o.Pipeline.Partition.Name);
        var storeGate = new Lock(); // discovery asks IsDone while the writer commits; the catalog view is not concurrent
        var readers = new IImageReader[] { new NiftiImageReader(), new DicomImageReader() };
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                // Only transient I/O (network filesystems, NFS hiccups); bad data is never retried.
                ShouldHandle = new PredicateBuilder().Handle<IOException>(e => e is not (FileNotFoundException or DirectoryNotFoundException or EndOfStreamException or ChunkCorruptException)),
                MaxRetryAttempts = Math.Max(1, o.IoRetries), Delay = TimeSpan.FromMilliseconds(200), BackoffType = DelayBackoffType.Exponential,
            })
            .Build();
        var discovery = new ArchiveDiscovery(new GdcmSeriesScanner());
        var stages = new IngestStages<(LoadedImage Image, Volume<byte>? Labels), PreprocessedVolume>(
            discovery.Resolve,
            SourceFingerprint.Compute,
            fp => { lock (storeGate) return store.IsDone(fp); },
            (item, token) => retry.Execute(t =>
            {
                var reader = readers.FirstOrDefault(r => r.CanRead(item)) ?? throw new NotSupportedException($"{item.DisplayPath}: no reader for {item.Kind}");
                var image = reader.Read(item, t);
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
            item => item.Files.Sum(f => new FileInfo(f).Length) + (item.LabelPath is { } l ? new FileInfo(l).Length : 0));
        var units = o.Sources.SelectMany(s => discovery.Units(s, o.Spec.Modality));
        var pipeline = new IngestPipeline<(LoadedImage, Volume<byte>?), PreprocessedVolume>(stages, o.Pipeline with { Modality = o.Spec.Modality });
        return await pipeline.RunAsync(units, progress, ct);
    }
}
