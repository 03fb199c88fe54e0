using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Read;

/// <summary>Reads one source item. Throws <see cref="InvalidDataException"/> with a reason for bad input.</summary>
public interface IImageReader
{
    bool CanRead(SourceItem item);
    LoadedImage Read(SourceItem item, CancellationToken ct = default);
}
