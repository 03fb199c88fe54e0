using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Context;
using Streaming.Sampling.Sources;
using Streaming.Training.Models;
using Streaming.Training.Models.Context;

namespace Streaming.Training.Methods.Context;

/// <summary>What every context method's options share: the pair geometry and sampling (<c>sampling:</c>) and its input scaling.</summary>
public abstract record ContextOptions<TBatch> : MethodOptions<TBatch> where TBatch : Sampling.IBatch
{
    public ContextSamplingOptions Sampling { get; init; } = new();

    public override InputScaling InputScaling => Sampling.InputScaling;
    public override Int3 PatchShape => new(Sampling.PatchSize, Sampling.PatchSize, Sampling.Planes);

    public override void Validate() => Sampling.Validate();
}

/// <summary>
/// HEATMAP (<c>method: context2d-heatmap</c>) and REG2D (<c>context2d-reg2d</c>): planar pairs, three D2D-CNNs with
/// their heads. The untrained XAVIER baseline is the random init of this architecture (<c>evaluate --random-baseline</c>).
/// </summary>
public sealed record PlanarOffsetOptions : ContextOptions<PlanarPairBatch>
{
    public OffsetHead Head { get; init; } = OffsetHead.Heatmap;
    /// <summary>Grid points described per forward when extracting descriptors (memory, not results).</summary>
    public int DescriptorBatch { get; init; } = 512;

    public override string Name => Head == OffsetHead.Heatmap ? "context2d-heatmap" : "context2d-reg2d";

    public override FeatureExtractor CreateFeatures() => new PlanarDescriptor(Sampling, GridDescriptor.DefaultStride, DescriptorBatch);
    public override IPretrainMethod<PlanarPairBatch> CreateMethod() => new PlanarOffsetMethod(this);
    public override ILedgeredSource<PlanarPairBatch> CreateSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
        long seed, SkipLedger ledger) => new PlanarPairSource(volumes, open, Sampling with { Seed = Sampling.Seed ?? seed }, ledger);

    public override void Validate()
    {
        base.Validate();
        if (DescriptorBatch < 1) throw new ArgumentException("model.descriptorBatch must be >= 1");
    }
}

/// <summary>DOERSCH (<c>method: doersch3d</c>): cube pairs, the D3D-CNN and the 6-neighbour head.</summary>
public sealed record DoerschOptions : ContextOptions<CubePairBatch>
{
    public int DescriptorBatch { get; init; } = 64;

    public override string Name => "doersch3d";
    public override Int3 PatchShape => new(Sampling.CubeSize, Sampling.CubeSize, Sampling.CubeSize);

    public override FeatureExtractor CreateFeatures() => new CubeDescriptor(Sampling, GridDescriptor.DefaultStride, DescriptorBatch);
    public override IPretrainMethod<CubePairBatch> CreateMethod() => new DoerschMethod(this);
    public override ILedgeredSource<CubePairBatch> CreateSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
        long seed, SkipLedger ledger) => new CubePairSource(volumes, open, Sampling with { Seed = Sampling.Seed ?? seed }, ledger);

    public override void Validate()
    {
        base.Validate();
        if (DescriptorBatch < 1) throw new ArgumentException("model.descriptorBatch must be >= 1");
    }
}

/// <summary>
/// GVDIFF (<c>method: gvdiff</c>): hand-crafted grey-value differences. Nothing is trained: evaluate it with
/// <c>evaluate --baseline gvdiff</c> (its random pattern comes from the evaluation seed and is exported like weights).
/// </summary>
public sealed record GreyValueOptions : ContextOptions<PlanarPairBatch>
{
    public int Channels { get; init; } = 192;
    public double SmoothingVoxels { get; init; } = 1.0;

    public override string Name => "gvdiff";

    public override FeatureExtractor CreateFeatures() => new GreyValueDescriptor(Channels, SmoothingVoxels);
    public override IPretrainMethod<PlanarPairBatch> CreateMethod() =>
        throw new ArgumentException("gvdiff is a hand-crafted descriptor with nothing to train; evaluate it with `evaluate --baseline gvdiff`");
    public override ILedgeredSource<PlanarPairBatch> CreateSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
        long seed, SkipLedger ledger) => new PlanarPairSource(volumes, open, Sampling with { Seed = Sampling.Seed ?? seed }, ledger);

    public override void Validate()
    {
        base.Validate();
        if (Channels < 1 || !(SmoothingVoxels >= 0)) throw new ArgumentException("model.channels must be >= 1 and model.smoothingVoxels >= 0");
    }
}
