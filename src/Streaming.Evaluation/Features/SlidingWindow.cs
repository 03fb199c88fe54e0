using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Features;

/// <summary>Sliding-window settings: window (x, y, z) voxels, rounded up to the backbone's stride; 0.5 = 50% overlap.</summary>
public sealed record SlidingWindow
{
    public Int3 Window { get; init; } = new(64, 64, 32);
    public double Overlap { get; init; } = 0.5;

    public void Validate()
    {
        if (!Window.AllPositive) throw new ArgumentException($"sliding window {Window} must be positive");
        if (!(Overlap >= 0 && Overlap < 1)) throw new ArgumentException($"sliding window overlap {Overlap} must be in [0, 1)");
    }

    /// <summary>
    /// Window starts along one axis of padded length n for window w (both multiples of stride): steps of
    /// w*(1-overlap) rounded down to the stride (at least one stride), the last window flush with the end.
    /// </summary>
    public static IReadOnlyList<int> Starts(int n, int w, double overlap, int stride)
    {
        if (n <= w) return [0];
        var step = Math.Max(stride, (int)(w * (1 - overlap)) / stride * stride);
        var starts = new List<int>();
        for (var s = 0; s + w < n; s += step) starts.Add(s);
        starts.Add(n - w);
        return starts;
    }
}
