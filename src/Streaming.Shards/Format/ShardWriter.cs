using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Format;

/// <summary>Writes one volume as a chunked, Zstd-compressed Arrow IPC file (see <see cref="ShardFormat"/>).</summary>
public static class ShardWriter
{
    /// <summary>
    /// Writes <paramref name="v"/> to <paramref name="path"/> (via a temp file in the same folder, then rename) and
    /// returns <paramref name="header"/> completed with geometry, stats, chunk checksums and offsets, file name and size.
    /// CT images are stored as int16 HU, rounded half-to-even and saturated to [-32768, 32767]; MR as float32.
    /// </summary>
    public static VolumeRecord Write(string path, ShardInput v, VolumeRecord header, ShardSpec spec)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(header);
        spec.Validate();
        var shape = v.Image.Shape;
        if (v.Body.Shape != shape)
            throw new ArgumentException($"{header.Id}: body mask shape {v.Body.Shape} differs from image shape {shape}");
        if (v.Labels is { } lab && lab.Shape != shape)
            throw new ArgumentException($"{header.Id}: label shape {lab.Shape} differs from image shape {shape}");

        var grid = ChunkGrid.Create(shape, spec.ChunkShape);
        var chunks = new EncodedChunk[grid.Count];
        long bodyVoxels = 0;
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = Encode(v, header, grid, i);
            bodyVoxels += chunks[i].BodyVoxels;
        }

        var record = header with
        {
            OriginalGeometry = GeometryRecord.From(v.SourceGeometry),
            ResampledGeometry = GeometryRecord.From(v.ResampledGeometry),
            FinalGeometry = GeometryRecord.From(v.Image.Geometry),
            Crop = CropBoxRecord.From(v.Crop),
            Stats = v.Stats,
            BodyVoxels = bodyVoxels,
            HasLabels = v.Labels is not null,
            ImageDType = ShardFormat.ImageDType(header.Modality),
            ChunkShape = spec.ChunkShape.ToArray(),
            ChunkGrid = grid.Counts.ToArray(),
            ChecksumAlgorithm = ShardFormat.ChecksumAlgorithm,
            ChunkChecksums = chunks.Select(c => ChunkChecksum.ToHex(c.Checksum)).ToArray(),
            ChunkOffsets = null,
            ShardFile = Path.GetFileName(path),
            ShardBytes = 0,
            CreatedUtc = DateTimeOffset.UtcNow,
            FormatVersion = ShardFormat.Version,
        };

        var schema = ShardSchema.Build(header.Modality, record.HasLabels, VolumeRecordJson.Serialize(record));
        var offsets = new long[chunks.Length];
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $"{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var options = new IpcOptions
                {
                    CompressionCodec = CompressionCodecType.Zstd,
                    CompressionCodecFactory = new CompressionCodecFactory(),
                    CompressionLevel = spec.ZstdLevel,
                };
                // The Arrow writer emits the schema message lazily, with the first batch: batch 0 starts after it.
                var schemaBytes = SchemaMessageBytes(schema, options);
                using (var writer = new ArrowFileWriter(fs, schema, leaveOpen: true, options))
                {
                    writer.WriteStart();
                    for (var i = 0; i < chunks.Length; i++)
                    {
                        offsets[i] = i == 0 ? fs.Position + schemaBytes : fs.Position;
                        using var batch = chunks[i].ToBatch(schema);
                        writer.WriteRecordBatch(batch);
                        chunks[i] = default; // let the chunk's buffers go as soon as they are written
                    }
                    writer.WriteEnd();
                }
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
        return record with { ChunkOffsets = offsets, ShardBytes = new FileInfo(path).Length };
    }

    private static EncodedChunk Encode(ShardInput v, VolumeRecord header, ChunkGrid grid, int index)
    {
        var shape = grid.Shape;
        var start = grid.Start(index);
        var ext = grid.Extent(index);
        var n = checked((int)ext.Volume);
        var ct = header.Modality == Modality.CT;
        var image = new byte[n * ShardFormat.ImageBytesPerVoxel(header.Modality)];
        var body = new byte[(n + 7) / 8];
        var labels = v.Labels is null ? null : new byte[n];
        var bodyVoxels = 0;
        for (var z = 0; z < ext.Z; z++)
            for (var y = 0; y < ext.Y; y++)
            {
                var src = (int)shape.Index(start.X, start.Y + y, start.Z + z);
                var dst = ext.X * (y + ext.Y * z);
                var srcImage = v.Image.Data.AsSpan(src, ext.X);
                if (ct)
                {
                    if (!VoxelCopy.RoundSaturate(srcImage, MemoryMarshal.Cast<byte, short>(image.AsSpan()).Slice(dst, ext.X)))
                        throw new InvalidDataException($"{header.Id}: image has NaN voxels near voxel ({start.X}, {start.Y + y}, {start.Z + z}); cannot store as int16");
                }
                else
                {
                    srcImage.CopyTo(MemoryMarshal.Cast<byte, float>(image.AsSpan()).Slice(dst, ext.X));
                }
                bodyVoxels += VoxelCopy.PackBits(v.Body.Data.AsSpan(src, ext.X), body, dst);
                if (labels is not null) v.Labels!.Data.AsSpan(src, ext.X).CopyTo(labels.AsSpan(dst, ext.X));
            }
        var checksum = ChunkChecksum.Compute(image, body, n, labels);
        return new EncodedChunk(n, image, body, labels, checksum, bodyVoxels);
    }

    /// <summary>Length of the schema message as an Arrow writer with these options emits it.</summary>
    private static long SchemaMessageBytes(Schema schema, IpcOptions options)
    {
        using var ms = new MemoryStream();
        using var writer = new ArrowStreamWriter(ms, schema, leaveOpen: true, options);
        writer.WriteStart();
        return ms.Length;
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private readonly record struct EncodedChunk(int Voxels, byte[] Image, byte[] Body, byte[]? Labels, ulong Checksum, int BodyVoxels)
    {
        public RecordBatch ToBatch(Schema schema)
        {
            var ct = schema.GetFieldByIndex(0).DataType is Apache.Arrow.Types.Int16Type;
            IArrowArray image = ct
                ? new Int16Array(new ArrowBuffer(Image), ArrowBuffer.Empty, Voxels, 0, 0)
                : new FloatArray(new ArrowBuffer(Image), ArrowBuffer.Empty, Voxels, 0, 0);
            var arrays = new List<IArrowArray> { image, new BooleanArray(new ArrowBuffer(Body), ArrowBuffer.Empty, Voxels, 0, 0) };
            if (Labels is not null) arrays.Add(new UInt8Array(new ArrowBuffer(Labels), ArrowBuffer.Empty, Voxels, 0, 0));
            return new RecordBatch(schema, arrays, Voxels);
        }
    }
}
