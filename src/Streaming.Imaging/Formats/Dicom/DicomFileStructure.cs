using System.Buffers.Binary;
using System.Text;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Walks a file's element structure (headers and lengths only, values are skipped by seeking) before GDCM sees it.
/// Debian's GDCM is built with assertions: a file cut inside its meta header or data set aborts the whole process,
/// and a file cut inside native pixel data is read as if the missing bytes were zeros. So every declared length must
/// fit in the file, sequences and encapsulated fragments must reach their delimiters, and anything that is not DICOM
/// is refused here with a reason. Where the encoding cannot be followed (deflated data sets, VR bytes that are not
/// letters, as in some vendors' mixed-encoding sequences) the walk stops and leaves the rest to GDCM.
/// </summary>
internal static class DicomFileStructure
{
    private const int MaxDepth = 32;
    private const string ImplicitLittleEndian = "1.2.840.10008.1.2", ExplicitBigEndian = "1.2.840.10008.1.2.2";
    private const string DeflatedLittleEndian = "1.2.840.10008.1.2.1.99";

    public static void EnsureWellFormed(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
        var walker = new Walker(stream, path);
        walker.Run();
    }

    private sealed class Walker(FileStream s, string path)
    {
        private readonly byte[] _b = new byte[12];
        private readonly long _length = s.Length;

        /// <summary>Thrown to stop the walk where the encoding cannot be followed; GDCM gets the final word.</summary>
        private sealed class Unverifiable : Exception;

        public void Run()
        {
            try
            {
                var transferSyntax = ReadPreambleAndMeta();
                if (transferSyntax == DeflatedLittleEndian) return;
                var implicitVr = transferSyntax == ImplicitLittleEndian;
                var bigEndian = transferSyntax == ExplicitBigEndian;
                if (s.Position >= _length) throw Bad("nothing follows the meta header (no data set)");
                while (s.Position < _length)
                    Element(implicitVr, bigEndian, depth: 0, stopAtItemEnd: false);
            }
            catch (Unverifiable) { }
        }

        /// <summary>Reads the 128-byte preamble, "DICM" and the group-2 meta elements; returns the transfer syntax UID.</summary>
        private string ReadPreambleAndMeta()
        {
            if (_length >= 132)
            {
                s.Position = 128;
                Fill(4, "the DICM prefix");
                if (Encoding.ASCII.GetString(_b, 0, 4) == "DICM") return ReadMeta();
            }
            // No preamble: a bare data set (old ACR-NEMA style). Accept it only when it starts like one.
            if (_length < 8) throw Bad("too short to be DICOM");
            s.Position = 0;
            Fill(8, "the first element");
            var group = BinaryPrimitives.ReadUInt16LittleEndian(_b);
            if (group is not (0x0002 or 0x0008)) throw Bad("no DICM prefix at byte 128 and no DICOM data set at the start");
            s.Position = 0;
            return IsVr(_b[4], _b[5]) ? "1.2.840.10008.1.2.1" : ImplicitLittleEndian;
        }

        private string ReadMeta()
        {
            var ts = "1.2.840.10008.1.2.1";
            while (true)
            {
                var start = s.Position;
                if (start == _length) return ts;
                if (start + 8 > _length) throw Truncated("a meta header element", start + 8);
                Fill(6, "a meta header element");
                if (BinaryPrimitives.ReadUInt16LittleEndian(_b) != 0x0002) { s.Position = start; return ts; }
                var element = BinaryPrimitives.ReadUInt16LittleEndian(_b.AsSpan(2));
                if (!IsVr(_b[4], _b[5])) throw Bad($"meta header element (0002,{element:X4}) at byte {start} has no VR");
                long length;
                if (LongVr(_b[4], _b[5])) { Fill(6, "a meta header length"); length = BinaryPrimitives.ReadUInt32LittleEndian(_b.AsSpan(2)); }
                else { Fill(2, "a meta header length"); length = BinaryPrimitives.ReadUInt16LittleEndian(_b); }
                if (length == 0xFFFFFFFF) throw Bad($"meta header element (0002,{element:X4}) has undefined length");
                Need(s.Position + length, $"meta header element (0002,{element:X4}) at byte {start}");
                if (element == 0x0010)
                {
                    var v = new byte[length];
                    s.ReadExactly(v);
                    ts = Encoding.ASCII.GetString(v).Trim(' ', '\0');
                }
                else s.Position += length;
            }
        }

        /// <summary>Walks one element; returns false at an item delimiter when stopAtItemEnd.</summary>
        private bool Element(bool implicitVr, bool bigEndian, int depth, bool stopAtItemEnd)
        {
            if (depth > MaxDepth) throw new Unverifiable();
            var start = s.Position;
            Fill(4, "an element tag");
            var group = U16(0, bigEndian); var element = U16(2, bigEndian);
            var name = $"element ({group:X4},{element:X4}) at byte {start}";
            if (group == 0xFFFE)
            {
                Fill(4, name);
                if (element == 0xE00D && stopAtItemEnd) return false;
                throw new Unverifiable(); // a stray delimiter: let GDCM judge
            }
            long length; string vr;
            if (implicitVr)
            {
                Fill(4, name);
                length = U32(0, bigEndian);
                vr = "";
            }
            else
            {
                Fill(2, name);
                if (!IsVr(_b[0], _b[1])) throw new Unverifiable();
                vr = Encoding.ASCII.GetString(_b, 0, 2);
                if (LongVr(_b[0], _b[1])) { Fill(6, name); length = U32(2, bigEndian); }
                else { Fill(2, name); length = U16(0, bigEndian); }
            }

            if (length != 0xFFFFFFFF)
            {
                Need(s.Position + length, name);
                s.Position += length;
                return true;
            }
            if (group == 0x7FE0 && element == 0x0010)
            {
                Fragments(name);
                return true;
            }
            // Undefined length: a sequence (SQ, UN, or any element of an implicit-VR data set). UN content is implicit LE.
            if (!implicitVr && vr is not ("SQ" or "UN")) throw Bad($"{name} has undefined length but VR {vr}");
            var itemsImplicit = implicitVr || vr == "UN";
            Sequence(itemsImplicit, itemsImplicit ? false : bigEndian, depth + 1, name);
            return true;
        }

        private void Sequence(bool implicitVr, bool bigEndian, int depth, string name)
        {
            while (true)
            {
                var at = s.Position;
                Fill(8, $"an item of {name}");
                var group = U16(0, bigEndian); var element = U16(2, bigEndian); var length = U32(4, bigEndian);
                if (group != 0xFFFE) throw new Unverifiable();
                if (element == 0xE0DD) return;
                if (element != 0xE000) throw new Unverifiable();
                if (length != 0xFFFFFFFF)
                {
                    Need(s.Position + length, $"item at byte {at} of {name}");
                    s.Position += length;
                    continue;
                }
                while (Element(implicitVr, bigEndian, depth, stopAtItemEnd: true)) { }
            }
        }

        /// <summary>Encapsulated pixel data: items of defined length up to the sequence delimiter (always little endian).</summary>
        private void Fragments(string name)
        {
            while (true)
            {
                var at = s.Position;
                Fill(8, $"a pixel data fragment of {name}");
                var group = BinaryPrimitives.ReadUInt16LittleEndian(_b); var element = BinaryPrimitives.ReadUInt16LittleEndian(_b.AsSpan(2));
                var length = BinaryPrimitives.ReadUInt32LittleEndian(_b.AsSpan(4));
                if (group != 0xFFFE || element is not (0xE000 or 0xE0DD)) throw Bad($"pixel data fragment at byte {at} has tag ({group:X4},{element:X4})");
                if (element == 0xE0DD) return;
                Need(s.Position + length, $"pixel data fragment at byte {at}");
                s.Position += length;
            }
        }

        private void Fill(int n, string what)
        {
            if (s.Position + n > _length) throw Truncated(what, s.Position + n);
            s.ReadExactly(_b, 0, n);
        }

        private void Need(long end, string what)
        {
            if (end > _length) throw Truncated(what, end);
        }

        private ushort U16(int at, bool be) => be ? BinaryPrimitives.ReadUInt16BigEndian(_b.AsSpan(at)) : BinaryPrimitives.ReadUInt16LittleEndian(_b.AsSpan(at));
        private uint U32(int at, bool be) => be ? BinaryPrimitives.ReadUInt32BigEndian(_b.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(_b.AsSpan(at));

        private InvalidDataException Truncated(string what, long end) =>
            new($"{path}: file is truncated: {what} runs to byte {end} but the file has {_length} bytes");

        private InvalidDataException Bad(string why) => new($"{path}: not a readable DICOM file: {why}");
    }

    private static bool IsVr(byte a, byte b) => a is >= (byte)'A' and <= (byte)'Z' && b is >= (byte)'A' and <= (byte)'Z';

    private static bool LongVr(byte a, byte b) => Encoding.ASCII.GetString([a, b]) is
        "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "UC" or "UR" or "UT" or "UN" or "SV" or "UV";
}
