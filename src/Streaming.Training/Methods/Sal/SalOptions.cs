using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Slices;
using Streaming.Sampling.Sources;
using Streaming.Training.Models;

namespace Streaming.Training.Methods.Sal;

/// <summary>
/// SAL (<c>method: sal</c>): model, loss and slice sampling settings with their defaults; where each value comes from
/// is in this folder's README.md. Lambda = 0 is PCL (the global positional loss alone), the paper's ablation.
/// </summary>
public sealed record SalOptions : MethodOptions<SliceBatch>
{
    public const string MethodName = "sal";

    /// <summary>The encoder level the local features come from: stride 4.</summary>
    public const int LocalLevel = 2;

    /// <summary>The 2-D U-Net (its encoder is pre-trained and exported).</summary>
    public UNet2dOptions Model { get; init; } = new();
    /// <summary>Width of the bias-free per-pixel embedding of the stride-4 features.</summary>
    public int LocalDim { get; init; } = 128;
    /// <summary>Width of the linear projection of the pooled deepest features.</summary>
    public int GlobalDim { get; init; } = 128;
    /// <summary>Positives: relative slice positions closer than theta (GP across subjects; WLA within a volume, |a - b| / N).</summary>
    public double Theta { get; init; } = 0.1;
    public double Temperature { get; init; } = 0.1;
    /// <summary>total = GP + Lambda x WLA.</summary>
    public double Lambda { get; init; } = 80;
    /// <summary>WLA window in feature pixels (stride-4 map), height and width.</summary>
    public int WindowH { get; init; } = 4;
    public int WindowW { get; init; } = 4;
    /// <summary>Normalised embedding spread below which a step counts as collapsed (see Logging.EmbeddingSpread).</summary>
    public double CollapseThreshold { get; init; } = Logging.EmbeddingSpread.DefaultThreshold;
    /// <summary>How slices are drawn (the <c>sampling:</c> section).</summary>
    public SliceSamplingOptions Sampling { get; init; } = new();

    public override string Name => MethodName;
    public override InputScaling InputScaling => Sampling.InputScaling;
    public override Int3 PatchShape => new(Sampling.SliceShape.X, Sampling.SliceShape.Y, 1);

    public override FeatureExtractor CreateFeatures() => new SliceEncoder2d(Model);

    public override IPretrainMethod<SliceBatch> CreateMethod() => new SalMethod(this);

    public override ILedgeredSource<SliceBatch> CreateSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
        long seed, SkipLedger ledger) =>
        new SliceSource(volumes, open, Sampling with { Seed = Sampling.Seed ?? seed }, ledger);

    public override void Validate()
    {
        Model.Validate();
        Sampling.Validate();
        if (LocalDim < 1 || GlobalDim < 1) throw new ArgumentException("model.localDim and model.globalDim must be >= 1");
        if (!(Theta > 0 && Theta <= 1)) throw new ArgumentException("loss.theta must be in (0, 1]");
        if (!(Temperature > 0)) throw new ArgumentException("loss.temperature must be > 0");
        if (!(Lambda >= 0) || !double.IsFinite(Lambda)) throw new ArgumentException("loss.lambda must be a finite value >= 0");
        // The paper tests windows up to 6 x 6 feature pixels.
        if (WindowH is < 1 or > 6 || WindowW is < 1 or > 6) throw new ArgumentException("loss.windowH and loss.windowW must be 1..6 feature pixels");
        if (!(CollapseThreshold >= 0)) throw new ArgumentException("loss.collapseThreshold must be >= 0");
        int m = Model.SizeMultiple;
        if (Sampling.SliceShape.X % m != 0 || Sampling.SliceShape.Y % m != 0)
            throw new ArgumentException($"sampling.sliceShape {Sampling.SliceShape} must be a multiple of {m} on both axes (2^{Model.Downsamplings} for the U-Net's pooling)");
    }
}
