using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Sources;

/// <summary>
/// One volume drawn for one slot of one step, handed to the batch kind to fill that slot's items: the volume, its key
/// (seed, step, slot, attempt), this worker's reader for it and the kind's per-worker scratch. Reads through
/// <see cref="Read"/> (or report bytes with <see cref="Decoded"/>) so telemetry sees them. Throwing
/// <see cref="ChunkCorruptException"/> (as the reader does) puts the volume in the skip ledger and redraws the slot.
/// </summary>
public sealed class SlotDraw<TScratch> where TScratch : class
{
    private readonly ReaderCache _readers;
    private IShardVolume? _reader;

    internal SlotDraw(long step, int slot, int attempt, ShardVolumeInfo volume, RandomKey key, ReaderCache readers, TScratch scratch)
    {
        Step = step; Slot = slot; Attempt = attempt; Volume = volume; Key = key; _readers = readers; Scratch = scratch;
    }

    public long Step { get; }
    public int Slot { get; }
    public int Attempt { get; }
    public ShardVolumeInfo Volume { get; }
    /// <summary>(seed, step, slot, attempt): derive the kind's streams from it with a <see cref="KeyPurpose"/>.</summary>
    public RandomKey Key { get; }
    public TScratch Scratch { get; }
    /// <summary>This worker's open reader of <see cref="Volume"/> (not thread-safe; opened on first use).</summary>
    public IShardVolume Reader => _reader ??= _readers.Get(Volume);
    public long BytesDecoded { get; private set; }

    public void Decoded(long bytes) => BytesDecoded += bytes;

    /// <summary>A region of the volume, the part outside it padded (<see cref="PatchReader"/>), counting decoded bytes.</summary>
    public RegionReadStats Read(Int3 origin, Int3 size, Span<float> image, Span<byte> body, float[] regionImage, byte[] regionBody)
    {
        var stats = PatchReader.Read(Reader, origin, size, image, body, PatchReader.PadValue(Volume.Modality), regionImage, regionBody);
        BytesDecoded += stats.BytesDecoded;
        return stats;
    }
}

/// <summary>What <see cref="SourceCore{TScratch}.DrawSlots"/> drew: the volume of each slot and what the draws depended on.</summary>
public sealed record SlotResult(
    IReadOnlyList<ShardVolumeInfo> Volumes,
    IReadOnlyDictionary<string, bool> Consulted,
    IReadOnlyList<SkippedVolume> Discovered,
    long BytesDecoded)
{
    /// <summary>The build record of a batch made from these slots.</summary>
    public BatchBuild<TBatch> Build<TBatch>(TBatch batch) where TBatch : IBatch => new(batch, Consulted, Discovered);
}
