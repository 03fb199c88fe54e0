using System.Buffers.Binary;
using System.Text;

namespace Streaming.Imaging.Formats.Nifti;

/// <summary>
/// Byte layout of the NIfTI-1 (348-byte) and NIfTI-2 (540-byte) headers, both byte orders.
/// Byte order is detected from sizeof_hdr, as the standard prescribes.
/// </summary>
internal static class NiftiHeaderCodec
{
    public const int V1Size = 348;
    public const int V2Size = 540;
    /// <summary>Header plus the 4-byte extension flag that precedes the voxels in a .nii file.</summary>
    public static int VoxOffsetFor(int version) => (version == 2 ? V2Size : V1Size) + 4;

    private static readonly byte[] V2MagicTail = [(byte)'\r', (byte)'\n', 0x1A, (byte)'\n'];

    /// <summary>Reads sizeof_hdr (the first 4 bytes) to find the version and byte order.</summary>
    public static (int Version, bool BigEndian) DetectLayout(ReadOnlySpan<byte> first4, string path)
    {
        var le = BinaryPrimitives.ReadInt32LittleEndian(first4);
        var be = BinaryPrimitives.ReadInt32BigEndian(first4);
        if (le == V1Size) return (1, false);
        if (be == V1Size) return (1, true);
        if (le == V2Size) return (2, false);
        if (be == V2Size) return (2, true);
        throw new InvalidDataException(
            $"{path}: corrupt NIfTI header: sizeof_hdr is {le} (expected 348 for NIfTI-1 or 540 for NIfTI-2, in either byte order)");
    }

    public static NiftiHeader Decode(ReadOnlySpan<byte> b, string path)
    {
        var (version, be) = DetectLayout(b, path);
        var r = new Fields(b, be);
        return version == 1 ? DecodeV1(r, path) : DecodeV2(r, b, path);
    }

    private static NiftiHeader DecodeV1(Fields r, string path)
    {
        var magic = r.Ascii(344, 4);
        var single = magic switch
        {
            "n+1" => true,
            "ni1" => false,
            _ => throw new InvalidDataException($"{path}: corrupt NIfTI-1 header: magic is '{Printable(r.Raw(344, 4))}' (expected 'n+1' or 'ni1')"),
        };
        var dim = new long[8];
        for (var i = 0; i < 8; i++) dim[i] = r.I16(40 + 2 * i);
        var pix = new double[8];
        for (var i = 0; i < 8; i++) pix[i] = r.F32(76 + 4 * i);
        return new NiftiHeader
        {
            Version = 1, BigEndian = r.BigEndian, SingleFile = single,
            DimInfo = r.U8(39), Dim = dim,
            IntentP1 = r.F32(56), IntentP2 = r.F32(60), IntentP3 = r.F32(64), IntentCode = r.I16(68),
            DataTypeCode = r.I16(70), BitPix = r.I16(72), SliceStart = r.I16(74), PixDim = pix,
            VoxOffset = VoxOffset(r.F32(108), path),
            SclSlope = r.F32(112), SclInter = r.F32(116), SliceEnd = r.I16(120), SliceCode = r.U8(122), XyztUnits = r.U8(123),
            CalMax = r.F32(124), CalMin = r.F32(128), SliceDuration = r.F32(132), TOffset = r.F32(136),
            Description = r.Ascii(148, 80), AuxFile = r.Ascii(228, 24),
            QformCode = r.I16(252), SformCode = r.I16(254),
            QuaternB = r.F32(256), QuaternC = r.F32(260), QuaternD = r.F32(264),
            QOffsetX = r.F32(268), QOffsetY = r.F32(272), QOffsetZ = r.F32(276),
            SRowX = [r.F32(280), r.F32(284), r.F32(288), r.F32(292)],
            SRowY = [r.F32(296), r.F32(300), r.F32(304), r.F32(308)],
            SRowZ = [r.F32(312), r.F32(316), r.F32(320), r.F32(324)],
            IntentName = r.Ascii(328, 16),
        };
    }

    private static NiftiHeader DecodeV2(Fields r, ReadOnlySpan<byte> b, string path)
    {
        var magic = r.Ascii(4, 4);
        var single = magic switch
        {
            "n+2" => true,
            "ni2" => false,
            _ => throw new InvalidDataException($"{path}: corrupt NIfTI-2 header: magic is '{Printable(r.Raw(4, 8))}' (expected 'n+2' or 'ni2')"),
        };
        // The 4 bytes after the magic catch text-mode transfers that mangled line ends.
        if (!b.Slice(8, 4).SequenceEqual(V2MagicTail))
            throw new InvalidDataException($"{path}: corrupt NIfTI-2 header: magic bytes 4..11 are '{Printable(r.Raw(4, 8))}' (expected 'n+2\\0\\r\\n\\x1a\\n'); the file was probably mangled by a text-mode transfer");
        var dim = new long[8];
        for (var i = 0; i < 8; i++) dim[i] = r.I64(16 + 8 * i);
        var pix = new double[8];
        for (var i = 0; i < 8; i++) pix[i] = r.F64(104 + 8 * i);
        var vox = r.I64(168);
        return new NiftiHeader
        {
            Version = 2, BigEndian = r.BigEndian, SingleFile = single,
            DataTypeCode = r.I16(12), BitPix = r.I16(14), Dim = dim,
            IntentP1 = r.F64(80), IntentP2 = r.F64(88), IntentP3 = r.F64(96), PixDim = pix,
            VoxOffset = vox >= 0 ? vox : throw new InvalidDataException($"{path}: corrupt NIfTI-2 header: negative vox_offset {vox}"),
            SclSlope = r.F64(176), SclInter = r.F64(184), CalMax = r.F64(192), CalMin = r.F64(200),
            SliceDuration = r.F64(208), TOffset = r.F64(216), SliceStart = r.I64(224), SliceEnd = r.I64(232),
            Description = r.Ascii(240, 80), AuxFile = r.Ascii(320, 24),
            QformCode = r.I32(344), SformCode = r.I32(348),
            QuaternB = r.F64(352), QuaternC = r.F64(360), QuaternD = r.F64(368),
            QOffsetX = r.F64(376), QOffsetY = r.F64(384), QOffsetZ = r.F64(392),
            SRowX = [r.F64(400), r.F64(408), r.F64(416), r.F64(424)],
            SRowY = [r.F64(432), r.F64(440), r.F64(448), r.F64(456)],
            SRowZ = [r.F64(464), r.F64(472), r.F64(480), r.F64(488)],
            SliceCode = r.I32(496), XyztUnits = r.I32(500), IntentCode = r.I32(504), IntentName = r.Ascii(508, 16),
            DimInfo = r.U8(524),
        };
    }

    private static long VoxOffset(double v, string path)
    {
        // NIfTI-1 stores vox_offset as a float; it must be a whole, non-negative byte count.
        if (!double.IsFinite(v) || v < 0 || v != Math.Floor(v) || v > int.MaxValue)
            throw new InvalidDataException($"{path}: corrupt NIfTI-1 header: vox_offset {v} is not a non-negative whole number of bytes");
        return (long)v;
    }

    /// <summary>Header bytes followed by the 4-byte extension flag (all zero: no extensions).</summary>
    public static byte[] Encode(NiftiHeader h)
    {
        var size = h.Version == 2 ? V2Size : V1Size;
        var b = new byte[size + 4];
        var w = new Fields(b, h.BigEndian);
        if (h.Version == 1) EncodeV1(h, w); else EncodeV2(h, w);
        return b;
    }

    private static void EncodeV1(NiftiHeader h, Fields w)
    {
        w.PutI32(0, V1Size);
        w.PutU8(38, (byte)'r'); // "regular", as ANALYZE readers expect
        w.PutU8(39, (byte)h.DimInfo);
        for (var i = 0; i < 8; i++) w.PutI16(40 + 2 * i, checked((short)h.Dim[i]));
        w.PutF32(56, h.IntentP1); w.PutF32(60, h.IntentP2); w.PutF32(64, h.IntentP3); w.PutI16(68, (short)h.IntentCode);
        w.PutI16(70, (short)h.DataTypeCode); w.PutI16(72, (short)h.BitPix); w.PutI16(74, (short)h.SliceStart);
        for (var i = 0; i < 8; i++) w.PutF32(76 + 4 * i, h.PixDim[i]);
        w.PutF32(108, h.VoxOffset); w.PutF32(112, h.SclSlope); w.PutF32(116, h.SclInter);
        w.PutI16(120, (short)h.SliceEnd); w.PutU8(122, (byte)h.SliceCode); w.PutU8(123, (byte)h.XyztUnits);
        w.PutF32(124, h.CalMax); w.PutF32(128, h.CalMin); w.PutF32(132, h.SliceDuration); w.PutF32(136, h.TOffset);
        w.PutAscii(148, 80, h.Description); w.PutAscii(228, 24, h.AuxFile);
        w.PutI16(252, (short)h.QformCode); w.PutI16(254, (short)h.SformCode);
        w.PutF32(256, h.QuaternB); w.PutF32(260, h.QuaternC); w.PutF32(264, h.QuaternD);
        w.PutF32(268, h.QOffsetX); w.PutF32(272, h.QOffsetY); w.PutF32(276, h.QOffsetZ);
        for (var i = 0; i < 4; i++) { w.PutF32(280 + 4 * i, h.SRowX[i]); w.PutF32(296 + 4 * i, h.SRowY[i]); w.PutF32(312 + 4 * i, h.SRowZ[i]); }
        w.PutAscii(328, 16, h.IntentName);
        w.PutAscii(344, 4, h.SingleFile ? "n+1" : "ni1");
    }

    private static void EncodeV2(NiftiHeader h, Fields w)
    {
        w.PutI32(0, V2Size);
        w.PutAscii(4, 4, h.SingleFile ? "n+2" : "ni2");
        for (var i = 0; i < 4; i++) w.PutU8(8 + i, V2MagicTail[i]);
        w.PutI16(12, (short)h.DataTypeCode); w.PutI16(14, (short)h.BitPix);
        for (var i = 0; i < 8; i++) w.PutI64(16 + 8 * i, h.Dim[i]);
        w.PutF64(80, h.IntentP1); w.PutF64(88, h.IntentP2); w.PutF64(96, h.IntentP3);
        for (var i = 0; i < 8; i++) w.PutF64(104 + 8 * i, h.PixDim[i]);
        w.PutI64(168, h.VoxOffset); w.PutF64(176, h.SclSlope); w.PutF64(184, h.SclInter);
        w.PutF64(192, h.CalMax); w.PutF64(200, h.CalMin); w.PutF64(208, h.SliceDuration); w.PutF64(216, h.TOffset);
        w.PutI64(224, h.SliceStart); w.PutI64(232, h.SliceEnd);
        w.PutAscii(240, 80, h.Description); w.PutAscii(320, 24, h.AuxFile);
        w.PutI32(344, h.QformCode); w.PutI32(348, h.SformCode);
        w.PutF64(352, h.QuaternB); w.PutF64(360, h.QuaternC); w.PutF64(368, h.QuaternD);
        w.PutF64(376, h.QOffsetX); w.PutF64(384, h.QOffsetY); w.PutF64(392, h.QOffsetZ);
        for (var i = 0; i < 4; i++) { w.PutF64(400 + 8 * i, h.SRowX[i]); w.PutF64(432 + 8 * i, h.SRowY[i]); w.PutF64(464 + 8 * i, h.SRowZ[i]); }
        w.PutI32(496, h.SliceCode); w.PutI32(500, h.XyztUnits); w.PutI32(504, h.IntentCode); w.PutAscii(508, 16, h.IntentName);
        w.PutU8(524, (byte)h.DimInfo);
    }

    private static string Printable(ReadOnlySpan<byte> raw)
    {
        var sb = new StringBuilder();
        foreach (var c in raw) sb.Append(c is >= 0x20 and < 0x7F ? ((char)c).ToString() : $"\\x{c:x2}");
        return sb.ToString();
    }

    /// <summary>Endian-aware access to fixed header offsets (reads from a span or writes into an array).</summary>
    private readonly ref struct Fields
    {
        private readonly ReadOnlySpan<byte> _b;
        private readonly byte[]? _w;
        public bool BigEndian { get; }

        public Fields(ReadOnlySpan<byte> read, bool bigEndian) { _b = read; BigEndian = bigEndian; }
        public Fields(byte[] write, bool bigEndian) { _b = write; _w = write; BigEndian = bigEndian; }

        public ReadOnlySpan<byte> Raw(int o, int n) => _b.Slice(o, n);
        public byte U8(int o) => _b[o];
        public short I16(int o) => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(_b[o..]) : BinaryPrimitives.ReadInt16LittleEndian(_b[o..]);
        public int I32(int o) => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(_b[o..]) : BinaryPrimitives.ReadInt32LittleEndian(_b[o..]);
        public long I64(int o) => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(_b[o..]) : BinaryPrimitives.ReadInt64LittleEndian(_b[o..]);
        public double F32(int o) => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(_b[o..]) : BinaryPrimitives.ReadSingleLittleEndian(_b[o..]);
        public double F64(int o) => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(_b[o..]) : BinaryPrimitives.ReadDoubleLittleEndian(_b[o..]);

        /// <summary>A NUL-terminated ASCII field (bytes after the first NUL are ignored, as C readers do).</summary>
        public string Ascii(int o, int n)
        {
            var s = _b.Slice(o, n);
            var end = s.IndexOf((byte)0);
            return Encoding.Latin1.GetString(end < 0 ? s : s[..end]);
        }

        private Span<byte> W(int o) => _w.AsSpan(o);
        public void PutU8(int o, byte v) => _w![o] = v;
        public void PutI16(int o, short v) { if (BigEndian) BinaryPrimitives.WriteInt16BigEndian(W(o), v); else BinaryPrimitives.WriteInt16LittleEndian(W(o), v); }
        public void PutI32(int o, int v) { if (BigEndian) BinaryPrimitives.WriteInt32BigEndian(W(o), v); else BinaryPrimitives.WriteInt32LittleEndian(W(o), v); }
        public void PutI64(int o, long v) { if (BigEndian) BinaryPrimitives.WriteInt64BigEndian(W(o), v); else BinaryPrimitives.WriteInt64LittleEndian(W(o), v); }
        public void PutF32(int o, double v) { if (BigEndian) BinaryPrimitives.WriteSingleBigEndian(W(o), (float)v); else BinaryPrimitives.WriteSingleLittleEndian(W(o), (float)v); }
        public void PutF64(int o, double v) { if (BigEndian) BinaryPrimitives.WriteDoubleBigEndian(W(o), v); else BinaryPrimitives.WriteDoubleLittleEndian(W(o), v); }

        /// <summary>ASCII, truncated so a terminating NUL always fits.</summary>
        public void PutAscii(int o, int n, string s)
        {
            var len = Math.Min(s.Length, n - 1);
            for (var i = 0; i < len; i++) _w![o + i] = s[i] is >= ' ' and <= '~' ? (byte)s[i] : (byte)'?';
        }
    }
}
