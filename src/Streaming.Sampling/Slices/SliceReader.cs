using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling.Slices;

/// <summary>
/// Reads axial slices (an in-plane window of each) from one cached volume so that every chunk layer (the chunks
/// sharing a z range) the slices touch is decoded once: the requested slices are grouped by layer and each group is
/// one region read spanning its slices, so several slices of a layer cost one decode of that layer and a slice never
/// decodes chunks of another layer. Parts of the window outside the volume are padded (<see cref="PatchReader"/>).
/// Without a known chunk shape every slice is its own read.
/// </summary>
public static class SliceReader
{
    /// <param name="slices">Slice indices, ascending (repeats allowed), each inside the volume.</param>
    /// <param name="origin">In-plane window origin (x, y; may be negative or run past the volume: padded).</param>
    /// <param name="size">In-plane window extent (x, y).</param>
    /// <param name="image">Receives slice i's window at i x size.X x size.Y, x fastest.</param>
    /// <param name="scratch">Buffers for one layer's window (grown as needed).</param>
    public static RegionReadStats Read(IShardVolume volume, ReadOnlySpan<int> slices, (int X, int Y) origin, (int X, int Y) size,
        Span<float> image, SliceReadScratch scratch)
    {
        var info = volume.Info;
        int plane = size.X * size.Y;
        if (image.Length < slices.Length * plane) throw new ArgumentException($"image buffer holds {image.Length} values, {slices.Length} slices need {slices.Length * plane}");
        int depth = Math.Max(1, info.ChunkShape?.Z ?? 1);
        var pad = PatchReader.PadValue(info.Modality);
        int chunks = 0; long bytes = 0;
        for (int i = 0; i < slices.Length;)
        {
            int z0 = slices[i];
            if ((uint)z0 >= (uint)info.Shape.Z) throw new ArgumentOutOfRangeException(nameof(slices), $"{info.Id}: slice {z0} is outside 0..{info.Shape.Z - 1}");
            if (i > 0 && z0 < slices[i - 1]) throw new ArgumentException("slices must be in ascending order", nameof(slices));
            // The run of requested slices in z0's chunk layer.
            int layerEnd = (z0 / depth + 1) * depth, j = i + 1;
            while (j < slices.Length && slices[j] < layerEnd && slices[j] >= z0) j++;
            int z1 = slices[j - 1];
            if (z1 >= info.Shape.Z) throw new ArgumentOutOfRangeException(nameof(slices), $"{info.Id}: slice {z1} is outside 0..{info.Shape.Z - 1}");
            var region = new Int3(size.X, size.Y, z1 - z0 + 1);
            var (img, body) = scratch.For(region.Volume);
            var s = PatchReader.Read(volume, new Int3(origin.X, origin.Y, z0), region, img, body, pad, scratch.RegionImage, scratch.RegionBody);
            chunks += s.ChunksDecoded; bytes += s.BytesDecoded;
            for (int k = i; k < j; k++)
                img.AsSpan((slices[k] - z0) * plane, plane).CopyTo(image.Slice(k * plane, plane));
            i = j;
        }
        return new RegionReadStats(chunks, bytes);
    }
}

/// <summary>One worker's buffers for <see cref="SliceReader"/>.</summary>
public sealed class SliceReadScratch
{
    private float[] _image = [];
    private byte[] _body = [];
    public float[] RegionImage { get; private set; } = [];
    public byte[] RegionBody { get; private set; } = [];

    internal (float[] Image, byte[] Body) For(long voxels)
    {
        if (_image.Length < voxels)
        {
            _image = new float[voxels]; _body = new byte[voxels];
            RegionImage = new float[voxels]; RegionBody = new byte[voxels];
        }
        return (_image, _body);
    }
}
