namespace Streaming.Imaging.Formats.Dicom;

/// <summary>What to do with a DICOM stack that is not a regular grid (gantry tilt, uneven slice spacing).</summary>
public enum IrregularSlices
{
    /// <summary>Resample onto a regular grid as dcm2niix does: tilted (sheared) slices shifted in-plane onto the
    /// untilted grid, unevenly spaced slices interpolated from their real positions at the smallest step.</summary>
    Resample,
    /// <summary>Refuse the series with the reason (the behaviour before resampling existed).</summary>
    Reject,
}

/// <summary>How DICOM readers build the voxel grid from slice positions.</summary>
public sealed record SliceGridOptions
{
    public static readonly SliceGridOptions Default = new();
    public static readonly SliceGridOptions RejectIrregular = new() { Irregular = IrregularSlices.Reject };

    public IrregularSlices Irregular { get; init; } = IrregularSlices.Resample;
    /// <summary>An uneven stack is resampled at its smallest step, but to at most this many times its slice count.</summary>
    public double MaxSliceGrowth { get; init; } = 4;
}
