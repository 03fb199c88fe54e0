namespace Streaming.Ingest.Read.Archives;

/// <summary>How an archive folder is organised.</summary>
public enum ArchiveLayout
{
    /// <summary>Detect from the folder contents (imagesTr/ → FLARE/AMOS style, DICOM tree → NLST style).</summary>
    Auto,
    /// <summary>nnU-Net/FLARE: images*/CASE_0000.nii.gz, labels*/CASE.nii.gz, unlabeled*/.</summary>
    Flare,
    /// <summary>AMOS: images{Tr,Va,Ts}/amos_NNNN.nii.gz, labels{Tr,Va}/; ids >= 500 are MRI.</summary>
    Amos,
    /// <summary>NLST: patient/study/series/*.dcm; per patient the axial CT series with most slices (>= 32).</summary>
    Nlst,
    /// <summary>Every DICOM series in every folder below the root, whatever its size or orientation.</summary>
    Dicom,
    /// <summary>Every file matching a glob pattern below the root.</summary>
    Glob,
}
