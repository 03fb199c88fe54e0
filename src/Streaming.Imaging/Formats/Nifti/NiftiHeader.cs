using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Nifti;

/// <summary>
/// A parsed NIfTI-1 or NIfTI-2 header, with NIfTI-2 widths (int64 dims, double floats) for both versions.
/// Values are as stored: no geometry is derived here (see <see cref="NiftiGeometry"/>).
/// </summary>
public sealed record NiftiHeader
{
    /// <summary>1 (348-byte header) or 2 (540-byte header).</summary>
    public int Version { get; init; } = 1;
    public bool BigEndian { get; init; }
    /// <summary>True for single-file .nii (magic n+1 / n+2); false for a .hdr/.img pair (ni1 / ni2).</summary>
    public bool SingleFile { get; init; } = true;

    /// <summary>dim[0..7]: dim[0] is the number of dimensions, dim[1..] the sizes.</summary>
    public IReadOnlyList<long> Dim { get; init; } = [3, 1, 1, 1, 1, 1, 1, 1];
    /// <summary>The raw datatype code (may be one this project cannot read; see <see cref="NiftiDataTypes"/>).</summary>
    public int DataTypeCode { get; init; } = (int)NiftiDataType.Int16;
    public int BitPix { get; init; } = 16;
    /// <summary>pixdim[0] is qfac (±1), pixdim[1..3] the voxel sizes.</summary>
    public IReadOnlyList<double> PixDim { get; init; } = [1, 1, 1, 1, 1, 1, 1, 1];
    public long VoxOffset { get; init; } = 352;
    public double SclSlope { get; init; } = 1;
    public double SclInter { get; init; }
    public double CalMin { get; init; }
    public double CalMax { get; init; }
    public double SliceDuration { get; init; }
    public double TOffset { get; init; }
    public long SliceStart { get; init; }
    public long SliceEnd { get; init; }
    public int SliceCode { get; init; }
    public int DimInfo { get; init; }
    public int XyztUnits { get; init; }

    public int QformCode { get; init; }
    public int SformCode { get; init; }
    public double QuaternB { get; init; }
    public double QuaternC { get; init; }
    public double QuaternD { get; init; }
    public double QOffsetX { get; init; }
    public double QOffsetY { get; init; }
    public double QOffsetZ { get; init; }
    public IReadOnlyList<double> SRowX { get; init; } = [0, 0, 0, 0];
    public IReadOnlyList<double> SRowY { get; init; } = [0, 0, 0, 0];
    public IReadOnlyList<double> SRowZ { get; init; } = [0, 0, 0, 0];

    public int IntentCode { get; init; }
    public string IntentName { get; init; } = "";
    public double IntentP1 { get; init; }
    public double IntentP2 { get; init; }
    public double IntentP3 { get; init; }
    public string Description { get; init; } = "";
    public string AuxFile { get; init; } = "";

    /// <summary>Size of the fixed header in bytes: 348 or 540.</summary>
    public int HeaderSize => Version == 2 ? 540 : 348;

    /// <summary>Number of dimensions in use, dim[0] (1..7 in a valid header).</summary>
    public int Rank => (int)Dim[0];

    /// <summary>Size along axis a (1-based, as in dim[a]); 1 beyond dim[0].</summary>
    public long Size(int axis) => axis <= Rank ? Dim[axis] : 1;

    /// <summary>The spatial grid (dims 1..3; an axis beyond dim[0] has size 1).</summary>
    public Int3 Shape => new((int)Size(1), (int)Size(2), (int)Size(3));

    /// <summary>Number of 3D volumes: the product of dims 4..7 (1 for a 3D image).</summary>
    public long Frames
    {
        get { long n = 1; for (var a = 4; a <= 7; a++) n *= Size(a); return n; }
    }

    /// <summary>
    /// True when the stored values must be mapped by slope and intercept: NIfTI says a slope of 0 (or NaN)
    /// means "no scaling", whatever the intercept.
    /// </summary>
    public bool HasScaling => SclSlope != 0 && double.IsFinite(SclSlope) && (SclSlope != 1 || (SclInter != 0 && double.IsFinite(SclInter)));

    /// <summary>The slope and intercept to apply (identity when the header says "no scaling").</summary>
    public (double Slope, double Inter) EffectiveScaling =>
        SclSlope == 0 || !double.IsFinite(SclSlope) ? (1, 0) : (SclSlope, double.IsFinite(SclInter) ? SclInter : 0);

    public string DataTypeName => NiftiDataTypes.Name(DataTypeCode);
}
