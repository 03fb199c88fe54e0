using Streaming.Imaging.Files;

namespace Streaming.Imaging.Formats.Dicom.Isolation;

/// <summary>
/// The loop of the worker process (src/Streaming.DicomWorker): reads requests from stdin, runs them through GDCM in
/// its own process and streams replies to stdout. It keeps no state between requests, so a fresh worker can take over
/// any request after a crash. <c>--probe header|decode FILE</c> runs one call in-process and prints the outcome (tests
/// use it to prove that a crafted file really aborts GDCM).
/// </summary>
public static class GdcmWorkerHost
{
    public static int Main(string[] args)
    {
        GdcmNativeResolver.EnsureRegistered();
        if (args is ["--probe", var what, var file]) return Probe(what, file);
        using var input = new BinaryReader(new BufferedStream(Console.OpenStandardInput(), 1 << 16));
        using var output = new BinaryWriter(new BufferedStream(Console.OpenStandardOutput(), 1 << 20));
        Serve(input, output);
        return 0;
    }

    internal static void Serve(BinaryReader input, BinaryWriter output)
    {
        while (GdcmWire.TryReadRequest(input, out var op, out var paths))
        {
            for (var i = 0; i < paths.Length; i++)
            {
                output.Write(GdcmWire.Start); output.Write(i); output.Flush();
                if (op == GdcmWire.OpHeaders)
                {
                    var path = paths[i];
                    var h = RawPath.WithOpenablePath(path, p => InProcessGdcm.ReadHeader(p) is var r && p != path ? r with { Error = r.Error?.Replace(p, RawPath.Display(path), StringComparison.Ordinal) } : r);
                    if (h.Header is { } header) { output.Write(GdcmWire.Header); output.Write(i); output.Write(GdcmWire.HeaderJson(header with { Path = paths[i] })); }
                    else { output.Write(GdcmWire.Error); output.Write(i); output.Write(h.Error ?? "unreadable"); }
                }
                else
                {
                    try
                    {
                        var px = RawPath.WithOpenablePath(paths[i], GdcmPixelDecoder.Decode);
                        output.Write(GdcmWire.Pixels); output.Write(i); GdcmWire.WritePixels(output, px);
                    }
                    catch (Exception e) // anything managed is this file's error; only native crashes end the worker

                    {
                        output.Write(GdcmWire.Error); output.Write(i); output.Write(e.Message);
                        break;
                    }
                }
            }
            output.Write(GdcmWire.Done); output.Flush();
        }
    }

    private static int Probe(string what, string file)
    {
        try
        {
            if (what == "raw")
            {
                // GDCM alone, without the structure pre-check that header and decode run first.
                using var reader = new gdcm.ImageReader();
                reader.SetFileName(file);
                Console.WriteLine(reader.Read() ? "ok: GDCM read the image" : "error: GDCM could not read the image");
                return 0;
            }
            if (what == "header")
            {
                var h = InProcessGdcm.ReadHeader(file);
                Console.WriteLine(h.Ok ? $"ok: {h.Header!.Columns}x{h.Header.Rows}, BitsAllocated {h.Header.BitsAllocated}" : $"error: {h.Error}");
                return h.Ok ? 0 : 1;
            }
            var px = GdcmPixelDecoder.Decode(file);
            Console.WriteLine($"ok: {px.Columns}x{px.Rows}x{px.Frames} {px.PixelFormat}");
            return 0;
        }
        catch (InvalidDataException e)
        {
            Console.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
