using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Pairs;
using Streaming.Sampling.Sources;

namespace Streaming.Training.Methods;

/// <summary>Methods trained on vox2vec patch pairs (<see cref="PairBatch"/>): the pair sampling settings and source.</summary>
public abstract record PairMethodOptions : MethodOptions<PairBatch>
{
    /// <summary>How pairs are drawn (the <c>sampling:</c> section).</summary>
    public SamplingOptions Sampling { get; init; } = new();

    public override InputScaling InputScaling => Sampling.InputScaling;
    public override Int3 PatchShape => Sampling.PatchShape;

    public override ILedgeredSource<PairBatch> CreateSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
        long seed, SkipLedger ledger) =>
        new Vox2VecPairSource(volumes, open, Sampling with { Seed = Sampling.Seed ?? seed }, ledger);

    public override void Validate() => Sampling.Validate();
}
