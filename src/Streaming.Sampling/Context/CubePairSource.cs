using Streaming.Shards.Format;
using Streaming.Sampling.Sources;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Context;

/// <summary>
/// The Doersch 3-D pair source: per slot one volume, an anchor cube (25³ samples over side 0.4) centred uniformly in
/// [-0.5, 0.5]³ and a partner cube one side away toward a uniformly drawn face, jittered; the target is the face.
/// </summary>
public sealed class CubePairSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open, ContextSamplingOptions options,
    SkipLedger? ledger = null) : ContextSource<CubePairBatch>(volumes, open, options, ledger)
{
    protected override long KeyPurpose => Sources.KeyPurpose.Cubes;

    private sealed record Builder(float[] Anchors, float[] Partners, long[] Neighbours, double[] Centers);

    private int CubeValues => Options.CubeSize * Options.CubeSize * Options.CubeSize;

    protected override object Begin(long step) => new Builder(new float[Pairs * CubeValues], new float[Pairs * CubeValues], new long[Pairs], new double[Pairs * 6]);

    protected override void Fill(object builder, int slot, ref KeyedRandom rng, Reader read)
    {
        var b = (Builder)builder;
        var anchor = ContextDraws.Anchor(ref rng, Options);
        var partner = ContextDraws.Cube(ref rng, anchor, Options);
        read.Sample(SampleGrid.Cube(anchor, Options.CubeSize, Options.CubeSide), b.Anchors.AsSpan(slot * CubeValues, CubeValues));
        read.Sample(SampleGrid.Cube(partner.Center, Options.CubeSize, Options.CubeSide), b.Partners.AsSpan(slot * CubeValues, CubeValues));
        b.Neighbours[slot] = partner.Neighbour;
        anchor.ToArray().CopyTo(b.Centers, slot * 6);
        partner.Center.ToArray().CopyTo(b.Centers, slot * 6 + 3);
    }

    protected override CubePairBatch End(object builder, long step, string[] ids, long bytes)
    {
        var b = (Builder)builder;
        return new CubePairBatch
        {
            Step = step, Pairs = Pairs, CubeSize = Options.CubeSize, Anchors = b.Anchors, Partners = b.Partners, Neighbours = b.Neighbours, Centers = b.Centers,
            VolumeIds = ids, BytesDecoded = bytes,
        };
    }
}
