using Streaming.Imaging.Volumes;
using Streaming.Imaging.Formats.Nifti;


namespace Streaming.Ingest.Read;

/// <summary>The <see cref="IImageReader"/> for <see cref="SourceKind.Nifti"/> items (one .nii / .nii.gz file each).</summary>
public sealed class NiftiImageReader : IImageReader
{
    public bool CanRead(SourceItem item) => item.Kind == SourceKind.Nifti && item.Files.Count == 1;

    public LoadedImage Read(SourceItem item, CancellationToken ct = default)
    {
        if (!CanRead(item))
            throw new ArgumentException($"{item.DisplayPath}: not a single-file NIfTI item (kind {item.Kind}, {item.Files.Count} files)", nameof(item));
        return NiftiReader.Read(item.Files[0], ct);
    }
}
