using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Augment;
using Streaming.Sampling.Random;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling.Slices;

/// <summary>
/// SAL's slice sampler. Per volume slot (<see cref="SourceCore{TScratch}"/>: different volumes, dataset mixing, skip
/// ledger, keys): S distinct axial slices drawn uniformly (with replacement only when the volume has fewer), an
/// in-plane window placed uniformly (with its shift margin inside the volume; centred and padded when the volume is
/// smaller) and shared by the volume's slices so they stay aligned, and two views per slice, each shifted by up to
/// MaxShift voxels and then augmented on its own.
/// Slices are read grouped by chunk layer (<see cref="SliceReader"/>): a layer is decoded once however many of the
/// drawn slices it holds. Every choice comes from keys derived from (seed, step, slot, attempt, purpose), so a batch is a
/// pure function of (seed, step, cache contents, skip ledger), whatever the number of workers. Thread-safe.
/// </summary>
public sealed class SliceSource : ILedgeredSource<SliceBatch>, IDisposable
{
    private readonly SourceCore<SliceScratch> _core;

    public SliceSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open, SliceSamplingOptions options,
        SkipLedger? ledger = null)
    {
        options.Validate();
        Options = options;
        _core = new SourceCore<SliceScratch>(volumes, open, options.Slots, () => new SliceScratch(options), ledger);
    }

    public SliceSamplingOptions Options { get; }
    public SkipLedger Ledger => _core.Ledger;
    public VolumePicker Picker => _core.Picker;

    public SliceBatch Batch(long step) => this.BuildInOrder(step);

    public BatchBuild<SliceBatch> Build(long step, Func<string, bool> isExcluded)
    {
        var o = Options;
        int s = o.SlicesPerVolume, items = o.VolumesPerBatch * s, area = o.SliceShape.Area;
        // Every value of every view is written below (padding included).
        var viewsA = GC.AllocateUninitializedArray<float>(items * area);
        var viewsB = GC.AllocateUninitializedArray<float>(items * area);
        var positions = new SlicePosition[items];

        var slots = _core.DrawSlots(step, isExcluded, d =>
        {
            var first = d.Slot * s;
            Fill(d, viewsA.AsSpan(first * area, s * area), viewsB.AsSpan(first * area, s * area), positions.AsSpan(first, s));
            return true;
        });
        var ids = new string[items];
        for (var i = 0; i < items; i++) ids[i] = slots.Volumes[i / s].Id;

        if (o.Augmentations.Enabled)
        {
            var key = _core.AugmentKey(step);
            var scratch = _core.Scratch;
            var shape = new Int3(o.SliceShape.X, o.SliceShape.Y, 1);
            for (var i = 0; i < items; i++)
            {
                Augment(viewsA.AsSpan(i * area, area), shape, key.With(i).With(0), scratch.Augment);
                Augment(viewsB.AsSpan(i * area, area), shape, key.With(i).With(1), scratch.Augment);
            }
        }

        return slots.Build(new SliceBatch
        {
            Step = step, Volumes = o.VolumesPerBatch, SlicesPerVolume = s, Shape = o.SliceShape,
            ViewsA = viewsA, ViewsB = viewsB, Positions = positions, VolumeIds = ids, BytesDecoded = slots.BytesDecoded,
        });
    }

    /// <summary>The slot's slices: indices, shared window, per-view shifts, one grouped read, then the two views of each.</summary>
    private void Fill(SlotDraw<SliceScratch> d, Span<float> viewsA, Span<float> viewsB, Span<SlicePosition> positions)
    {
        var o = Options;
        var sc = d.Scratch;
        var rng = d.Key.With(KeyPurpose.Slices).Stream();
        var shape = d.Volume.Shape;
        int s = o.SlicesPerVolume, m = o.MaxShift;
        var idx = sc.Indices;
        DrawIndices(ref rng, shape.Z, idx);
        Array.Sort(idx);
        // The read window (the slice window plus the shift margin) is placed inside the volume when it fits.
        var read = sc.Read;
        var origin = (X: WindowOrigin(ref rng, shape.X, read.X), Y: WindowOrigin(ref rng, shape.Y, read.Y));
        var stats = SliceReader.Read(d.Reader, idx, origin, (read.X, read.Y), sc.Windows, sc.Reads);
        d.Decoded(stats.BytesDecoded);
        int area = o.SliceShape.Area;
        for (var i = 0; i < s; i++)
        {
            positions[i] = new SlicePosition(idx[i], shape.Z);
            var window = sc.Windows.AsSpan(i * read.Area, read.Area);
            CopyShifted(window, read, m + rng.NextInclusive(-m, m), m + rng.NextInclusive(-m, m), o.SliceShape, viewsA.Slice(i * area, area));
            CopyShifted(window, read, m + rng.NextInclusive(-m, m), m + rng.NextInclusive(-m, m), o.SliceShape, viewsB.Slice(i * area, area));
        }
    }

    /// <summary>S distinct indices in [0, n) by a partial Fisher-Yates (with replacement when n &lt; S).</summary>
    public static void DrawIndices(ref KeyedRandom rng, int n, int[] into)
    {
        if (n < into.Length)
        {
            for (var i = 0; i < into.Length; i++) into[i] = rng.NextInt(n);
            return;
        }
        var pool = new int[n];
        for (var i = 0; i < n; i++) pool[i] = i;
        for (var i = 0; i < into.Length; i++)
        {
            var j = i + rng.NextInt(n - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
            into[i] = pool[i];
        }
    }

    /// <summary>Uniform over the placements inside the volume; centred (padded on both sides) when the volume is smaller.</summary>
    public static int WindowOrigin(ref KeyedRandom rng, int extent, int window) =>
        extent >= window ? rng.NextInt(extent - window + 1) : -((window - extent) / 2);

    private static void CopyShifted(ReadOnlySpan<float> read, PlaneShape readShape, int dx, int dy, PlaneShape shape, Span<float> view)
    {
        for (var y = 0; y < shape.Y; y++)
            read.Slice((y + dy) * readShape.X + dx, shape.X).CopyTo(view.Slice(y * shape.X, shape.X));
    }

    private void Augment(Span<float> view, Int3 shape, RandomKey key, AugmentScratch s) =>
        ViewAugmentation.Apply(view, shape, ViewAugmentation.Draw(key, Options.Augmentations, shape), s);

    public void Dispose() => _core.Dispose();
}
