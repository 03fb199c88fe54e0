using Streaming.Shards.Format;
using Streaming.Sampling.Sources;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Context;

/// <summary>
/// The 2.5D planar pair source of HEATMAP and REG2D: per slot one volume and one anchor centre uniform in
/// [-0.5, 0.5]³; for each normal axis (x, y, z) the anchor's 3 x 42 x 42 planar patch and a partner's, displaced by
/// ±U[0.125, 0.25] along the normal and (d1, d2) in-plane from the curriculum at this step of
/// <see cref="ContextSamplingOptions.CurriculumSteps"/>. Patches are trilinear samples of only the regions they cover.
/// </summary>
public sealed class PlanarPairSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open, ContextSamplingOptions options,
    SkipLedger? ledger = null) : ContextSource<PlanarPairBatch>(volumes, open, options, ledger)
{
    protected override long KeyPurpose => Sources.KeyPurpose.Planar;

    private sealed record Builder(float[] Anchors, float[] Partners, float[] Offsets, float[] Shifts, long Step);

    private int PatchValues => Options.Planes * Options.PatchSize * Options.PatchSize;

    protected override object Begin(long step) =>
        new Builder(new float[3 * Pairs * PatchValues], new float[3 * Pairs * PatchValues], new float[3 * Pairs * 2], new float[3 * Pairs], step);

    protected override void Fill(object builder, int slot, ref KeyedRandom rng, Reader read)
    {
        var b = (Builder)builder;
        var g = Options;
        var anchor = ContextDraws.Anchor(ref rng, g);
        for (var n = 0; n < 3; n++)
        {
            var partner = ContextDraws.Planar(ref rng, anchor, n, b.Step, g.CurriculumSteps, g);
            var at = (n * Pairs + slot) * PatchValues;
            read.Sample(SampleGrid.Planar(anchor, n, g.PatchSize, g.PatchSide, g.Planes, g.PatchDepth), b.Anchors.AsSpan(at, PatchValues));
            read.Sample(SampleGrid.Planar(partner.Center, n, g.PatchSize, g.PatchSide, g.Planes, g.PatchDepth), b.Partners.AsSpan(at, PatchValues));
            b.Offsets[2 * (n * Pairs + slot)] = (float)partner.D1;
            b.Offsets[2 * (n * Pairs + slot) + 1] = (float)partner.D2;
            b.Shifts[n * Pairs + slot] = (float)partner.NormalShift;
        }
    }

    protected override PlanarPairBatch End(object builder, long step, string[] ids, long bytes)
    {
        var b = (Builder)builder;
        return new PlanarPairBatch
        {
            Step = step, Pairs = Pairs, PatchSize = Options.PatchSize, Planes = Options.Planes, Anchors = b.Anchors, Partners = b.Partners,
            Offsets = b.Offsets, NormalShifts = b.Shifts, VolumeIds = ids, BytesDecoded = bytes,
        };
    }
}
