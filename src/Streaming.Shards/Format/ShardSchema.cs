using Apache.Arrow;
using Apache.Arrow.Types;
using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Format;

/// <summary>The Arrow schema of a shard: image (int16 CT / float32 MR), body (bit-packed boolean), optional labels (uint8).</summary>
internal static class ShardSchema
{
    public static Schema Build(Modality modality, bool hasLabels, string recordJson)
    {
        var fields = new List<Field>
        {
            new(ShardFormat.ImageColumn, modality == Modality.CT ? Int16Type.Default : FloatType.Default, nullable: false),
            new(ShardFormat.BodyColumn, BooleanType.Default, nullable: false),
        };
        if (hasLabels) fields.Add(new Field(ShardFormat.LabelsColumn, UInt8Type.Default, nullable: false));
        var metadata = new Dictionary<string, string>
        {
            [ShardFormat.RecordMetadataKey] = recordJson,
            [ShardFormat.FormatMetadataKey] = ShardFormat.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new Schema(fields, metadata);
    }
}
