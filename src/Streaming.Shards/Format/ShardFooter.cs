using System.Buffers.Binary;

namespace Streaming.Shards.Format;

/// <summary>
/// The cheap check before a cached shard is reused: an Arrow IPC file starts with "ARROW1" and ends with the footer's
/// length and "ARROW1" again. A truncated copy (or a shard cut by a full disk) fails it; reading 16 bytes costs
/// nothing next to re-ingesting, and a flipped bit inside a chunk is left to the chunk checksums of cache verify.
/// </summary>
public static class ShardFooter
{
    private static ReadOnlySpan<byte> Magic => "ARROW1"u8;

    /// <summary>Null when the file starts and ends like an Arrow IPC file with a plausible footer; otherwise why not.</summary>
    public static string? Problem(string path)
    {
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.RandomAccess);
            var length = f.Length;
            if (length < 8 + 10) return $"{length} bytes is too short to be an Arrow file";
            Span<byte> head = stackalloc byte[6];
            f.ReadExactly(head);
            if (!head.SequenceEqual(Magic)) return "does not start with the Arrow file magic";
            Span<byte> tail = stackalloc byte[10];
            f.Position = length - 10;
            f.ReadExactly(tail);
            if (!tail[4..].SequenceEqual(Magic)) return "does not end with the Arrow file magic (truncated?)";
            var footer = BinaryPrimitives.ReadInt32LittleEndian(tail);
            if (footer <= 0 || footer > length - 18) return $"footer length {footer} does not fit in the file's {length} bytes";
            return null;
        }
        catch (IOException e) { return $"cannot be read ({e.Message})"; }
        catch (UnauthorizedAccessException e) { return $"cannot be read ({e.Message})"; }
    }
}
