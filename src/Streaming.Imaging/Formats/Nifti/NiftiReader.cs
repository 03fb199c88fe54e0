using System.Globalization;
using System.Numerics;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Nifti;

/// <summary>
/// Managed NIfTI-1/NIfTI-2 reader (.nii, .nii.gz, .hdr/.img pairs; either byte order). Geometry is returned in LPS;
/// every problem with a file is an <see cref="InvalidDataException"/> whose message starts with the path.
/// </summary>
public static class NiftiReader
{
    /// <summary>Only the header (decompressing at most its 540 bytes of a .nii.gz).</summary>
    public static NiftiHeader ReadHeader(string path) => NiftiDataFile.ReadHeader(path);

    /// <summary>Header, geometry and the stored voxels, decompressed and byte-swapped but not converted or scaled.</summary>
    public static NiftiRawImage ReadRaw(string path, CancellationToken ct = default)
    {
        using var f = NiftiDataFile.Open(path);
        var (geometry, source, _) = Geometry(f.Header, path);
        var bytes = GC.AllocateUninitializedArray<byte>((int)f.DataBytes);
        f.ReadRaw(bytes, ct);
        return new NiftiRawImage(path, f.Header, f.DataType, geometry, source, bytes);
    }

    /// <summary>The volume as float32 after scl_slope/scl_inter, with its LPS geometry and header facts as metadata.</summary>
    public static LoadedImage Read(string path, CancellationToken ct = default)
    {
        using var f = NiftiDataFile.Open(path);
        var (geometry, source, note) = Geometry(f.Header, path);
        var data = GC.AllocateUninitializedArray<float>((int)f.VoxelCount);
        f.ReadSingles(data, ct);
        var h = f.Header;
        if (h.HasScaling)
        {
            var (slope, inter) = h.EffectiveScaling;
            NiftiVoxelConverter.Scale(data, slope, inter);
        }
        return new LoadedImage(new Volume<float>(geometry, data), Metadata(h, source, note));
    }

    /// <summary>
    /// An integer label map as bytes. Values (after scl_slope/scl_inter) must be whole numbers in 0..255; anything
    /// else (a probability map, a CT passed by mistake) is an error naming the first offending voxel.
    /// </summary>
    public static Volume<byte> ReadLabels(string path) => ReadLabels(path, CancellationToken.None);

    /// <inheritdoc cref="ReadLabels(string)"/>
    public static Volume<byte> ReadLabels(string path, CancellationToken ct)
    {
        var raw = ReadRaw(path, ct);
        var h = raw.Header;
        if (raw.DataType == NiftiDataType.UInt8 && !h.HasScaling)
            return new Volume<byte>(raw.Geometry, raw.Bytes);
        var labels = new byte[raw.Geometry.Shape.Volume];
        var (slope, inter) = h.EffectiveScaling;
        switch (raw.DataType)
        {
            case NiftiDataType.UInt8: ToLabels(raw.Voxels<byte>(), labels, slope, inter, raw); break;
            case NiftiDataType.Int8: ToLabels(raw.Voxels<sbyte>(), labels, slope, inter, raw); break;
            case NiftiDataType.Int16: ToLabels(raw.Voxels<short>(), labels, slope, inter, raw); break;
            case NiftiDataType.UInt16: ToLabels(raw.Voxels<ushort>(), labels, slope, inter, raw); break;
            case NiftiDataType.Int32: ToLabels(raw.Voxels<int>(), labels, slope, inter, raw); break;
            case NiftiDataType.UInt32: ToLabels(raw.Voxels<uint>(), labels, slope, inter, raw); break;
            case NiftiDataType.Int64: ToLabels(raw.Voxels<long>(), labels, slope, inter, raw); break;
            case NiftiDataType.Float32: ToLabels(raw.Voxels<float>(), labels, slope, inter, raw); break;
            case NiftiDataType.Float64: ToLabels(raw.Voxels<double>(), labels, slope, inter, raw); break;
        }
        return new Volume<byte>(raw.Geometry, labels);
    }

    private static void ToLabels<T>(ReadOnlySpan<T> src, byte[] dst, double slope, double inter, NiftiRawImage raw)
        where T : unmanaged, INumberBase<T>
    {
        for (var k = 0; k < src.Length; k++)
        {
            var v = double.CreateTruncating(src[k]) * slope + inter;
            if (!(v >= 0 && v <= 255 && v == Math.Floor(v)))
            {
                var s = raw.Geometry.Shape;
                throw new InvalidDataException(
                    $"{raw.Path}: not a label map: voxel ({k % s.X}, {k / s.X % s.Y}, {k / ((long)s.X * s.Y)}) holds {v.ToString(CultureInfo.InvariantCulture)}; " +
                    "labels must be whole numbers in 0..255");
            }
            dst[k] = (byte)v;
        }
    }

    private static (VolumeGeometry, NiftiGeometrySource, string?) Geometry(NiftiHeader h, string path)
    {
        var (g, source, note) = NiftiGeometry.FromHeader(h, path);
        try { g.Validate(); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: {source.ToString().ToLowerInvariant()} geometry: {e.Message}", e); }
        return (g, source, note);
    }

    private static Dictionary<string, string> Metadata(NiftiHeader h, NiftiGeometrySource source, string? note)
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var m = new Dictionary<string, string>
        {
            ["format"] = h.Version == 2 ? "NIfTI-2" : "NIfTI-1",
            ["byte_order"] = h.BigEndian ? "big-endian" : "little-endian",
            ["datatype"] = h.DataTypeName,
            ["geometry_source"] = source.ToString().ToLowerInvariant(),
            ["sform_code"] = h.SformCode.ToString(CultureInfo.InvariantCulture),
            ["qform_code"] = h.QformCode.ToString(CultureInfo.InvariantCulture),
            ["scl_slope"] = F(h.SclSlope),
            ["scl_inter"] = F(h.SclInter),
        };
        if (note is not null) m["geometry_note"] = note;
        if (h.Description.Length > 0) m["descrip"] = h.Description;
        if (h.IntentCode != 0) m["intent_code"] = h.IntentCode.ToString(CultureInfo.InvariantCulture);
        if (h.IntentName.Length > 0) m["intent_name"] = h.IntentName;
        return m;
    }
}
