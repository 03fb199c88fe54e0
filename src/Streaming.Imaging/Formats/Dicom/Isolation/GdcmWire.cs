using System.Runtime.InteropServices;
using System.Text.Json;
using Streaming.Imaging.Files;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom.Isolation;

/// <summary>
/// The pipe protocol between ingest and the GDCM worker host, little-endian binary.
/// Request: op (byte), file count (int32), each path as length-prefixed raw bytes (see <see cref="RawPath"/>).
/// Replies, streamed per file: Start(index) before GDCM touches the file (so a crash names it), then Header(index, json),
/// Pixels(index, binary) or Error(index, message); Done ends the batch. A decode batch stops at its first error.
/// </summary>
internal static class GdcmWire
{
    public const byte OpHeaders = 1, OpDecode = 2;
    public const byte Start = 1, Header = 2, Error = 3, Pixels = 4, Done = 5;

    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    public static void WriteRequest(BinaryWriter w, byte op, IReadOnlyList<string> paths)
    {
        w.Write(op);
        w.Write(paths.Count);
        foreach (var p in paths)
        {
            var bytes = RawPath.ToBytes(p);
            w.Write(bytes.Length);
            w.Write(bytes);
        }
        w.Flush();
    }

    /// <summary>Reads a request; false at a clean end of input (the parent closed the pipe).</summary>
    public static bool TryReadRequest(BinaryReader r, out byte op, out string[] paths)
    {
        paths = [];
        var first = r.BaseStream.ReadByte();
        op = (byte)Math.Max(0, first);
        if (first < 0) return false;
        var n = r.ReadInt32();
        paths = new string[n];
        for (var i = 0; i < n; i++) paths[i] = RawPath.FromBytes(r.ReadBytes(r.ReadInt32()));
        return true;
    }

    public static string HeaderJson(DicomHeader h) => JsonSerializer.Serialize(h, Json);
    public static DicomHeader ParseHeader(string json) => JsonSerializer.Deserialize<DicomHeader>(json, Json) ?? throw new InvalidDataException("empty header from the DICOM worker");

    public static void WritePixels(BinaryWriter w, DecodedPixels p)
    {
        w.Write(p.Columns); w.Write(p.Rows); w.Write(p.Frames);
        Write(w, p.Origin); Write(w, p.RowCosine); Write(w, p.ColumnCosine); Write(w, p.Spacing);
        w.Write(p.GdcmSlope); w.Write(p.GdcmIntercept); w.Write(p.PixelFormat); w.Write(p.Lossy);
        w.Write(p.FramePositions?.Length ?? -1);
        foreach (var v in p.FramePositions ?? []) Write(w, v);
        w.Write(p.FrameRescale?.Length ?? -1);
        foreach (var (s, i) in p.FrameRescale ?? []) { w.Write(s); w.Write(i); }
        w.Write(p.Stored.Length);
        w.Write(MemoryMarshal.AsBytes(p.Stored.AsSpan()));
    }

    public static DecodedPixels ReadPixels(BinaryReader r)
    {
        int cols = r.ReadInt32(), rows = r.ReadInt32(), frames = r.ReadInt32();
        Vec3 o = V(r), rc = V(r), cc = V(r), sp = V(r);
        double slope = r.ReadDouble(), intercept = r.ReadDouble();
        var format = r.ReadString(); var lossy = r.ReadBoolean();
        var np = r.ReadInt32();
        Vec3[]? positions = np < 0 ? null : Enumerable.Range(0, np).Select(_ => V(r)).ToArray();
        var nr = r.ReadInt32();
        (double, double)[]? rescale = nr < 0 ? null : Enumerable.Range(0, nr).Select(_ => (r.ReadDouble(), r.ReadDouble())).ToArray();
        var stored = new float[r.ReadInt32()];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(stored.AsSpan()));
        return new DecodedPixels(cols, rows, frames, stored, o, rc, cc, sp, slope, intercept, format, lossy, positions, rescale);
    }

    private static void Write(BinaryWriter w, Vec3 v) { w.Write(v.X); w.Write(v.Y); w.Write(v.Z); }
    private static Vec3 V(BinaryReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
}
