using Streaming.Evaluation.Data;
using Streaming.Evaluation.Features;
using Streaming.Evaluation.Heads;
using Streaming.Evaluation.Knn;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Training;
using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Tests;
using Streaming.Training.Logging;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests;

[CollectionDefinition(nameof(MemoryBoundTests), DisableParallelization = true)]
public sealed class MemoryBoundCollection;

/// <summary>
/// Evaluation memory does not grow with the number of volumes: features are spilled to disk per volume
/// (<see cref="PyramidStore"/>) and read back as crops or one volume at a time; kNN queries go slab by slab.
/// </summary>
[Collection(nameof(MemoryBoundTests))]
public class MemoryBoundTests
{
    /// <summary>A bright box labeled 1 in a volume of <paramref name="s"/>, placed by <paramref name="i"/>.</summary>
    private static LabeledCase Case(int i, Int3 s)
    {
        var g = new VolumeGeometry(s, new Vec3(1, 1, 1), new Vec3(0, 0, 0), Mat3.Identity);
        var input = new float[s.Volume]; var labels = new byte[s.Volume];
        var rng = new Random(i);
        for (var k = 0; k < input.Length; k++) input[k] = (float)rng.NextDouble() * 0.2f;
        for (var z = 4; z < s.Z - 4; z++) for (var y = 4 + i % 5; y < s.Y / 2 + i % 5; y++) for (var x = 6; x < s.X / 2; x++) { input[s.Index(x, y, z)] = 0.9f; labels[s.Index(x, y, z)] = 1; }
        var record = new VolumeRecord
        {
            Id = $"T/case_{i:D2}", Dataset = "T", Modality = Modality.CT, SourcePaths = [$"case_{i}.nii.gz"], SourceFingerprint = $"{i}", SpecKey = "k",
            FinalGeometry = GeometryRecord.From(g), OriginalGeometry = GeometryRecord.From(g), HasLabels = true,
        };
        return new LabeledCase(record.Id, record, new Volume<float>(g, input), new Volume<byte>(g, labels));
    }

    private static FeaturePyramid RandomPyramid(Int3 shape, int seed)
    {
        random.manual_seed(seed);
        var strides = new[] { new Int3(1, 1, 1), new Int3(2, 2, 2) };
        return new FeaturePyramid([randn(3, shape.Z, shape.Y, shape.X), randn(5, shape.Z / 2, shape.Y / 2, shape.X / 2)], strides, shape, shape);
    }

    [Fact]
    public void A_stored_pyramid_loads_and_crops_exactly_what_was_stored()
    {
        using var dir = new TempDir();
        using var store = new PyramidStore(dir.Path("features"));
        using var p = RandomPyramid(new Int3(12, 10, 8), 1);
        var stored = store.Add("a", p);
        Assert.Equal((3L * 8 * 10 * 12 + 5L * 4 * 5 * 6) * 4, store.BytesOnDisk);
        using (var loaded = stored.Load())
            for (var l = 0; l < 2; l++) Assert.True(loaded.Levels[l].eq(p.Levels[l]).all().item<bool>());
        var origin = new Int3(2, 4, 2);
        var size = new Int3(6, 4, 4);
        var fromDisk = stored.Crop(origin, size);
        var inMemory = p.Crop(origin, size);
        for (var l = 0; l < 2; l++)
        {
            Assert.Equal(inMemory[l].shape, fromDisk[l].shape);
            Assert.True(inMemory[l].eq(fromDisk[l]).all().item<bool>(), $"level {l}");
        }
        Assert.Throws<ArgumentException>(() => stored.Crop(new Int3(1, 0, 0), size));
        store.Dispose();
        Assert.False(Directory.Exists(dir.Path("features")));
    }

    [Fact]
    public void Knn_prediction_slab_by_slab_equals_the_whole_volume_at_once()
    {
        var shape = new Int3(12, 10, 8);
        using var a = RandomPyramid(shape, 2);
        using var b = RandomPyramid(shape, 3);
        var labels = new byte[shape.Volume];
        for (var i = 0; i < labels.Length; i++) labels[i] = (byte)(i * 7 % 3);
        using var knn = KnnSegmenter.Build([(a, labels)], k: 5, keyEvery: 2);
        var whole = knn.Predict(b, 1, chunkRows: 1 << 20);
        Assert.Equal(whole, knn.Predict(b, 1, chunkRows: 50));     // < one plane: one plane per slab, several chunks
        Assert.Equal(whole, knn.Predict(b, 1, chunkRows: 300));    // a few planes per slab
        Assert.Equal(knn.Predict(b, 3, chunkRows: 1 << 20), knn.Predict(b, 3, chunkRows: 7));
        Assert.Contains(whole, v => v != whole[0]);                 // not a constant map
    }

    [Fact]
    public void Knn_similarity_chunks_stay_within_their_budget_however_many_keys()
    {
        Assert.Equal(4096, KnnSegmenter.RowsPerChunk(1000, 4096));
        Assert.Equal(202, KnnSegmenter.RowsPerChunk(166_000, 4096));   // 128 MiB / (166 K keys x 4 B)
        Assert.Equal(1, KnnSegmenter.RowsPerChunk(100_000_000, 4096));

        // 9 labeled volumes, keys at every 2nd voxel: 147 K keys. 2048 query rows in one chunk would be a 1.1 GiB
        // similarity matrix; the budget cuts it to chunks of 227 rows (~128 MiB).
        var shape = new Int3(64, 64, 32);
        var labels = new byte[shape.Volume];
        for (var i = 0; i < labels.Length; i++) labels[i] = (byte)(i / 4096 % 3);
        var pyramids = Enumerable.Range(10, 9).Select(seed => RandomPyramid(shape, seed)).ToList();
        using var knn = KnnSegmenter.Build(pyramids.Select(p => (p, labels)), k: 5, keyEvery: 2);
        foreach (var p in pyramids) p.Dispose();
        Assert.Equal(9L * 32 * 32 * 16, knn.KeyCount);
        using var query = RandomPyramid(shape, 99);
        GC.Collect();
        var before = MemoryProbe.RssBytes();
        File.WriteAllText("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
        var predicted = knn.Predict(query, queryEvery: 4);
        var peak = MemoryProbe.PeakRssBytes() - before;
        Assert.Equal(shape.Volume, predicted.Length);
        Assert.True(peak < 400L << 20, $"kNN prediction peaked {peak >> 20} MiB above the starting RSS (one 2048-row chunk is 1152 MiB)");
    }

    [Fact]
    public void Exact_search_frees_each_chunks_distances_before_the_next()
    {
        // 4096 queries against 147 K keys in chunks of 227 rows: 18 distance matrices of 128 MiB. Kept until the search
        // returns (as before the fix: one z-plane of a 3 mm phantom per search) they add up to 2.3 GiB.
        using var keys = randn(147_456, 8, generator: new Generator(1));
        using var queries = randn(4096, 8, generator: new Generator(2));
        using var index = new ExactIndex(keys, KnnSegmenter.RowsPerChunk(keys.shape[0], 2048));
        GC.Collect();
        var before = MemoryProbe.RssBytes();
        File.WriteAllText("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
        using var idx = index.Search(queries, 5);
        var peak = MemoryProbe.PeakRssBytes() - before;
        Assert.Equal(new long[] { 4096, 5 }, idx.shape);
        // The nearest key of query 0 is the one with the smallest distance, checked by brute force on that row.
        using var d0 = queries[0].unsqueeze(0).sub(keys).square().sum(1);
        Assert.Equal(d0.argmin().item<long>(), idx[0, 0].item<long>());
        Assert.True(peak < 600L << 20, $"exact search peaked {peak >> 20} MiB above the starting RSS (all chunks kept: ~2300 MiB)");
    }

    [Fact]
    public void Peak_memory_of_frozen_protocols_does_not_grow_with_the_number_of_volumes()
    {
        // 64 channels x 64x64x32 voxels = 32 MiB of features per volume: 12 more volumes kept in memory would add 384 MiB.
        var shape = new Int3(64, 64, 32);
        var o = new EvaluationOptions
        {
            Protocols = [Protocol.Linear, Protocol.Knn], Folds = 2, MaxFolds = 1, Seed = 1, Threads = 1,
            Training = new HeadTrainingOptions { Steps = 3, BatchSize = 2, Patch = new Int3(32, 32, 16) },
            Window = new SlidingWindow { Window = shape, Overlap = 0 }, KnnK = 3, KnnKeyEvery = 8, KnnShots = [2], KnnQueryEvery = 2,
        };
        var arch = new WideFeaturesOptions(64);
        using var dir = new TempDir();
        long Peak(int volumes)
        {
            var cases = Enumerable.Range(0, volumes).Select(i => Case(i, shape)).ToList();
            GC.Collect();
            var before = MemoryProbe.RssBytes();
            File.WriteAllText("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
            var r = new EvaluationRunner(o, dir.Root).Run(cases, [BackboneSource.Random(arch, 1, "wide")]);
            Assert.Equal(volumes / 2 + volumes % 2, r.Cases.Count(c => c.Arm == "linear/wide"));
            return MemoryProbe.PeakRssBytes() - before;
        }
        // Warm-up with both sizes: libtorch kernels, and the allocator's heap grown once to its working size (the first
        // 16-volume run measured up to 70 MiB more than later ones, which stay within a few MiB of the 4-volume peak).
        Peak(4);
        Peak(16);
        var few = Peak(4);
        var many = Peak(16);
        Assert.True(many - few < 96L << 20,
            $"peak above the starting RSS: {few >> 20} MiB with 4 volumes, {many >> 20} MiB with 16 (features of 12 more volumes are 384 MiB)");
        Assert.Empty(Directory.GetDirectories(dir.Root, ".features-*")); // the spill folder is removed
    }

    [Fact]
    public void Probe_training_with_label_ids_up_to_63_stays_flat_step_after_step()
    {
        // The real-CT probe's shape: 2 volumes shallower than the 32^3 patch (cut to 32x32x16) and label ids up to 63, so
        // 64 classes and ~16 MiB logits, probabilities, one-hot and gradients per batch of 4. TorchSharp's Adam left ~50
        // implicit Scalars per step to the finaliser; between those buffers they pinned glibc's heap, which grew ~35 MiB
        // a step until a GC ran (1.3 GiB above the start after 40 steps here; 6-11 GB in `streaming evaluate`).
        var shape = new Int3(40, 36, 12);
        int[] channels = [8, 16, 32, 64];
        var padded = new Int3(40, 40, 16);
        var cases = Enumerable.Range(0, 2).Select(i =>
        {
            random.manual_seed(i);
            var levels = channels.Select((c, l) => randn(c, padded.Z >> l, padded.Y >> l, padded.X >> l)).ToArray();
            var labels = new byte[shape.Volume];
            var rng = new Random(i);
            for (var k = 0; k < labels.Length; k++) labels[k] = (byte)(rng.Next(4) == 0 ? rng.Next(64) : 0);
            labels[^1] = 63;
            var g = new VolumeGeometry(shape, new Vec3(1, 1, 1), new Vec3(0, 0, 0), Mat3.Identity);
            return (Pyramid: new FeaturePyramid(levels, channels.Select((_, l) => new Int3(1 << l, 1 << l, 1 << l)).ToArray(), shape, padded),
                Labels: new Volume<byte>(g, labels));
        }).ToList();
        var threads = get_num_threads();
        set_num_threads(1); // as `evaluate` with threads: 1 (with 2 threads the heap grew less)
        try
        {
            using var head = new StandardizedHead(HeadFactory.Create(HeadKind.Linear, channels, 64),
                channels.Select(c => zeros(new long[] { 1, c, 1, 1, 1 })).ToArray(), channels.Select(c => ones(new long[] { 1, c, 1, 1, 1 })).ToArray());
            var o = new HeadTrainingOptions { Steps = 40, BatchSize = 4, Patch = new Int3(32, 32, 32), HeadLr = 1e-2 };
            GC.Collect(); GC.WaitForPendingFinalizers(); // nothing pending from earlier tests
            var before = MemoryProbe.RssBytes();
            File.WriteAllText("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
            var steps = FrozenHeadTrainer.Train(head, cases.Select(c => ((IPyramidCrops)c.Pyramid, c.Labels)).ToList(), o, CPU);
            var peak = MemoryProbe.PeakRssBytes() - before;
            Assert.Equal(40, steps.Count);
            Assert.True(steps[^1].Loss < steps[0].Loss, $"loss {steps[0].Loss:F3} -> {steps[^1].Loss:F3}");
            Assert.True(peak < 400L << 20, $"40 probe steps peaked {peak >> 20} MiB above the starting RSS (one step's buffers: ~200 MiB)");
        }
        finally
        {
            set_num_threads(threads);
            foreach (var c in cases) c.Pyramid.Dispose();
        }
    }

    /// <summary>An architecture whose features cost memory but no compute: the input repeated over many channels.</summary>
    private sealed record WideFeaturesOptions(int Channels) : MethodOptions
    {
        public override string Name => "wide";
        public override void Validate() { }
        public override FeatureExtractor CreateFeatures() => new Wide(Channels);
        public override InputScaling InputScaling => InputScaling.Identity;
        public override Int3 PatchShape => new(32, 32, 16);
        public override TResult Accept<TResult>(IMethodVisitor<TResult> visitor) => throw new NotSupportedException();
    }

    private sealed class Wide : FeatureExtractor
    {
        private readonly TorchSharp.Modules.Parameter scale;

        public Wide(int channels) : base("Wide", 1, [new FeatureLevel(channels, new Int3(1, 1, 1))])
        {
            scale = nn.Parameter(linspace(0.5, 1.5, channels).reshape(1, channels, 1, 1, 1));
            register_parameter("scale", scale);
        }

        public override Tensor[] forward(Tensor x)
        {
            CheckInput(x);
            return [x.expand(-1, Levels[0].Channels, -1, -1, -1) * scale];
        }
    }
}
