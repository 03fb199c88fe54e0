using System.Globalization;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Read;

/// <summary>
/// Is a volume that claims to be CT really in Hounsfield units? NIfTI carries no modality, so an MR volume fed to a CT
/// spec (e.g. through a glob over a mixed folder) would be clipped to the HU window and cached as CT without a word.
/// Every CT scan holds air (-1000 HU) around or inside the body (or -1024/-2048 padding outside the field of view),
/// while MR intensities are non-negative (or near zero after normalisation). A CT item with fewer than
/// <see cref="MinAirShare"/> of its voxels below <see cref="AirHu"/> is refused with the numbers. DICOM items are
/// checked by their Modality tag instead (<see cref="Formats.Dicom.DicomImageReader"/>).
/// </summary>
public static class CtIntensityCheck
{
    public const double AirHu = -500, MinAirShare = 0.001;
    private const int Samples = 1 << 18;

    /// <summary>Null when the values look like CT; otherwise why not.</summary>
    public static string? Problem(Volume<float> volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var data = volume.Data;
        if (data.Length == 0) return null;
        var stride = Math.Max(1, data.Length / Samples);
        long seen = 0, air = 0;
        float min = float.MaxValue, max = float.MinValue;
        for (long i = 0; i < data.Length; i += stride)
        {
            var v = data[i];
            seen++;
            if (v < AirHu) air++;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        var share = air / (double)seen;
        if (share >= MinAirShare) return null;
        return FormattableString.Invariant(
            $"does not look like CT: {share:P2} of its voxels are below {AirHu} HU (CT has air near -1000 HU; values range {min:G4}..{max:G4}); is it MR? ingest it with an MR spec");
    }
}
