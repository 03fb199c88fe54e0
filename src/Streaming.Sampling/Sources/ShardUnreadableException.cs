namespace Streaming.Sampling.Sources;

/// <summary>
/// A volume's shard could not be opened (deleted, truncated, footer damaged, no permission). Sources treat it like a
/// corrupt chunk: the volume goes into the skip ledger and the slot redraws.
/// </summary>
public sealed class ShardUnreadableException(string volumeId, Exception inner)
    : IOException($"shard of {volumeId} cannot be opened: {Describe(inner)}", inner)
{
    public string VolumeId { get; } = volumeId;

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException f => $"{f.FileName ?? "file"} is missing",
        _ => e.Message,
    };
}
