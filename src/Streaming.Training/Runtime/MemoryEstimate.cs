using System.Globalization;

namespace Streaming.Training.Runtime;

/// <summary>A peak-memory estimate as named parts (what the user can change to shrink each).</summary>
public sealed record MemoryEstimate(IReadOnlyList<MemoryPart> Parts)
{
    public long TotalBytes => Parts.Sum(p => p.Bytes);

    /// <summary>"9.8 GiB (model activations 8.1 GiB: 20 patches of 128x128x32; ...)": the largest parts first.</summary>
    public string Describe() =>
        $"{MemoryLimit.Gib(TotalBytes)} ({string.Join("; ", Parts.OrderByDescending(p => p.Bytes).Select(p => $"{p.Name} {MemoryLimit.Gib(p.Bytes)}: {p.Detail}"))})";
}

public sealed record MemoryPart(string Name, long Bytes, string Detail)
{
    public static string N(double x) => x.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>Thrown before a run starts when its estimated peak memory exceeds the machine's limit (unless forced).</summary>
public sealed class MemoryEstimateException(string message) : InvalidOperationException(message);

/// <summary>Checks an estimate against the limit: refuses (with both numbers and what to change), or warns when forced.</summary>
public static class MemoryCheck
{
    public static void Require(string what, MemoryEstimate estimate, MemoryLimit limit, bool force, string shrink, Action<string> say)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(limit);
        var line = $"{what}: estimated peak memory {estimate.Describe()}; limit: {limit.Describe()}";
        if (estimate.TotalBytes <= limit.LimitBytes)
        {
            say(line);
            return;
        }
        if (force)
        {
            say($"warning: {line}; it does not fit, going on because of --force-memory");
            return;
        }
        throw new MemoryEstimateException($"{what}: estimated peak memory {MemoryLimit.Gib(estimate.TotalBytes)} exceeds the {limit.Describe()} " +
                                          $"({estimate.Describe()}); {shrink}, or pass --force-memory to start anyway");
    }
}
