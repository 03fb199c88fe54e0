namespace Streaming.Imaging.Formats.Nifti;

/// <summary>The NIfTI datatype codes this project reads and writes (values are the codes in the header).</summary>
public enum NiftiDataType
{
    UInt8 = 2,
    Int16 = 4,
    Int32 = 8,
    Float32 = 16,
    Float64 = 64,
    Int8 = 256,
    UInt16 = 512,
    UInt32 = 768,
    Int64 = 1024,
}

/// <summary>Facts about datatype codes, including the ones we do not support (for error messages).</summary>
public static class NiftiDataTypes
{
    public static bool IsSupported(int code) => Enum.IsDefined(typeof(NiftiDataType), code);

    public static int BytesPerVoxel(NiftiDataType t) => t switch
    {
        NiftiDataType.UInt8 or NiftiDataType.Int8 => 1,
        NiftiDataType.Int16 or NiftiDataType.UInt16 => 2,
        NiftiDataType.Int32 or NiftiDataType.UInt32 or NiftiDataType.Float32 => 4,
        NiftiDataType.Int64 or NiftiDataType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "unsupported NIfTI datatype"),
    };

    public static bool IsInteger(NiftiDataType t) => t is not (NiftiDataType.Float32 or NiftiDataType.Float64);

    /// <summary>The standard name of any NIfTI datatype code (nifti1.h), so errors can say what a file holds.</summary>
    public static string Name(int code) => code switch
    {
        0 => "UNKNOWN",
        1 => "BINARY",
        2 => "UINT8",
        4 => "INT16",
        8 => "INT32",
        16 => "FLOAT32",
        32 => "COMPLEX64",
        64 => "FLOAT64",
        128 => "RGB24",
        256 => "INT8",
        512 => "UINT16",
        768 => "UINT32",
        1024 => "INT64",
        1280 => "UINT64",
        1536 => "FLOAT128",
        1792 => "COMPLEX128",
        2048 => "COMPLEX256",
        2304 => "RGBA32",
        _ => "unknown code",
    };

    /// <summary>The NIfTI datatype that stores CLR type <typeparamref name="T"/> without conversion, if any.</summary>
    public static NiftiDataType? ForClrType<T>() where T : unmanaged =>
        typeof(T) == typeof(byte) ? NiftiDataType.UInt8
        : typeof(T) == typeof(sbyte) ? NiftiDataType.Int8
        : typeof(T) == typeof(short) ? NiftiDataType.Int16
        : typeof(T) == typeof(ushort) ? NiftiDataType.UInt16
        : typeof(T) == typeof(int) ? NiftiDataType.Int32
        : typeof(T) == typeof(uint) ? NiftiDataType.UInt32
        : typeof(T) == typeof(long) ? NiftiDataType.Int64
        : typeof(T) == typeof(float) ? NiftiDataType.Float32
        : typeof(T) == typeof(double) ? NiftiDataType.Float64
        : null;
}
