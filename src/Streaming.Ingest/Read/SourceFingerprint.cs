using System.Security.Cryptography;
using System.Text;
using Streaming.Imaging.Files;

namespace Streaming.Ingest.Read;

/// <summary>
/// Identity of a source item's bytes without reading them: SHA-256 over the item id and, for each file in order
/// (then the label file, if any), its file name, length and last-write time (UTC ticks). Any touched, replaced,
/// grown or renamed file gives a new fingerprint, hence a new shard. 32 hex digits.
/// </summary>
public static class SourceFingerprint
{
    public const int Length = 32;

    public static string Compute(SourceItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AddString(h, item.Id);
        AddLong(h, item.Files.Count);
        foreach (var f in item.Files) AddFile(h, f);
        if (item.LabelPath is { } label)
        {
            AddString(h, "label");
            AddFile(h, label);
        }
        return Convert.ToHexStringLower(h.GetHashAndReset())[..Length];
    }

    private static void AddFile(IncrementalHash h, string path)
    {
        var (length, lastWrite) = RawPath.Stat(path);
        AddString(h, Path.GetFileName(path));
        AddLong(h, length);
        AddLong(h, lastWrite.Ticks);
    }

    // Length-prefixed so that ("ab", "c") and ("a", "bc") hash differently.
    private static void AddString(IncrementalHash h, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        AddLong(h, bytes.Length);
        h.AppendData(bytes);
    }

    private static void AddLong(IncrementalHash h, long v)
    {
        Span<byte> b = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(b, v);
        h.AppendData(b);
    }
}
