namespace Streaming.Evaluation.Heads;

public enum HeadKind { Linear, NonLinear }

public static class HeadFactory
{
    public static SegmentationHead Create(HeadKind kind, IReadOnlyList<int> levelChannels, int classes) => kind switch
    {
        HeadKind.Linear => new LinearProbeHead(levelChannels, classes),
        HeadKind.NonLinear => new NonLinearHead(levelChannels, classes),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
