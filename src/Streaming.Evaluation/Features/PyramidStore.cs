using System.Runtime.InteropServices;
using Streaming.Imaging.Volumes;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Features;

/// <summary>
/// Feature pyramids spilled to disk, one raw float32 file per volume (levels one after another, each (C, Z, Y, X)), so
/// evaluation holds one volume's features at a time however many volumes and backbones it compares: head training
/// reads only the crops it samples (<see cref="StoredPyramid.Crop"/>), prediction and kNN load one volume
/// (<see cref="StoredPyramid.Load"/>). Reads go through pread, not a mapping, so the page cache they use is the
/// kernel's to reclaim and never counts as the process's memory. The folder is deleted on dispose.
/// </summary>
public sealed class PyramidStore : IDisposable
{
    private readonly Dictionary<string, StoredPyramid> stored = new(StringComparer.Ordinal);

    public PyramidStore(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }

    public long BytesOnDisk => stored.Values.Sum(p => p.Bytes);

    public StoredPyramid this[string id] => stored[id];

    /// <summary>Writes <paramref name="pyramid"/> (left to the caller to dispose) under <paramref name="id"/>.</summary>
    public StoredPyramid Add(string id, FeaturePyramid pyramid)
    {
        ArgumentNullException.ThrowIfNull(pyramid);
        var path = Path.Combine(Directory, $"{stored.Count:D6}.f32");
        var shapes = pyramid.Levels.Select(t => t.shape.ToArray()).ToArray();
        using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            foreach (var t in pyramid.Levels)
            {
                // A scope, not `using`: to() and contiguous() may each hand out a new handle to the same storage, and
                // one left to the finaliser keeps a whole level alive.
                using var scope = NewDisposeScope();
                fs.Write(t.to(CPU).contiguous().bytes); // straight from native memory: no managed copy of a volume's features
            }
        var p = new StoredPyramid(path, shapes, pyramid.Strides, pyramid.Shape, pyramid.PaddedShape);
        stored[id] = p;
        return p;
    }

    public void Dispose()
    {
        stored.Clear();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>One volume's pyramid in a <see cref="PyramidStore"/> file.</summary>
public sealed class StoredPyramid : IPyramidCrops
{
    private readonly string path;
    private readonly long[][] shapes;
    private readonly long[] offsets; // byte offset of each level

    internal StoredPyramid(string path, long[][] shapes, IReadOnlyList<Int3> strides, Int3 shape, Int3 padded)
    {
        this.path = path; this.shapes = shapes; Strides = strides; Shape = shape; PaddedShape = padded;
        offsets = new long[shapes.Length];
        long o = 0;
        for (var l = 0; l < shapes.Length; l++) { offsets[l] = o; o += shapes[l].Aggregate(1L, (a, b) => a * b) * sizeof(float); }
        Bytes = o;
        Alignment = new Int3(strides.Max(s => s.X), strides.Max(s => s.Y), strides.Max(s => s.Z));
    }

    public IReadOnlyList<Int3> Strides { get; }
    public Int3 Shape { get; }
    public Int3 PaddedShape { get; }
    public Int3 Alignment { get; }
    public int LevelCount => shapes.Length;
    public long Bytes { get; }

    /// <summary>The whole pyramid in memory (dispose it after use).</summary>
    public FeaturePyramid Load()
    {
        using var h = File.OpenHandle(path);
        var levels = new Tensor[shapes.Length];
        for (var l = 0; l < shapes.Length; l++)
        {
            levels[l] = empty(shapes[l], ScalarType.Float32);
            ReadExactly(h, levels[l].bytes, offsets[l]);
        }
        return new FeaturePyramid(levels, Strides, Shape, PaddedShape);
    }

    /// <summary>Every level's crop for the full-resolution box (aligned), read from the file: (C, z, y, x) rows per plane.</summary>
    public Tensor[] Crop(Int3 origin, Int3 size)
    {
        var a = Alignment;
        if (origin.X % a.X != 0 || origin.Y % a.Y != 0 || origin.Z % a.Z != 0 || size.X % a.X != 0 || size.Y % a.Y != 0 || size.Z % a.Z != 0)
            throw new ArgumentException($"crop {origin}+{size} is not aligned to {a}");
        using var h = File.OpenHandle(path);
        var result = new Tensor[shapes.Length];
        for (var l = 0; l < shapes.Length; l++)
        {
            var s = Strides[l];
            long c = shapes[l][0], zl = shapes[l][1], yl = shapes[l][2], xl = shapes[l][3];
            int oz = origin.Z / s.Z, oy = origin.Y / s.Y, ox = origin.X / s.X, dz = size.Z / s.Z, dy = size.Y / s.Y, dx = size.X / s.X;
            result[l] = empty([c, dz, dy, dx], ScalarType.Float32);
            var crop = MemoryMarshal.Cast<byte, float>(result[l].bytes);
            // One read per (channel, plane): the rows oy..oy+dy at full width, then the x range of each row.
            var plane = new float[dy * xl];
            var bytes = MemoryMarshal.AsBytes(plane.AsSpan());
            var k = 0;
            for (long ch = 0; ch < c; ch++)
                for (var z = 0; z < dz; z++)
                {
                    ReadExactly(h, bytes, offsets[l] + (((ch * zl + oz + z) * yl + oy) * xl) * sizeof(float));
                    for (var y = 0; y < dy; y++, k += dx) plane.AsSpan((int)(y * xl + ox), dx).CopyTo(crop.Slice(k, dx));
                }
        }
        return result;
    }

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle h, Span<byte> buffer, long offset)
    {
        while (buffer.Length > 0)
        {
            var n = RandomAccess.Read(h, buffer, offset);
            if (n <= 0) throw new EndOfStreamException("feature file ended early");
            buffer = buffer[n..]; offset += n;
        }
    }
}
