namespace Streaming.Shards.Format;

/// <summary>
/// Constants of the shard file layout. One Arrow IPC file per volume, Zstd-compressed buffers, one record batch per
/// chunk (chunks in X-fastest grid order, voxels X-fastest inside each chunk, edge chunks clipped to the volume so
/// they are smaller rather than padded). Bump <see cref="Version"/> whenever the bytes a reader sees change meaning:
/// it is part of the cache key, so old caches are never misread.
/// </summary>
public static class ShardFormat
{
    public const int Version = 1;

    public const string ImageColumn = "image";
    public const string BodyColumn = "body";
    public const string LabelsColumn = "labels";

    /// <summary>Schema metadata key holding the JSON <see cref="VolumeRecord"/>.</summary>
    public const string RecordMetadataKey = "streaming.volume";
    public const string FormatMetadataKey = "streaming.format_version";

    /// <summary>Checksum of each chunk: XXH64 (seed 0) over its uncompressed buffers, image then body bits then labels.</summary>
    public const string ChecksumAlgorithm = "xxh64";

    public const string FileExtension = ".arrow";

    public static string ImageDType(Imaging.Volumes.Modality m) => m == Imaging.Volumes.Modality.CT ? "int16" : "float32";

    public static int ImageBytesPerVoxel(Imaging.Volumes.Modality m) => m == Imaging.Volumes.Modality.CT ? 2 : 4;
}
