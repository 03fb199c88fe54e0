using System.IO.Compression;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Tests.Formats.Nifti;

/// <summary>Writes NIfTI files with hand-made headers, and byte-level copies of real files for corruption tests.</summary>
internal static class NiftiTestFiles
{
    /// <summary>A header as the writer would make it for <paramref name="g"/>, for tests to alter with `with`.</summary>
    public static NiftiHeader HeaderFor(VolumeGeometry g, NiftiWriteOptions? o = null) => NiftiWriter.BuildHeader(g, o ?? new NiftiWriteOptions());

    /// <summary>Writes <paramref name="header"/> and the voxels exactly as given (no slope/inter applied).</summary>
    public static void Write<T>(string path, NiftiHeader header, T[] voxels) where T : unmanaged =>
        NiftiWriter.WriteAtomically<T>(path, header, voxels, 1, 0, 1);

    /// <summary>The decompressed bytes of a (possibly gzipped) file.</summary>
    public static byte[] Decompressed(string path)
    {
        using var fs = File.OpenRead(path);
        using var gz = new GZipStream(fs, CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }

    public static void WriteGzip(string path, byte[] bytes)
    {
        using var fs = File.Create(path);
        using var gz = new GZipStream(fs, CompressionLevel.Fastest);
        gz.Write(bytes);
    }

    public static byte[] Encode(NiftiHeader h) => NiftiHeaderCodec.Encode(h);
}
