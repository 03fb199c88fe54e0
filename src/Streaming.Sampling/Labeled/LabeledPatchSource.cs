using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Random;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling.Labeled;

/// <summary>
/// Labeled batches from the shard cache for the supervised methods (voxel-level SimSiam and its baselines). Per volume
/// slot (<see cref="SourceCore{TScratch}"/>: dataset mixing, skip ledger, keys) one item: the whole volume when it has
/// the item's shape (the spec's targetShape), else a patch placed with the key of (seed, step, slot, attempt): with
/// probability <c>foregroundFraction</c> centred on a voxel of a foreground class drawn uniformly among those present,
/// otherwise uniformly. The image goes through the input scaling, labels through the kept-label map. Only labeled
/// volumes are drawn. Patches that need the label map for placement decode the whole volume (fine for the fixed-shape
/// volumes this method is used with).
/// </summary>
public sealed class LabeledPatchSource : ILedgeredSource<LabeledBatch>, IDisposable
{
    private readonly SourceCore<LabeledScratch> _core;
    private readonly Int3 _item;
    private readonly byte[] _map;

    public LabeledPatchSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
        LabeledSamplingOptions options, SkipLedger? ledger = null)
    {
        options.Validate();
        var labeled = volumes.Where(v => v.HasLabels).ToList();
        if (labeled.Count == 0) throw new ArgumentException("sampling: the supervised methods need labeled volumes, and none of the cache's has labels");
        if ((long)options.VolumesPerBatch * options.PatchShape.Volume > Array.MaxLength)
            throw new ArgumentException($"sampling: {options.VolumesPerBatch} items of {options.PatchShape} do not fit one array");
        Options = options;
        _item = options.PatchShape;
        _map = options.LabelMap();
        _core = new SourceCore<LabeledScratch>(labeled, open, options.Slots, () => new LabeledScratch(), ledger);
    }

    public LabeledSamplingOptions Options { get; }
    public SkipLedger Ledger => _core.Ledger;

    public LabeledBatch Batch(long step) => this.BuildInOrder(step);

    public BatchBuild<LabeledBatch> Build(long step, Func<string, bool> isExcluded)
    {
        var n = Options.VolumesPerBatch;
        var iv = (int)_item.Volume;
        var images = new float[n * iv];
        var labels = new byte[n * iv];
        var slots = _core.DrawSlots(step, isExcluded, d =>
        {
            var s = d.Volume.Shape;
            var rng = d.Key.With(KeyPurpose.LabeledPatch).Stream();
            var image = images.AsSpan(d.Slot * iv, iv);
            var label = labels.AsSpan(d.Slot * iv, iv);
            Int3 origin;
            if (s == _item || (s.X <= _item.X && s.Y <= _item.Y && s.Z <= _item.Z))
                origin = new Int3(0, 0, 0);
            else
            {
                var whole = d.Scratch.Whole(s);
                d.Decoded(d.Reader.ReadRegion(new Int3(0, 0, 0), s, whole.Image, whole.Body, whole.Labels).BytesDecoded);
                origin = Place(whole.Labels, s, ref rng);
            }
            ReadItem(d, origin, image, label);
            return true;
        });
        var batch = new LabeledBatch
        {
            Step = step, Items = n, PatchShape = _item, Images = images, Labels = labels,
            VolumeIds = slots.Volumes.Select(v => v.Id).ToArray(), BytesDecoded = slots.BytesDecoded,
        };
        return slots.Build(batch);
    }

    /// <summary>Reads the item at <paramref name="origin"/> (padded outside the volume), scaled and label-mapped.</summary>
    private void ReadItem(SlotDraw<LabeledScratch> d, Int3 origin, Span<float> image, Span<byte> label)
    {
        var s = d.Volume.Shape;
        var pad = PatchReader.PadValue(d.Volume.Modality);
        var lo = Int3.Max(origin, new Int3(0, 0, 0));
        var hi = Int3.Min(origin + _item, s);
        var ext = hi - lo;
        if (lo == origin && hi == origin + _item)
        {
            var body = d.Scratch.Body((int)_item.Volume);
            d.Decoded(d.Reader.ReadRegion(origin, _item, image, body, label).BytesDecoded);
        }
        else
        {
            image.Fill(pad);
            label.Clear();
            var region = d.Scratch.Whole(ext);
            d.Decoded(d.Reader.ReadRegion(lo, ext, region.Image, region.Body, region.Labels).BytesDecoded);
            var off = lo - origin;
            for (var z = 0; z < ext.Z; z++)
                for (var y = 0; y < ext.Y; y++)
                {
                    var src = (int)ext.Index(0, y, z);
                    var dst = (int)_item.Index(off.X, off.Y + y, off.Z + z);
                    region.Image.AsSpan(src, ext.X).CopyTo(image.Slice(dst, ext.X));
                    region.Labels.AsSpan(src, ext.X).CopyTo(label.Slice(dst, ext.X));
                }
        }
        Options.InputScaling.Apply(image);
        for (var i = 0; i < label.Length; i++) label[i] = _map[label[i]];
    }

    /// <summary>Patch origin: centred on a kept foreground voxel (class drawn uniformly) with the foreground fraction, else uniform.</summary>
    private Int3 Place(byte[] labels, Int3 s, ref KeyedRandom rng)
    {
        var max = Int3.Max(s - _item, new Int3(0, 0, 0));
        if (rng.Chance(Options.ForegroundFraction))
        {
            var present = new List<byte>();
            var seen = new bool[256];
            foreach (var l in labels) { var c = _map[l]; if (c != 0 && !seen[c]) { seen[c] = true; present.Add(c); } }
            if (present.Count > 0)
            {
                present.Sort();
                var cls = present[rng.NextInt(present.Count)];
                var count = labels.Count(l => _map[l] == cls);
                var k = rng.NextInt(count);
                for (var i = 0; i < labels.Length; i++)
                {
                    if (_map[labels[i]] != cls || k-- > 0) continue;
                    int x = i % s.X, y = i / s.X % s.Y, z = i / (s.X * s.Y);
                    return new Int3(Math.Clamp(x - _item.X / 2, 0, max.X), Math.Clamp(y - _item.Y / 2, 0, max.Y), Math.Clamp(z - _item.Z / 2, 0, max.Z));
                }
            }
        }
        return new Int3(rng.NextInt(max.X + 1), rng.NextInt(max.Y + 1), rng.NextInt(max.Z + 1));
    }

    public void Dispose() => _core.Dispose();
}

/// <summary>Per-worker buffers of <see cref="LabeledPatchSource"/>, grown on demand.</summary>
internal sealed class LabeledScratch
{
    private float[] _image = [];
    private byte[] _body = [];
    private byte[] _labels = [];
    private byte[] _itemBody = [];

    /// <summary>A body-mask buffer of exactly <paramref name="n"/> voxels for whole-item reads (the mask is not used).</summary>
    public byte[] Body(int n) => _itemBody.Length == n ? _itemBody : _itemBody = new byte[n];

    /// <summary>Buffers exactly the size of <paramref name="shape"/> (reused when the size repeats).</summary>
    public (float[] Image, byte[] Body, byte[] Labels) Whole(Int3 shape)
    {
        var n = (int)shape.Volume;
        if (_image.Length != n) { _image = new float[n]; _body = new byte[n]; _labels = new byte[n]; }
        return (_image, _body, _labels);
    }
}
