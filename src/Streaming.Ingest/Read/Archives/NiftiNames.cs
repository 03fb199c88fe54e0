namespace Streaming.Ingest.Read.Archives;

/// <summary>File-name rules shared by the NIfTI layouts.</summary>
internal static class NiftiNames
{
    public static bool IsNifti(string path) =>
        path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".nii", StringComparison.OrdinalIgnoreCase);

    /// <summary>File name without .nii/.nii.gz.</summary>
    public static string Stem(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase)) return name[..^7];
        if (name.EndsWith(".nii", StringComparison.OrdinalIgnoreCase)) return name[..^4];
        return name;
    }

    /// <summary>
    /// Case id of an nnU-Net style image name: "FLARE_Tr_0001_0000" → "FLARE_Tr_0001" (4-digit channel suffix dropped
    /// only when a case number stands before it, so "amos_0001" stays "amos_0001").
    /// </summary>
    public static string CaseId(string imagePath)
    {
        var stem = Stem(imagePath);
        var us = stem.LastIndexOf('_');
        if (us <= 0 || stem.Length - us != 5 || !stem[(us + 1)..].All(char.IsAsciiDigit)) return stem;
        var rest = stem[..us];
        return rest.Length > 0 && char.IsAsciiDigit(rest[^1]) && rest.Contains('_') ? rest : stem;
    }
}
