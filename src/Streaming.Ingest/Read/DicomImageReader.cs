using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Read;

/// <summary>The <see cref="IImageReader"/> for <see cref="SourceKind.DicomSeries"/> items; GDCM runs behind <paramref name="gdcm"/>.</summary>
public sealed class DicomImageReader(IGdcmAccess gdcm, SliceGridOptions grid) : IImageReader
{
    public DicomImageReader() : this(InProcessGdcm.Instance, SliceGridOptions.Default) { }

    public bool CanRead(SourceItem item) => item.Kind == SourceKind.DicomSeries;

    public LoadedImage Read(SourceItem item, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!CanRead(item)) throw new ArgumentException($"{item.DisplayPath} is a {item.Kind} item, not a DICOM series");
        var image = DicomSeriesReader.Read(item.Files, gdcm, grid, ct);
        // A CT/MR mismatch means the catalog would preprocess it with the wrong intensity rules.
        if (image.Metadata.TryGetValue("modality", out var m) && m is "CT" or "MR" && m != item.Modality.ToString())
            throw new InvalidDataException($"DICOM series {item.DisplayPath}: Modality is {m} but the spec is {item.Modality}; ingest it with a {m} spec");
        return image;
    }
}
