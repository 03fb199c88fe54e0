using Streaming.Ingest.Pipeline;
using Streaming.Ingest.Read;
using Streaming.Ingest.Read.Archives;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Tests.Pipeline;

public class IngestPipelineTests
{
    private static readonly ArchiveSource Src = new(ArchiveLayout.Glob, "/x", "D");

    private static DiscoveryUnit Unit(int i) =>
        new($"D/case{i:D3}", new SourceItem($"D/case{i:D3}", "D", Modality.CT, SourceKind.Nifti, [$"/x/case{i:D3}.nii.gz"]), null, Src);

    private sealed class Fakes
    {
        public int Live, MaxLive, Reads;
        public readonly List<string> Written = [];
        public readonly List<IngestFailure> Failures = [];
        public readonly HashSet<string> Done = [];
        public Func<SourceItem, bool> FailRead = _ => false;
        /// <summary>Runs inside the read stage before the volume is "decoded": a test holds one read here.</summary>
        public Action<SourceItem> DuringRead = _ => { };

        public IngestStages<int[], int[]> Stages() => new(
            u => DiscoveredItem.Of(u.Item!),
            i => "fp-" + i.Id,
            fp => Done.Contains(fp),
            (item, _) =>
            {
                Interlocked.Increment(ref Reads);
                if (FailRead(item)) throw new InvalidDataException($"{item.Files[0]}: truncated gzip stream");
                DuringRead(item);
                var live = Interlocked.Increment(ref Live);
                lock (Written) MaxLive = Math.Max(MaxLive, live);
                Thread.Sleep(2);
                return new int[16];
            },
            (_, loaded, _) => loaded,
            (item, _, _) => { lock (Written) Written.Add(item.Id); Interlocked.Decrement(ref Live); },
            f => { lock (Failures) Failures.Add(f); },
            _ => 1000);
    }

    [Fact]
    public async Task Memory_stays_bounded_whatever_the_input_count()
    {
        var f = new Fakes();
        var p = new IngestPipeline<int[], int[]>(f.Stages(), new IngestPipelineOptions { Workers = 2 });
        var s = await p.RunAsync(Enumerable.Range(0, 300).Select(Unit), null, CancellationToken.None);
        Assert.Equal(300, s.Done);
        Assert.Equal(300, f.Written.Count);
        // Each of the 2 workers holds one volume (being read/preprocessed, or done and waiting for the writer) and the
        // single writer one more: 3, whatever the input count.
        Assert.InRange(f.MaxLive, 1, 3);
        Assert.Equal(300_000, s.SourceBytesRead);
    }

    [Fact]
    public async Task A_failing_input_is_recorded_with_stage_and_reason_and_the_run_goes_on()
    {
        var f = new Fakes { FailRead = i => i.Id.EndsWith("007") };
        var p = new IngestPipeline<int[], int[]>(f.Stages(), new IngestPipelineOptions());
        var s = await p.RunAsync(Enumerable.Range(0, 20).Select(Unit), null, CancellationToken.None);
        Assert.Equal(19, s.Done);
        Assert.Equal(1, s.Failed);
        Assert.Equal(2, s.ExitCode);
        var fail = Assert.Single(f.Failures);
        Assert.Equal("read", fail.Stage);
        Assert.Equal("/x/case007.nii.gz", fail.Path);
        Assert.Contains("truncated", fail.Reason);
    }

    [Fact]
    public async Task Finished_volumes_are_skipped_and_partitions_split_the_inputs_exactly()
    {
        var f = new Fakes();
        f.Done.Add("fp-D/case001");
        var units = Enumerable.Range(0, 40).Select(Unit).ToList();
        var doneByPartition = new List<string>();
        var skipped = 0;
        for (var i = 0; i < 3; i++)
        {
            var g = new Fakes(); g.Done.UnionWith(f.Done);
            var s = await new IngestPipeline<int[], int[]>(g.Stages(), new IngestPipelineOptions { Partition = new Partition(i, 3) })
                .RunAsync(units, null, CancellationToken.None);
            Assert.Equal(40 - s.Discovered, s.OtherPartitions);
            skipped += s.Skipped;
            doneByPartition.AddRange(g.Written);
        }
        Assert.Equal(1, skipped);
        Assert.Equal(39, doneByPartition.Count);
        Assert.Equal(39, doneByPartition.Distinct().Count());
        Assert.DoesNotContain("D/case001", doneByPartition);
    }

    [Fact]
    public async Task Duplicate_ids_and_other_modalities_are_not_ingested()
    {
        var f = new Fakes();
        var mr = new DiscoveryUnit("D/mr", new SourceItem("D/mr", "D", Modality.MR, SourceKind.Nifti, ["/x/mr.nii"]), null, Src);
        var units = new[] { Unit(1), Unit(1) with { Key = "D/case001b" }, mr };
        var s = await new IngestPipeline<int[], int[]>(f.Stages(), new IngestPipelineOptions { Modality = Modality.CT })
            .RunAsync(units, null, CancellationToken.None);
        Assert.Equal(1, s.Done);
        Assert.Equal(1, s.Skipped);
        Assert.Contains(f.Failures, x => x.Reason.Contains("duplicate volume id D/case001"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stop_finishes_or_abandons_the_volume_in_flight_and_starts_no_other(bool abandon)
    {
        // The stop arrives while case005 is being read, deterministically: its read waits for the test.
        using var reading = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Fakes f = null!;
        f = new Fakes
        {
            DuringRead = i =>
            {
                if (!i.Id.EndsWith("005")) return;
                // The volumes read before this one are written first, so the stop finds exactly one in flight.
                Assert.True(SpinWait.SpinUntil(() => { lock (f.Written) return f.Written.Count == f.Reads - 1; }, TimeSpan.FromMinutes(1)));
                reading.Set();
                release.Wait(TimeSpan.FromMinutes(1));
            },
        };
        using var stop = new IngestStop(listen: false);
        var run = new IngestPipeline<int[], int[]>(f.Stages(), new IngestPipelineOptions { Workers = 1 })
            .RunAsync(Enumerable.Range(0, 40).Select(Unit), null, stop, CancellationToken.None);
        Assert.True(reading.Wait(TimeSpan.FromMinutes(1)));
        var readsAtStop = f.Reads;
        stop.Request("SIGTERM", abandon);
        release.Set();
        var s = await run;

        Assert.Equal("SIGTERM", s.Interrupted);
        Assert.Equal(abandon, s.Abandoned);
        Assert.Equal(3, s.ExitCode);
        Assert.Equal(0, s.Failed);
        // No read starts after the stop (inputs already queued behind the held one are left for the next run).
        Assert.Equal(readsAtStop, f.Reads);
        Assert.InRange(f.Reads, 1, 39);
        Assert.Equal(abandon ? f.Reads - 1 : f.Reads, s.Done);
        Assert.Equal(s.Done, f.Written.Count);
        Assert.Equal(!abandon, f.Written.Contains("D/case005"));
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/16", 3, 16)]
    public void Partition_parses(string text, int i, int n) => Assert.Equal(new Partition(i, n), Partition.Parse(text));

    [Theory]
    [InlineData("1/1")]
    [InlineData("-1/4")]
    [InlineData("4")]
    public void Bad_partition_is_rejected(string text) => Assert.Throws<ArgumentException>(() => Partition.Parse(text));
}
