using Streaming.Evaluation.Metrics;

namespace Streaming.Evaluation.Comparison;

/// <summary>
/// One held-out volume scored under one arm, pre-training seed, evaluation seed and fold (or hold-out split), with its
/// score (<see cref="Protocols.CaseScoring.VolumeDice"/>) and, once paired, its reference unit's score (NaN: none).
/// </summary>
public sealed record ComparisonUnit(string Split, ArmPlace Place, string PretrainSeed, string EvalSeed, int Fold, string CaseId, double Dice,
    IReadOnlyList<ClassMetrics> Classes)
{
    public double ReferenceDice { get; init; } = double.NaN;
}
