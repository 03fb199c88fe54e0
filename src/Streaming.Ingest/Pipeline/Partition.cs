using System.Text;

namespace Streaming.Ingest.Pipeline;

/// <summary>
/// A deterministic 1/N share of the inputs (0-based index, as SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are):
/// a volume belongs to partition FNV-1a(id) mod N, so every worker agrees without talking to the others.
/// </summary>
public readonly record struct Partition(int Index, int Count)
{
    public static readonly Partition All = new(0, 1);

    public static Partition Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var i) || !int.TryParse(parts[1], out var n) || n < 1 || i < 0 || i >= n)
            throw new ArgumentException($"--partition must be i/N with 0 <= i < N, not '{text}'");
        return new Partition(i, n);
    }

    public bool Owns(string key) => Count == 1 || (int)(Fnv1a(key) % (ulong)Count) == Index;

    /// <summary>File-name friendly name, also used for per-partition catalog and failure files.</summary>
    public string Name => Count == 1 ? "all" : $"part-{Index:D4}-of-{Count:D4}";

    public override string ToString() => $"{Index}/{Count}";

    private static ulong Fnv1a(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(s)) { h ^= b; h *= 1099511628211UL; }
        return h;
    }
}
