using System.IO.Hashing;

namespace Streaming.Shards.Format;

/// <summary>
/// XXH64 of one chunk's uncompressed bytes: image values (little-endian), then the body bitmap's ceil(n/8) bytes
/// with the unused high bits of the last byte masked to zero, then labels when present.
/// </summary>
public static class ChunkChecksum
{
    public static ulong Compute(ReadOnlySpan<byte> image, ReadOnlySpan<byte> bodyBits, int voxels, ReadOnlySpan<byte> labels)
    {
        var h = new XxHash64();
        h.Append(image);
        var full = voxels / 8;
        h.Append(bodyBits[..full]);
        var rest = voxels % 8;
        if (rest != 0)
        {
            Span<byte> last = [(byte)(bodyBits[full] & ((1 << rest) - 1))];
            h.Append(last);
        }
        if (!labels.IsEmpty) h.Append(labels);
        return h.GetCurrentHashAsUInt64();
    }

    public static string ToHex(ulong v) => v.ToString("x16");
}
