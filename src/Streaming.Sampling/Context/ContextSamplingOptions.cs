namespace Streaming.Sampling.Context;

/// <summary>
/// The in-plane offset curriculum of "3-D context feature learning": each of d1, d2 is ±U[lo, hi] with a random sign,
/// where [lo, hi] moves linearly from [StartMin, StartMax] = [0.25, 0.3] at the first step to [EndMin, EndMax] =
/// [0, 0.7] at the last (the paper says "in the beginning" and "at the end"; linear is our reading).
/// </summary>
public sealed record OffsetCurriculum
{
    public double StartMin { get; init; } = 0.25;
    public double StartMax { get; init; } = 0.3;
    public double EndMin { get; init; } = 0;
    public double EndMax { get; init; } = 0.7;

    /// <summary>[lo, hi] of |d| at <paramref name="step"/> of a run of <paramref name="totalSteps"/> steps (0-based).</summary>
    public (double Min, double Max) Bounds(long step, long totalSteps)
    {
        var t = totalSteps <= 1 ? 1 : Math.Clamp(step / (double)(totalSteps - 1), 0, 1);
        return (StartMin + (EndMin - StartMin) * t, StartMax + (EndMax - StartMax) * t);
    }

    public void Validate()
    {
        if (!(StartMin >= 0 && StartMin <= StartMax && EndMin >= 0 && EndMin <= EndMax))
            throw new ArgumentException("context.curriculum: need 0 <= startMin <= startMax and 0 <= endMin <= endMax");
        if (StartMax > 1 || EndMax > 1) throw new ArgumentException("context.curriculum: offsets above 1 leave the normalised volume");
    }
}

/// <summary>
/// Geometry of the context pairs (all lengths in normalised units: every axis of the common crop is [-1, 1]).
/// Defaults are the paper's; see docs/methods/context3d.md for each value's source.
/// </summary>
public sealed record ContextSamplingOptions
{
    /// <summary>Pairs per batch, each from its own volume slot (paper: batch size 8).</summary>
    public int Pairs { get; init; } = 8;
    /// <summary>Seed of the batch keys; null = the run's seed.</summary>
    public long? Seed { get; init; }
    /// <summary>Dataset name → mixing weight; empty = proportional to volume count.</summary>
    public Dictionary<string, double> DatasetWeights { get; init; } = [];
    /// <summary>The step at which the offset curriculum reaches its end range (set it to the run's steps).</summary>
    public long CurriculumSteps { get; init; } = 800_000;
    /// <summary>Anchor centres are uniform in [-AnchorRange, AnchorRange]³ (paper: 0.5, "inside the patient's body").</summary>
    public double AnchorRange { get; init; } = 0.5;
    /// <summary>Planar patch: Size x Size samples over Side, Planes planes over Depth along the normal (42, 0.8, 3, 0.05).</summary>
    public int PatchSize { get; init; } = 42;
    public double PatchSide { get; init; } = 0.8;
    public int Planes { get; init; } = 3;
    public double PatchDepth { get; init; } = 0.05;
    /// <summary>Partner's displacement along the normal: U[NormalMin, NormalMax] with a random sign (0.125-0.25).</summary>
    public double NormalMin { get; init; } = 0.125;
    public double NormalMax { get; init; } = 0.25;
    public OffsetCurriculum Curriculum { get; init; } = new();
    /// <summary>Doersch cubes: CubeSize³ samples over CubeSide (25, 0.4); the partner sits one side away along a face
    /// normal plus U[-CubeJitter, CubeJitter] per axis (the paper's "jitter" has no stated size).</summary>
    public int CubeSize { get; init; } = 25;
    public double CubeSide { get; init; } = 0.4;
    public double CubeJitter { get; init; } = 0.05;
    /// <summary>CT intensities are windowed to [WindowMin, WindowMax] HU and scaled to [0, 1] before interpolation — the
    /// scaling evaluation applies to its inputs (Streaming.Evaluation's InputScaling); MR values are used as cached.</summary>
    public double WindowMin { get; init; } = -1350;
    public double WindowMax { get; init; } = 1000;

    /// <summary>CT input scaling (evaluation feeds the same window); MR is used as cached.</summary>
    public InputScaling InputScaling => new(WindowMin, WindowMax);

    public void Validate()
    {
        if (Pairs < 1) throw new ArgumentException("sampling.pairs must be >= 1");
        if (CurriculumSteps < 1) throw new ArgumentException("sampling.curriculumSteps must be >= 1");
        foreach (var (k, w) in DatasetWeights)
            if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentException($"sampling.datasetWeights[{k}] must be a finite weight >= 0");
        if (!(AnchorRange >= 0 && AnchorRange <= 1)) throw new ArgumentException("context.anchorRange must be in [0, 1]");
        if (PatchSize < 1 || Planes < 1 || CubeSize < 1) throw new ArgumentException("context: patchSize, planes and cubeSize must be >= 1");
        if (!(PatchSide > 0) || !(PatchDepth >= 0) || !(CubeSide > 0)) throw new ArgumentException("context: patchSide and cubeSide must be > 0, patchDepth >= 0");
        if (!(NormalMin >= 0 && NormalMin <= NormalMax)) throw new ArgumentException("context: need 0 <= normalMin <= normalMax");
        if (!(CubeJitter >= 0)) throw new ArgumentException("context.cubeJitter must be >= 0");
        if (!(WindowMax > WindowMin)) throw new ArgumentException("context: windowMax must exceed windowMin");
        Curriculum.Validate();
    }
}
