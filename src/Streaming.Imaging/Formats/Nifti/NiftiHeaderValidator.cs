namespace Streaming.Imaging.Formats.Nifti;

/// <summary>Checks that a header describes a single 3D volume this reader can decode; every failure names the file.</summary>
internal static class NiftiHeaderValidator
{
    public static NiftiDataType CheckReadable(NiftiHeader h, string path)
    {
        if (h.Rank is < 1 or > 7)
            throw new InvalidDataException($"{path}: corrupt header: dim[0] = {h.Rank} (must be 1..7)");
        for (var a = 1; a <= h.Rank; a++)
            if (h.Dim[a] < 1 || h.Dim[a] > int.MaxValue)
                throw new InvalidDataException($"{path}: corrupt header: dim[{a}] = {h.Dim[a]} (must be >= 1)");
        if (h.Frames > 1)
            // Silently taking the first frame of a 4D series (fMRI, DCE, multi-echo) would train on the wrong
            // image without anyone noticing; the user must choose the frame (e.g. fslroi / nibabel slicing).
            throw new InvalidDataException(
                $"{path}: 4D image with {h.Frames} volumes (dim = [{string.Join(", ", h.Dim)}]); only 3D volumes are supported — extract the volume you want first");
        if (!NiftiDataTypes.IsSupported(h.DataTypeCode))
            throw new InvalidDataException(
                $"{path}: unsupported datatype {h.DataTypeCode} ({h.DataTypeName}); supported: uint8, int8, int16, uint16, int32, uint32, int64, float32, float64");
        var type = (NiftiDataType)h.DataTypeCode;
        var bits = NiftiDataTypes.BytesPerVoxel(type) * 8;
        if (h.BitPix != bits)
            throw new InvalidDataException($"{path}: corrupt header: bitpix {h.BitPix} does not match datatype {h.DataTypeName} ({bits} bits)");
        var bytes = h.Shape.Volume * (bits / 8);
        if (bytes > Array.MaxLength)
            throw new InvalidDataException($"{path}: volume {h.Shape} {h.DataTypeName} needs {bytes} bytes, more than one .NET array can hold");
        return type;
    }
}
