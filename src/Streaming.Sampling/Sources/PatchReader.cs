using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;

namespace Streaming.Sampling.Sources;

/// <summary>Reads a patch through <see cref="IShardVolume.ReadRegion"/>, padding the part outside the volume.</summary>
public static class PatchReader
{
    /// <summary>CT pads with air; MR with 0.</summary>
    public static float PadValue(Modality m) => m == Modality.CT ? -1024f : 0f;

    public static RegionReadStats Read(IShardVolume volume, Int3 origin, Int3 size, Span<float> image, Span<byte> body,
        float pad, float[] regionImage, byte[] regionBody)
    {
        var shape = volume.Info.Shape;
        var lo = Int3.Max(origin, new Int3(0, 0, 0));
        var hi = Int3.Min(origin + size, shape);
        if (lo == origin && hi == origin + size) return volume.ReadRegion(origin, size, image, body);
        image.Fill(pad);
        body.Clear();
        var ext = hi - lo;
        if (!ext.AllPositive) return default;
        var n = (int)ext.Volume;
        var stats = volume.ReadRegion(lo, ext, regionImage.AsSpan(0, n), regionBody.AsSpan(0, n));
        var off = lo - origin;
        for (var z = 0; z < ext.Z; z++)
            for (var y = 0; y < ext.Y; y++)
            {
                var src = (int)ext.Index(0, y, z);
                var dst = (int)size.Index(off.X, off.Y + y, off.Z + z);
                regionImage.AsSpan(src, ext.X).CopyTo(image.Slice(dst, ext.X));
                regionBody.AsSpan(src, ext.X).CopyTo(body.Slice(dst, ext.X));
            }
        return stats;
    }
}
