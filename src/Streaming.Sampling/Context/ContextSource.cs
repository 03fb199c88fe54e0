using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Random;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling.Context;

/// <summary>Per-worker buffers of the context sources: the region a grid needs, windowed before interpolation.</summary>
public sealed class ContextScratch
{
    public float[] Image { get; private set; } = [];
    public byte[] Body { get; private set; } = [];

    public void Ensure(int n)
    {
        if (Image.Length >= n) return;
        Image = new float[n];
        Body = new byte[n];
    }
}

/// <summary>
/// What the planar and the Doersch sources share, composed on the seam's <see cref="SourceCore{TScratch}"/> (volume
/// slots, dataset mixing, skip ledger, keyed streams (seed, step, slot, attempt), per-worker readers): one slot per
/// pair, and the one read primitive — a <see cref="SampleGrid"/> sampled from just the voxel region it needs, CT
/// windowed and scaled like evaluation input before trilinear interpolation. Build is a pure function of
/// (seed, step, cache contents, exclusion answers), so batches do not depend on worker count and resume exactly.
/// </summary>
public abstract class ContextSource<TBatch> : ILedgeredSource<TBatch>, IDisposable where TBatch : IBatch
{
    private readonly SourceCore<ContextScratch> core;

    protected ContextSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open, ContextSamplingOptions options, SkipLedger? ledger)
    {
        options.Validate();
        Options = options;
        core = new SourceCore<ContextScratch>(volumes, open, new SlotOptions(options.Seed ?? 0, options.Pairs, options.DatasetWeights),
            () => new ContextScratch(), ledger);
    }

    public ContextSamplingOptions Options { get; }
    public int Pairs => Options.Pairs;
    public SkipLedger Ledger => core.Ledger;

    public TBatch Batch(long step) => this.BuildInOrder(step);

    public BatchBuild<TBatch> Build(long step, Func<string, bool> isExcluded)
    {
        var builder = Begin(step);
        var slots = core.DrawSlots(step, isExcluded, d =>
        {
            var rng = d.Key.With(KeyPurpose).Stream();
            Fill(builder, d.Slot, ref rng, new Reader(Options, d));
            return true;
        });
        return slots.Build(End(builder, step, slots.Volumes.Select(v => v.Id).ToArray(), slots.BytesDecoded));
    }

    /// <summary>The kind's own key purpose (see Sources/KeyPurpose.cs).</summary>
    protected abstract long KeyPurpose { get; }
    protected abstract object Begin(long step);
    protected abstract void Fill(object builder, int slot, ref KeyedRandom rng, Reader read);
    protected abstract TBatch End(object builder, long step, string[] ids, long bytes);

    /// <summary>Samples grids of one drawn volume, reading only their regions (decoded bytes counted by the draw).</summary>
    protected sealed class Reader(ContextSamplingOptions options, SlotDraw<ContextScratch> draw)
    {
        public void Sample(SampleGrid grid, Span<float> output)
        {
            var info = draw.Volume;
            var (origin, size) = TrilinearSampler.Region(grid, info.Shape);
            var n = (int)size.Volume;
            var s = draw.Scratch;
            s.Ensure(n);
            draw.Decoded(draw.Reader.ReadRegion(origin, size, s.Image.AsSpan(0, n), s.Body.AsSpan(0, n)).BytesDecoded);
            if (info.Modality == Modality.CT) options.InputScaling.Apply(s.Image.AsSpan(0, n));
            TrilinearSampler.Sample(s.Image.AsSpan(0, n), origin, size, info.Shape, grid, output);
        }
    }

    public void Dispose() => core.Dispose();
}
