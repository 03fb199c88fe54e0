using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Training.Methods;

namespace Streaming.Evaluation.Supervised;

/// <summary>
/// Settings of the supervised protocols (<c>unet</c>, <c>simsiam</c>, <c>scl</c>): the method's model and loss (the
/// <c>voxel-simsiam</c> record, whose defaults are the paper's), which arms to make of it, and the optimisation. README.md
/// in this folder gives the source of each value; the training length is the one thing every config sets for its hardware.
/// </summary>
public sealed record SupervisedOptions
{
    /// <summary>Voxel-level SimSiam's soft-tissue CT window (Sec. IV-A): [-200, 250] HU → [0, 1].</summary>
    public static readonly InputScaling CtWindow = new(-200, 250);

    /// <summary>
    /// Model (U-Net width and depth, feature layers) and loss settings every arm starts from (<c>model:</c> and <c>loss:</c>
    /// of the <c>voxel-simsiam</c> method). Each arm sets the auxiliary loss, its levels and λ; the classes come from the data.
    /// </summary>
    public VoxelSimSiamOptions Method { get; init; } = new();
    /// <summary>One <c>simsiam</c> arm per entry: the number of deepest levels with a feature layer (Table III: 1, 2, 3).</summary>
    public IReadOnlyList<int> SimSiamLevels { get; init; } = [3];
    /// <summary>Levels of the SCL baseline ("the same multi-resolution layer feature" as L_feature3).</summary>
    public int SclLevels { get; init; } = 3;
    /// <summary>λ of the SimSiam arms; null = the paper's 10 for three levels, 100 for one (10 otherwise).</summary>
    public double? SimSiamLambda { get; init; }
    /// <summary>λ of the SCL arm (not given in the paper; 0.1 is Wang et al.'s weight of their pixel contrast loss).</summary>
    public double SclLambda { get; init; } = 0.1;

    /// <summary>Optimisation steps per training run (the paper trains 500 epochs of 70 volumes at batch 4, about 8,750 steps).</summary>
    public long Steps { get; init; } = 8750;
    /// <summary>Volumes (or patches) per step (paper: 4).</summary>
    public int BatchSize { get; init; } = 4;
    /// <summary>Training patch (x, y, z); null = whole volumes, which then must all have one shape (use the spec's targetShape).</summary>
    public Int3? Patch { get; init; }
    /// <summary>Patches only: share of patches centred on a foreground voxel.</summary>
    public double ForegroundFraction { get; init; } = 0.5;
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Adam's L2 weight decay (PyTorch Adam's weight_decay, added to the gradient).</summary>
    public double WeightDecay { get; init; } = 1e-5;
    /// <summary>Polynomial decay: lr × (1 - step / steps)^power.</summary>
    public double PolyPower { get; init; } = 0.9;
    /// <summary>Shares of each split's training cases used (Fig. 7's label-fraction curve); nested subsets of one shuffled order.</summary>
    public IReadOnlyList<double> LabelFractions { get; init; } = [1.0];
    public long CheckpointEvery { get; init; } = 500;
    public int LogEvery { get; init; } = 50;

    public void Validate()
    {
        var levels = Method.UNet.Levels;
        if (SimSiamLevels.Count == 0 || SimSiamLevels.Any(l => l < 1 || l > levels)) throw new ArgumentException($"supervised.simsiamLevels must be in 1..{levels}");
        if (SclLevels < 1 || SclLevels > levels) throw new ArgumentException($"supervised.sclLevels must be in 1..{levels}");
        if (Steps < 1 || BatchSize < 1) throw new ArgumentException("supervised.steps and supervised.batchSize must be >= 1");
        if (Patch is { } p && (!p.AllPositive || p.X % Multiple != 0 || p.Y % Multiple != 0 || p.Z % Multiple != 0))
            throw new ArgumentException($"supervised.patch {p} must be positive multiples of {Multiple} (2^(levels-1))");
        if (!(ForegroundFraction is >= 0 and <= 1)) throw new ArgumentException("supervised.foregroundFraction must be in [0, 1]");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException("supervised.lr must be > 0");
        if (!(WeightDecay >= 0) || !(PolyPower >= 0)) throw new ArgumentException("supervised.weightDecay and supervised.polyPower must be >= 0");
        if (LabelFractions.Count == 0 || LabelFractions.Any(f => !(f > 0 && f <= 1))) throw new ArgumentException("supervised.labelFractions must be in (0, 1]");
        if (CheckpointEvery < 1 || LogEvery < 1) throw new ArgumentException("supervised.checkpointEvery and supervised.logEvery must be >= 1");
        foreach (var arm in Arms([AuxiliaryLoss.None, AuxiliaryLoss.SimSiam, AuxiliaryLoss.Scl], 2)) arm.Method.Validate();
    }

    /// <summary>Every input axis must be a multiple of this (the U-Net's coarsest stride).</summary>
    public int Multiple => Method.UNet.InputMultiple;

    /// <summary>
    /// The arms of the requested auxiliary losses (the <c>unet</c>, <c>simsiam</c> and <c>scl</c> protocols), before label
    /// fractions: plain U-Net, one SimSiam arm per level count, SCL.
    /// </summary>
    public IReadOnlyList<SupervisedArm> Arms(IEnumerable<AuxiliaryLoss> auxiliaries, int classes)
    {
        var common = Method with { UNet = Method.UNet with { Classes = classes } };
        var arms = new List<SupervisedArm>();
        foreach (var a in auxiliaries.Distinct())
            switch (a)
            {
                case AuxiliaryLoss.None: arms.Add(new("unet", common with { Auxiliary = AuxiliaryLoss.None, Lambda = null })); break;
                case AuxiliaryLoss.SimSiam:
                    foreach (var l in SimSiamLevels.Distinct())
                        arms.Add(new($"simsiam-{l}", common with { Auxiliary = AuxiliaryLoss.SimSiam, FeatureLevels = l, Lambda = SimSiamLambda }));
                    break;
                case AuxiliaryLoss.Scl: arms.Add(new($"scl-{SclLevels}", common with { Auxiliary = AuxiliaryLoss.Scl, FeatureLevels = SclLevels, Lambda = SclLambda })); break;
            }
        return arms;
    }
}

/// <summary>One supervised arm: its report name and full method settings (its auxiliary loss names its protocol).</summary>
public sealed record SupervisedArm(string Name, VoxelSimSiamOptions Method);
