using Streaming.Shards.Cache;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Ingest.Pipeline;
using Streaming.Ingest.Read.Archives;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Ingest.Tests.Pipeline;

public class IngestRunnerTests
{
    private static PreprocessSpec SmallSpec(int zstd = 3) => new()
    {
        Name = "test-2mm", Modality = Modality.CT, TargetSpacing = new Vec3(2, 2, 2),
        Intensity = new IntensitySpec(), Body = new BodySpec { MinBodyMl = 1 },
        Crop = new CropSpec { MinShape = new Int3(16, 16, 8) }, Shard = new ShardSpec { ChunkShape = new Int3(16, 16, 8), ZstdLevel = zstd },
    };

    /// <summary>A 40x40x20 CT at 2 mm: air (-1000) around a soft-tissue cylinder (40 HU) with a bone core (700 HU).</summary>
    internal static void WriteCylinder(string path, int seed = 0)
    {
        var g = new VolumeGeometry(new Int3(40, 40, 20), new Vec3(2, 2, 2), new Vec3(-40, -40, 0), Mat3.Identity);
        var v = new Volume<float>(g);
        var rng = new Random(seed);
        for (var z = 0; z < 20; z++)
            for (var y = 0; y < 40; y++)
                for (var x = 0; x < 40; x++)
                {
                    var r = Math.Sqrt((x - 20) * (x - 20) + (y - 20) * (y - 20));
                    v[x, y, z] = (r < 4 ? 700 : r < 14 ? 40 : -1000) + rng.Next(-5, 6);
                }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        NiftiWriter.Write(path, v, new NiftiWriteOptions { DataType = NiftiDataType.Int16 });
    }

    private static Task<IngestSummary> Run(string root, string cache, PreprocessSpec spec, CancellationToken ct = default, IProgress<IngestProgress>? p = null) =>
        IngestRunner.RunAsync(new IngestOptions
        {
            Sources = [ArchiveSource.Parse($"glob:t={root}/**/*.nii*")], CacheRoot = cache, Spec = spec,
            Pipeline = new IngestPipelineOptions { Workers = 2 },
        }, p, ct);

    [Fact]
    public async Task Rerun_skips_finished_volumes_a_touched_source_is_reingested_and_a_changed_spec_gets_a_new_key()
    {
        using var t = new TempDir();
        for (var i = 0; i < 3; i++) WriteCylinder(t.Path("in", $"case{i}.nii.gz"), i);
        var cache = t.Path("cache");

        var first = await Run(t.Path("in"), cache, SmallSpec());
        Assert.Equal((3, 0, 0), (first.Done, first.Skipped, first.Failed));
        var second = await Run(t.Path("in"), cache, SmallSpec());
        Assert.Equal((0, 3), (second.Done, second.Skipped));

        File.SetLastWriteTimeUtc(t.Path("in", "case1.nii.gz"), DateTime.UtcNow.AddMinutes(5));
        var third = await Run(t.Path("in"), cache, SmallSpec());
        Assert.Equal((1, 2), (third.Done, third.Skipped));

        var other = await Run(t.Path("in"), cache, SmallSpec(zstd: 5));
        Assert.Equal(3, other.Done);
        var keys = Directory.GetDirectories(cache).Select(Path.GetFileName).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Contains(SpecHasher.Key(SmallSpec()), keys);
        Assert.Contains(SpecHasher.Key(SmallSpec(zstd: 5)), keys);

        // The re-ingested volume replaced its record: still 3 volumes, and the stale shard is garbage for gc.
        var store = CacheStore.Open(cache, SmallSpec());
        Assert.Equal(3, store.Volumes().Count);
        Assert.Equal(4, Directory.GetFiles(store.Layout.ShardsDir, "*.arrow").Length);
        var gc = CacheGc.Collect(store, dryRun: false, minAge: TimeSpan.Zero);
        Assert.Single(gc.Removed);
        Assert.True(CacheVerifier.Verify(store).Corrupt.Count == 0);
    }

    [Fact]
    public async Task Cached_volume_keeps_geometry_and_intensities()
    {
        using var t = new TempDir();
        WriteCylinder(t.Path("in", "c.nii.gz"));
        var s = await Run(t.Path("in"), t.Path("cache"), SmallSpec());
        Assert.Equal(1, s.Done);
        var store = CacheStore.Open(t.Path("cache"), SmallSpec());
        var rec = Assert.Single(store.Volumes());
        Assert.Equal("t/c", rec.Id);
        using var shard = ShardVolume.Open(store.ShardPath(rec.SourceFingerprint));
        var all = shard.ReadAll();
        // Body = the 14-voxel-radius cylinder: pi*14^2*20 voxels of 8 mm^3 each, within partial-volume rounding.
        var expectedBody = Math.PI * 14 * 14 * 20;
        Assert.InRange(rec.BodyVoxels, expectedBody * 0.9, expectedBody * 1.1);
        // The bone core is still about 700 HU at its centre, air outside the body is -1000 +- noise.
        var c = all.Image.Shape;
        Assert.InRange(all.Image[c.X / 2, c.Y / 2, c.Z / 2], 680, 720);
        Assert.InRange(all.Image[0, 0, 0], -1024, -990);
        Assert.Equal(0, all.Body[0, 0, 0]);
        Assert.Equal(1, all.Body[c.X / 2, c.Y / 2, c.Z / 2]);
    }

    [Fact]
    public async Task Bad_nifti_inputs_are_reported_with_file_stage_and_reason_and_the_rest_is_ingested()
    {
        using var t = new TempDir();
        WriteCylinder(t.Path("in", "good1.nii.gz"), 1);
        WriteCylinder(t.Path("in", "good2.nii"), 2);
        // Truncated .nii.gz: half the compressed bytes.
        WriteCylinder(t.Path("in", "trunc.nii.gz"), 3);
        var bytes = File.ReadAllBytes(t.Path("in", "trunc.nii.gz"));
        File.WriteAllBytes(t.Path("in", "trunc.nii.gz"), bytes[..(bytes.Length / 2)]);
        // Corrupt header: sizeof_hdr overwritten.
        WriteCylinder(t.Path("in", "header.nii"), 4);
        Patch(t.Path("in", "header.nii"), 0, BitConverter.GetBytes(1234));
        // Zero and NaN spacing: pixdim[1] at offset 80 (and the sform rows at 280.. would still describe a grid,
        // so the writer's sform is dropped by zeroing sform_code at 254 and qform_code at 252).
        WriteCylinder(t.Path("in", "zero.nii"), 5);
        Patch(t.Path("in", "zero.nii"), 80, BitConverter.GetBytes(0f));
        Patch(t.Path("in", "zero.nii"), 252, [0, 0, 0, 0]);
        WriteCylinder(t.Path("in", "nan.nii"), 6);
        Patch(t.Path("in", "nan.nii"), 80, BitConverter.GetBytes(float.NaN));
        Patch(t.Path("in", "nan.nii"), 252, [0, 0, 0, 0]);
        // Dims that do not match the data: dim[3] 20 → 40.
        WriteCylinder(t.Path("in", "dims.nii"), 7);
        Patch(t.Path("in", "dims.nii"), 46, BitConverter.GetBytes((short)40));

        var s = await Run(t.Path("in"), t.Path("cache"), SmallSpec());
        Assert.Equal(2, s.Done);
        Assert.Equal(5, s.Failed);
        Assert.Equal(2, s.ExitCode);
        var byFile = s.Failures.ToDictionary(f => Path.GetFileName(f.Path));
        Assert.Equal(["dims.nii", "header.nii", "nan.nii", "trunc.nii.gz", "zero.nii"], byFile.Keys.Order());
        Assert.All(s.Failures, f => Assert.Equal("read", f.Stage));
        Assert.All(s.Failures, f => Assert.Contains(f.Path, f.Reason));
        // The failures report in the cache names the same files.
        var store = CacheStore.Open(t.Path("cache"), SmallSpec());
        Assert.Equal(byFile.Keys.Order(), store.Failures().Select(f => Path.GetFileName(f.File)).Order());
        Assert.Equal(2, store.Volumes().Count);
    }

    [Fact]
    public async Task An_unreadable_input_is_reported_and_does_not_stop_the_run()
    {
        using var t = new TempDir();
        WriteCylinder(t.Path("in", "good.nii.gz"));
        // A dangling link: listed by the archive, gone when read (as on a flaky network share).
        File.CreateSymbolicLink(t.Path("in", "gone.nii.gz"), t.Path("elsewhere", "deleted.nii.gz"));
        var s = await Run(t.Path("in"), t.Path("cache"), SmallSpec());
        Assert.Equal(1, s.Done);
        var f = Assert.Single(s.Failures);
        Assert.EndsWith("gone.nii.gz", f.Path);
        Assert.True(f.Stage is "read" or "discover", f.Stage);
    }

    [Fact]
    public async Task A_cancelled_run_leaves_no_visible_partial_shard_and_the_next_run_completes_it()
    {
        using var t = new TempDir();
        for (var i = 0; i < 8; i++) WriteCylinder(t.Path("in", $"case{i}.nii.gz"), i);
        using var cts = new CancellationTokenSource();
        var p = new SyncProgress(x => { if (x.Done >= 2) cts.Cancel(); });
        var cancelled = await Run(t.Path("in"), t.Path("cache"), SmallSpec(), cts.Token, p);
        Assert.Equal("cancelled", cancelled.Interrupted);
        Assert.Equal(3, cancelled.ExitCode);

        var store = CacheStore.Open(t.Path("cache"), SmallSpec());
        var committed = store.Volumes();
        Assert.InRange(committed.Count, 2, 7);
        // Every cataloged shard is complete and verifies; no shard file is visible under a final name without a record.
        Assert.Empty(CacheVerifier.Verify(store).Corrupt);
        var finals = Directory.GetFiles(store.Layout.ShardsDir, "*.arrow").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        Assert.Subset(finals, committed.Select(r => r.SourceFingerprint).ToHashSet());

        var resumed = await Run(t.Path("in"), t.Path("cache"), SmallSpec());
        Assert.Equal(committed.Count, resumed.Skipped);
        Assert.Equal(8 - committed.Count, resumed.Done);
        Assert.Equal(8, CacheStore.Open(t.Path("cache"), SmallSpec()).Volumes().Count);
    }

    [SharedDataFact]
    public async Task Real_dicom_and_nifti_ct_with_labels_are_ingested_with_labels_on_the_organs()
    {
        using var t = new TempDir();
        var spec = SpecLoader.Load(Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-1x1x2.yaml"));
        var s = await IngestRunner.RunAsync(new IngestOptions
        {
            Sources = [ArchiveSource.Parse("dicom:dcm=" + SharedData.Path("dicom", "ct-abdomen-j2k")), ArchiveSource.Parse("glob:nii=" + SharedData.Path("nifti", "ct-abdomen-3mm") + "/*.nii.gz")],
            CacheRoot = t.Path("cache"), Spec = spec,
        }, null, CancellationToken.None);
        Assert.Equal((2, 0), (s.Done, s.Failed));
        var store = CacheStore.Open(t.Path("cache"), spec);
        foreach (var rec in store.Volumes())
        {
            Assert.True(rec.HasLabels, rec.Id);
            using var shard = ShardVolume.Open(store.ShardPath(rec.SourceFingerprint));
            var all = shard.ReadAll();
            // TotalSegmentator class 5 is the liver: its voxels must carry liver HU (a flipped or shifted label map
            // would put them on air, fat or other organs), and labelled voxels lie inside the body.
            double sum = 0; long n = 0, labelled = 0, labelledInBody = 0;
            for (var i = 0; i < all.Image.Data.Length; i++)
            {
                var l = all.Labels!.Data[i];
                if (l == 0) continue;
                labelled++;
                if (all.Body.Data[i] == 1) labelledInBody++;
                if (l == 5) { sum += all.Image.Data[i]; n++; }
            }
            Assert.True(n > 1000, $"{rec.Id}: {n} liver voxels");
            Assert.InRange(sum / n, 30, 160);
            Assert.True(labelledInBody >= 0.97 * labelled, $"{rec.Id}: {labelledInBody}/{labelled} labelled voxels in the body");
        }
    }

    private static void Patch(string path, int offset, byte[] bytes)
    {
        using var f = File.Open(path, FileMode.Open);
        f.Position = offset;
        f.Write(bytes);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this reports inline so the test can cancel promptly.</summary>
    private sealed class SyncProgress(Action<IngestProgress> a) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => a(value);
    }
}
