using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Streaming.Imaging.Volumes;
using Streaming.Imaging.Formats.Nifti;

namespace Streaming.Bench.Ingest;

/// <summary>Timings of one file: zlib's floor, then our raw read, then the full float read. Seconds are best-of-N.</summary>
public sealed record NiftiReadBenchmarkResult(
    string Path, Int3 Shape, string DataType, long CompressedBytes, long VoxelBytes,
    double DecompressOnlySeconds, double DecompressToMemorySeconds, double ReadRawSeconds, double ReadFloatSeconds)
{
    private double Mb(double s) => VoxelBytes / 1e6 / s;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{System.IO.Path.GetFileName(Path)} {Shape} {DataType}, {CompressedBytes / 1e6:F1} MB on disk, {VoxelBytes / 1e6:F1} MB voxels: gzip to null {DecompressOnlySeconds * 1e3:F0} ms ({Mb(DecompressOnlySeconds):F0} MB/s), gzip into one buffer {DecompressToMemorySeconds * 1e3:F0} ms ({Mb(DecompressToMemorySeconds):F0} MB/s), ReadRaw {ReadRawSeconds * 1e3:F0} ms ({Mb(ReadRawSeconds):F0} MB/s), Read (float32) {ReadFloatSeconds * 1e3:F0} ms ({Mb(ReadFloatSeconds):F0} MB/s)");
}

/// <summary>
/// Read-speed benchmark for the CLI's bench command (not a unit test: it is seconds of CPU). "gzip to null"
/// streams the file through GZipStream into a small reused buffer, the floor any reader pays; "gzip into one
/// buffer" decompresses into a preallocated array of the voxel size (adds the memory traffic any in-memory result
/// pays); ReadRaw adds header parsing, byte-swapping and allocating its array; Read converts to float32 and scales.
/// </summary>
public static class NiftiReadBenchmark
{
    public static NiftiReadBenchmarkResult Run(string path, int repeats = 3, CancellationToken ct = default)
    {
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), "at least one repeat");
        var header = NiftiReader.ReadHeader(path);
        var voxelBytes = header.Shape.Volume * header.BitPix / 8;
        double decompress = double.MaxValue, toMemory = double.MaxValue, raw = double.MaxValue, full = double.MaxValue;
        var buffer = new byte[header.VoxOffset + voxelBytes];
        for (var r = 0; r < repeats; r++)
        {
            ct.ThrowIfCancellationRequested();
            decompress = Math.Min(decompress, Time(() => Decompress(path, null)));
            toMemory = Math.Min(toMemory, Time(() => Decompress(path, buffer)));
            raw = Math.Min(raw, Time(() => NiftiReader.ReadRaw(path, ct)));
            full = Math.Min(full, Time(() => NiftiReader.Read(path, ct)));
        }
        return new NiftiReadBenchmarkResult(path, header.Shape, header.DataTypeName, new FileInfo(path).Length, voxelBytes, decompress, toMemory, raw, full);
    }

    /// <summary>
    /// Writes a CT phantom as int16 .nii.gz (it compresses like a real scan rather than like zeros) for benchmarking
    /// at sizes the shared data lacks.
    /// </summary>
    /// <param name="spacing">Voxel size in mm; default 0.7x0.7x1.0 (a 512x512 slice then spans the patient).</param>
    public static void WritePhantomCt(string path, Int3 shape, int seed = 1, int compressionLevel = 1, Vec3? spacing = null) =>
        NiftiWriter.Write(path, BenchPhantoms.Ct(shape, spacing ?? new Vec3(0.7, 0.7, 1.0), seed),
            new NiftiWriteOptions { DataType = NiftiDataType.Int16, CompressionLevel = compressionLevel });

    /// <summary>Decompresses a .nii.gz into nothing (buffer null) or into one array; an uncompressed file is just read.</summary>
    private static void Decompress(string path, byte[]? buffer)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[2];
        var gzip = fs.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        fs.Seek(0, SeekOrigin.Begin);
        using var s = gzip ? new GZipStream(fs, CompressionMode.Decompress) : (Stream)fs;
        if (buffer is null) s.CopyTo(Stream.Null, 1 << 18);
        else s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
    }

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalSeconds;
    }
}
