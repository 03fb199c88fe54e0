using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Streaming.Training.Export;

/// <summary>
/// The safetensors format (huggingface/safetensors): u64 little-endian header length, a UTF-8 JSON header
/// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}} padded with spaces to a
/// multiple of 8, then the raw little-endian tensor bytes, row-major, in header order.
/// </summary>
public static class Safetensors
{
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var items = new List<(string Name, Tensor T)>();
        try
        {
            foreach (var (name, t) in tensors) items.Add((name, t.detach().cpu().contiguous()));
            var header = new Dictionary<string, object>();
            if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
            long offset = 0;
            foreach (var (name, t) in items)
            {
                if (name == "__metadata__" || header.ContainsKey(name)) throw new ArgumentException($"duplicate or reserved tensor name '{name}'");
                long n = t.numel() * t.ElementSize;
                header[name] = new { dtype = DType(t.dtype), shape = t.shape, data_offsets = new[] { offset, offset + n } };
                offset += n;
            }
            var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
            int padded = (json.Length + 7) / 8 * 8;
            var tmp = path + ".tmp";
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
                fs.Write(len);
                fs.Write(json);
                for (int i = json.Length; i < padded; i++) fs.WriteByte((byte)' ');
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors writer assumes a little-endian machine");
                foreach (var (_, t) in items) fs.Write(t.bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            foreach (var (_, t) in items) t.Dispose();
        }
    }

    /// <summary>Reads every tensor (CPU) and the metadata. Throws <see cref="InvalidDataException"/> naming the file.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        var all = File.ReadAllBytes(path);
        if (all.Length < 8) throw new InvalidDataException($"{path}: too short for safetensors");
        ulong hlen = BinaryPrimitives.ReadUInt64LittleEndian(all);
        if (hlen > (ulong)(all.Length - 8)) throw new InvalidDataException($"{path}: header length {hlen} exceeds file size");
        using var doc = JsonDocument.Parse(all.AsMemory(8, (int)hlen));
        long dataStart = 8 + (long)hlen;
        var tensors = new Dictionary<string, Tensor>();
        var meta = new Dictionary<string, string>();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__")
            {
                foreach (var m in p.Value.EnumerateObject()) meta[m.Name] = m.Value.GetString() ?? "";
                continue;
            }
            var type = ScalarTypeOf(p.Value.GetProperty("dtype").GetString(), path);
            var shape = p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var off = p.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            if (off.Length != 2 || off[0] < 0 || off[1] < off[0] || dataStart + off[1] > all.Length)
                throw new InvalidDataException($"{path}: tensor '{p.Name}' data offsets out of range");
            var t = empty(shape, type);
            if (t.numel() * t.ElementSize != off[1] - off[0])
                throw new InvalidDataException($"{path}: tensor '{p.Name}' byte size does not match its shape and dtype");
            all.AsSpan((int)(dataStart + off[0]), (int)(off[1] - off[0])).CopyTo(t.bytes);
            tensors[p.Name] = t;
        }
        return (tensors, meta);
    }

    private static string DType(ScalarType t) => t switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"safetensors: no dtype code for {t}"),
    };

    private static ScalarType ScalarTypeOf(string? s, string path) => s switch
    {
        "F32" => ScalarType.Float32,
        "F64" => ScalarType.Float64,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{path}: unsupported safetensors dtype '{s}'"),
    };
}
