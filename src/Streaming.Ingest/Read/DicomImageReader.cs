using Streaming.Imaging.Volumes;
using Streaming.Imaging.Formats.Dicom;


namespace Streaming.Ingest.Read;

/// <summary>The <see cref="IImageReader"/> for <see cref="SourceKind.DicomSeries"/> items.</summary>
public sealed class DicomImageReader : IImageReader
{
    public bool CanRead(SourceItem item) => item.Kind == SourceKind.DicomSeries;

    public LoadedImage Read(SourceItem item, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!CanRead(item)) throw new ArgumentException($"{item.DisplayPath} is a {item.Kind} item, not a DICOM series");
        var image = DicomSeriesReader.Read(item.Files, ct);
        // A CT/MR mismatch means the catalog would preprocess it with the wrong intensity rules.
        if (image.Metadata.TryGetValue("modality", out var m) && m is "CT" or "MR" && m != item.Modality.ToString())
            throw new InvalidDataException($"DICOM series {item.DisplayPath}: Modality is {m} but the item is catalogued as {item.Modality}");
        return image;
    }
}
