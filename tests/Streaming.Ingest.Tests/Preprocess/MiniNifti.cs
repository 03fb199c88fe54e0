using System.Buffers.Binary;
using System.IO.Compression;
using Streaming.Ingest.Volumes;

namespace Streaming.Ingest.Tests.Preprocess;

/// <summary>
/// Test-only NIfTI-1 loader for the shared sample files (gzip, int16/uint8, sform, little-endian), so preprocessing
/// can be checked on real scans without depending on the production reader, which lives in another component.
/// </summary>
internal static class MiniNifti
{
    public static Volume<float> Read(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        var bytes = ms.ToArray();
        var b = bytes.AsSpan();
        short I16(int o) => BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(o));
        float F32(int o) => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(o));
        if (BinaryPrimitives.ReadInt32LittleEndian(b) != 348) throw new InvalidDataException($"{path}: not little-endian NIfTI-1");
        var shape = new Int3(I16(42), I16(44), I16(46));
        var datatype = I16(70);
        var voxOffset = (int)F32(108);
        float slope = F32(112), inter = F32(116);
        if (slope == 0) slope = 1;
        if (I16(254) <= 0) throw new InvalidDataException($"{path}: no sform");
        // sform rows map (i, j, k, 1) to RAS; LPS negates the first two rows.
        var row = new double[3][];
        for (var r = 0; r < 3; r++) row[r] = [F32(280 + 16 * r), F32(284 + 16 * r), F32(288 + 16 * r), F32(292 + 16 * r)];
        var sign = new[] { -1.0, -1.0, 1.0 };
        var cols = new Vec3[3];
        var spacing = new double[3];
        for (var c = 0; c < 3; c++)
        {
            var v = new Vec3(sign[0] * row[0][c], sign[1] * row[1][c], sign[2] * row[2][c]);
            spacing[c] = v.Norm;
            cols[c] = v * (1 / v.Norm);
        }
        var g = new VolumeGeometry(shape, Vec3.FromArray(spacing), new Vec3(-row[0][3], -row[1][3], row[2][3]),
            Mat3.FromColumns(cols[0], cols[1], cols[2]));
        var data = new float[shape.Volume];
        var px = b[voxOffset..];
        for (var i = 0; i < data.Length; i++)
            data[i] = slope * datatype switch
            {
                4 => BinaryPrimitives.ReadInt16LittleEndian(px[(2 * i)..]),
                2 => px[i],
                _ => throw new InvalidDataException($"{path}: datatype {datatype} not supported by this test loader"),
            } + inter;
        return new Volume<float>(g, data);
    }

    public static Volume<byte> ReadLabels(string path)
    {
        var v = Read(path);
        return new Volume<byte>(v.Geometry, Array.ConvertAll(v.Data, f => checked((byte)f)));
    }
}
