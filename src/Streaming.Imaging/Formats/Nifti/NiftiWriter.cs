using System.IO.Compression;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Nifti;

/// <summary>
/// Writes a <see cref="Volume{T}"/> as a single-file NIfTI (.nii, or gzip when the name ends in .gz), atomically:
/// the bytes go to a temporary file beside the target that is renamed over it only when complete.
/// Geometry is written both as sform and qform (unless their codes are 0); a left-handed grid (det -1) gets qfac -1.
/// </summary>
public static class NiftiWriter
{
    private const int ChunkVoxels = 1 << 16;

    public static void Write<T>(string path, Volume<T> volume, NiftiWriteOptions? options = null) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(volume);
        var o = options ?? new NiftiWriteOptions();
        o.Validate();
        if (!NiftiValueEncoder.Supports<T>())
            throw new ArgumentException($"{path}: cannot write voxels of type {typeof(T).Name} to NIfTI (use a numeric type)");
        try { volume.Geometry.Validate(); }
        catch (InvalidDataException e) { throw new ArgumentException($"{path}: cannot write volume: {e.Message}", nameof(volume), e); }
        var shape = volume.Shape;
        if (o.Version == 1 && (shape.X > short.MaxValue || shape.Y > short.MaxValue || shape.Z > short.MaxValue))
            throw new ArgumentException($"{path}: shape {shape} does not fit NIfTI-1's int16 dims; write NIfTI-2 (Version = 2)");

        var header = BuildHeader(volume.Geometry, o);
        // NIfTI-1 readers will apply the float32-rounded slope/inter, so encode with exactly those values.
        var (slope, inter) = o.Version == 1 ? ((double)(float)o.SclSlope, (double)(float)o.SclInter) : (o.SclSlope, o.SclInter);
        WriteAtomically(path, header, volume.Data, slope, inter, o.CompressionLevel);
    }

    /// <summary>
    /// A 4-D NIfTI of <paramref name="channels"/> maps on one grid (x, y, z, c; what nibabel shows as shape
    /// (X, Y, Z, C)): <paramref name="data"/> holds the channels one after another, each x-fastest.
    /// </summary>
    public static void WriteChannels(string path, VolumeGeometry geometry, ReadOnlySpan<float> data, int channels, NiftiWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var o = options ?? new NiftiWriteOptions { DataType = NiftiDataType.Float32 };
        o.Validate();
        if (channels < 1 || data.Length != geometry.Shape.Volume * channels)
            throw new ArgumentException($"{path}: {data.Length} values are not {channels} channels of {geometry.Shape}");
        try { geometry.Validate(); }
        catch (InvalidDataException e) { throw new ArgumentException($"{path}: cannot write volume: {e.Message}", nameof(geometry), e); }
        var h = BuildHeader(geometry, o);
        var dim = h.Dim.ToArray();
        dim[0] = 4; dim[4] = channels;
        var pix = h.PixDim.ToArray();
        pix[4] = 1;
        h = h with { Dim = dim, PixDim = pix };
        var (slope, inter) = o.Version == 1 ? ((double)(float)o.SclSlope, (double)(float)o.SclInter) : (o.SclSlope, o.SclInter);
        WriteAtomically(path, h, data, slope, inter, o.CompressionLevel);
    }

    internal static NiftiHeader BuildHeader(VolumeGeometry g, NiftiWriteOptions o)
    {
        var bytes = NiftiDataTypes.BytesPerVoxel(o.DataType);
        var h = new NiftiHeader
        {
            Version = o.Version,
            BigEndian = o.BigEndian,
            Dim = [3, g.Shape.X, g.Shape.Y, g.Shape.Z, 1, 1, 1, 1],
            DataTypeCode = (int)o.DataType,
            BitPix = bytes * 8,
            VoxOffset = NiftiHeaderCodec.VoxOffsetFor(o.Version),
            SclSlope = o.SclSlope,
            SclInter = o.SclInter,
            XyztUnits = 2, // NIFTI_UNITS_MM
            QformCode = o.QformCode,
            SformCode = o.SformCode,
            Description = o.Description,
        };
        h = NiftiGeometry.ApplyTo(h, g);
        // Fields of a form whose code is 0 are ignored by readers; zero them so the file says only what it means.
        if (o.SformCode == 0) h = h with { SRowX = [0, 0, 0, 0], SRowY = [0, 0, 0, 0], SRowZ = [0, 0, 0, 0] };
        if (o.QformCode == 0) h = h with { QuaternB = 0, QuaternC = 0, QuaternD = 0, QOffsetX = 0, QOffsetY = 0, QOffsetZ = 0 };
        return h;
    }

    /// <summary>Writes header then voxels (converted chunk by chunk) to a temp file and renames it onto <paramref name="path"/>.</summary>
    internal static void WriteAtomically<T>(string path, NiftiHeader header, ReadOnlySpan<T> voxels, double slope, double inter, int level)
        where T : unmanaged
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var gzip = full.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                    ? new GZipStream(fs, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true)
                    : null;
                using (gzip)
                {
                    Stream s = gzip ?? (Stream)fs;
                    s.Write(NiftiHeaderCodec.Encode(header));
                    WriteVoxels(s, header, voxels, slope, inter);
                }
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    private static void WriteVoxels<T>(Stream s, NiftiHeader h, ReadOnlySpan<T> voxels, double slope, double inter) where T : unmanaged
    {
        var type = (NiftiDataType)h.DataTypeCode;
        var size = NiftiDataTypes.BytesPerVoxel(type);
        var swap = NiftiByteOrder.NeedsSwap(h.BigEndian);
        var buf = new byte[ChunkVoxels * size];
        for (var k = 0; k < voxels.Length; k += ChunkVoxels)
        {
            var n = Math.Min(ChunkVoxels, voxels.Length - k);
            var bytes = buf.AsSpan(0, n * size);
            NiftiValueEncoder.Encode(voxels.Slice(k, n), type, slope, inter, bytes);
            if (swap) NiftiByteOrder.SwapInPlace(bytes, size);
            s.Write(bytes);
        }
    }
}
