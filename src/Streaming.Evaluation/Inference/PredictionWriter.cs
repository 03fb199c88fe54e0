using Streaming.Imaging.Formats.Nifti;
using Streaming.Shards.Format;

namespace Streaming.Evaluation.Inference;

/// <summary>Writes a prediction as a uint8 NIfTI label map in the source image's original geometry.</summary>
public static class PredictionWriter
{
    /// <summary>Writes to <paramref name="path"/> (NiftiWriter writes a temp file and renames) and returns the path.</summary>
    public static string Write(string path, ReadOnlySpan<byte> labelsOnFinalGrid, VolumeRecord record)
    {
        var volume = OriginalGridResampler.ToOriginal(labelsOnFinalGrid, record);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        NiftiWriter.Write(path, volume, new NiftiWriteOptions { DataType = NiftiDataType.UInt8 });
        return path;
    }

    /// <summary>File name for a volume id such as "FLARE/FLARE_Tr_0001": "FLARE_FLARE_Tr_0001.nii.gz".</summary>
    public static string FileName(string volumeId) => string.Join("_", volumeId.Split('/', '\\', ':')) + ".nii.gz";
}
