using System.Runtime.InteropServices;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Nifti;

/// <summary>
/// Voxels exactly as stored (this machine's byte order, no scaling) with the header and the derived LPS geometry:
/// what <see cref="NiftiReader.ReadRaw"/> returns, the "read and decompress only" cost of a file.
/// </summary>
public sealed record NiftiRawImage(string Path, NiftiHeader Header, NiftiDataType DataType, VolumeGeometry Geometry,
    NiftiGeometrySource GeometrySource, byte[] Bytes)
{
    /// <summary>The voxels as their stored type; T must have the datatype's size (e.g. short for Int16).</summary>
    public ReadOnlySpan<T> Voxels<T>() where T : unmanaged
    {
        if (Marshal.SizeOf<T>() != NiftiDataTypes.BytesPerVoxel(DataType))
            throw new InvalidOperationException($"{typeof(T).Name} does not match datatype {DataType}");
        return MemoryMarshal.Cast<byte, T>(Bytes);
    }
}
