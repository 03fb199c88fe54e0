using Streaming.Ingest.Shards;
using Streaming.Ingest.Volumes;
using Streaming.Sampling.Pairs;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Context;

/// <summary>
/// What the planar and the Doersch sources share: volume slots with dataset mixing (<see cref="VolumePicker"/>), the
/// skip-ledger rule of SAMPLING.md (a volume with a corrupt chunk is excluded from later slots and steps; the slot
/// redraws with attempt + 1), keyed random streams (seed, step, slot, attempt) and per-thread readers, and the one
/// read primitive: a <see cref="SampleGrid"/> is sampled from just the voxel region it needs, the region windowed and
/// scaled like evaluation input before trilinear interpolation. Batch(step) is a pure function of (seed, step, cache
/// contents, ledger), so a resumed run continues exactly.
/// </summary>
public abstract class ContextSource<TBatch> : IDisposable
{
    private const long VolumePart = -2, DrawPart = -7;
    private readonly IReadOnlyList<ShardVolumeInfo> volumes;
    private readonly VolumePicker picker;
    private readonly RandomKey root;
    private readonly ThreadLocal<Scratch> scratch;

    protected ContextSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open, ContextSamplingOptions geometry,
        int pairs, long seed, IReadOnlyDictionary<string, double>? datasetWeights, SkipLedger? ledger)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(open);
        geometry.Validate();
        if (pairs < 1) throw new ArgumentException("context sampling: pairs per batch must be >= 1");
        this.volumes = volumes;
        Geometry = geometry;
        Pairs = pairs;
        picker = new VolumePicker(volumes, datasetWeights ?? new Dictionary<string, double>());
        root = RandomKey.FromSeed(seed);
        Ledger = ledger ?? new SkipLedger();
        scratch = new ThreadLocal<Scratch>(() => new Scratch(new ReaderCache(open, 32)), trackAllValues: true);
    }

    public ContextSamplingOptions Geometry { get; }
    public int Pairs { get; }
    public SkipLedger Ledger { get; }

    /// <summary>The batch of <paramref name="step"/>, recording any corrupt volume it meets in the ledger.</summary>
    public TBatch Batch(long step)
    {
        var ids = new string[Pairs];
        long bytes = 0;
        var bad = new HashSet<string>(StringComparer.Ordinal);
        var s = scratch.Value!;
        var stepKey = root.With(step);
        var builder = Begin(step);
        for (var slot = 0; slot < Pairs; slot++)
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt == PairSourceBase.MaxDrawsPerSlot)
                    throw new InvalidDataException($"context sampling step {step}, slot {slot}: no readable volume in {attempt} draws");
                var key = stepKey.With(slot).With(attempt);
                var pick = key.With(VolumePart).Stream();
                var info = volumes[picker.Pick(ref pick)];
                if (Ledger.IsExcludedAt(info.Id, step) || bad.Contains(info.Id)) continue;
                var rng = key.With(DrawPart).Stream();
                try
                {
                    var read = new Reader(this, s, info);
                    Fill(builder, slot, ref rng, read);
                    bytes += read.Bytes;
                }
                catch (ChunkCorruptException e)
                {
                    s.Readers.Drop(info.Id);
                    bad.Add(info.Id);
                    Ledger.Record(new SkippedVolume(info.Id, step, e.Message));
                    continue;
                }
                ids[slot] = info.Id;
                break;
            }
        }
        return End(builder, step, ids, bytes);
    }

    /// <summary>A fresh builder (arrays) for one batch.</summary>
    protected abstract object Begin(long step);
    /// <summary>Fills slot <paramref name="slot"/> from one volume: draws with <paramref name="rng"/>, reads with <paramref name="read"/>.</summary>
    protected abstract void Fill(object builder, int slot, ref KeyedRandom rng, Reader read);
    protected abstract TBatch End(object builder, long step, string[] ids, long bytes);

    /// <summary>Samples grids of one volume, reading only their regions.</summary>
    protected sealed class Reader(ContextSource<TBatch> owner, Scratch s, ShardVolumeInfo info)
    {
        public long Bytes { get; private set; }

        public void Sample(SampleGrid grid, Span<float> output)
        {
            var (origin, size) = TrilinearSampler.Region(grid, info.Shape);
            var n = (int)size.Volume;
            s.Ensure(n);
            Bytes += s.Readers.Get(info).ReadRegion(origin, size, s.Image.AsSpan(0, n), s.Body.AsSpan(0, n)).BytesDecoded;
            if (info.Modality == Modality.CT)
                Augment.IntensityWindow.Apply(s.Image.AsSpan(0, n), new Augment.IntensityWindowParameters(owner.Geometry.WindowMin, owner.Geometry.WindowMax));
            TrilinearSampler.Sample(s.Image.AsSpan(0, n), origin, size, info.Shape, grid, output);
        }
    }

    protected sealed class Scratch(ReaderCache readers)
    {
        public ReaderCache Readers { get; } = readers;
        public float[] Image { get; private set; } = [];
        public byte[] Body { get; private set; } = [];

        public void Ensure(int n)
        {
            if (Image.Length >= n) return;
            Image = new float[n];
            Body = new byte[n];
        }
    }

    public void Dispose()
    {
        foreach (var s in scratch.Values) s.Readers.Dispose();
        scratch.Dispose();
    }
}
