using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Output;

/// <summary>One case to generate: its id and split in the layout, modality and its own seed (derived from the run seed).</summary>
public sealed record CasePlan(int Index, string Id, string Split, Modality Modality, long Seed, bool Labeled);

/// <summary>A dataset folder layout: which cases exist, and how one is written.</summary>
internal interface ILayoutWriter
{
    /// <summary>Dataset folder inside the output root (FLARE, AMOS, NLST).</summary>
    string DatasetFolder { get; }
    IReadOnlyList<CasePlan> Plan(SynthOptions o);
    SynthCase Write(CasePlan plan, SynthOptions o, CancellationToken ct);
}

internal static class Plans
{
    public static long CaseSeed(long runSeed, int index) => (long)SynthRandom.Hash((ulong)runSeed, (ulong)index);

    /// <summary>A few validation (and test/unlabeled) cases once there are enough cases.</summary>
    public static int Few(int count, int minimum) => count >= minimum ? Math.Max(1, count / 10) : 0;

    public static Modality DrawModality(SynthModality m, long caseSeed) => m switch
    {
        SynthModality.Ct => Modality.CT,
        SynthModality.Mr => Modality.MR,
        _ => new SynthRandom(caseSeed, 0x30D).Chance(0.35) ? Modality.MR : Modality.CT,
    };
}
