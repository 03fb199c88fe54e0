using Streaming.Evaluation.Data;
using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Slices;

/// <summary>
/// One labeled volume prepared for slice training: labels outside the kept set zeroed, and per axial slice the
/// foreground classes it shows, so slices of a class can be drawn directly.
/// </summary>
internal sealed class SliceCase
{
    public SliceCase(LabeledCase c, IReadOnlyList<int> keep)
    {
        Case = c;
        var s = c.Shape;
        Labels = Keep(c.Labels.Data, keep);
        var byClass = new Dictionary<int, List<int>>();
        int plane = s.X * s.Y;
        for (var z = 0; z < s.Z; z++)
        {
            var seen = new bool[256];
            foreach (var v in Labels.AsSpan(z * plane, plane)) seen[v] = true;
            for (var l = 1; l < 256; l++)
                if (seen[l]) (byClass.TryGetValue(l, out var list) ? list : byClass[l] = []).Add(z);
        }
        SlicesOf = byClass.OrderBy(kv => kv.Key).Select(kv => kv.Value.ToArray()).ToArray();
    }

    public LabeledCase Case { get; }
    public Int3 Shape => Case.Shape;
    /// <summary>Label map with only the kept labels.</summary>
    public byte[] Labels { get; }
    /// <summary>Per foreground class present (in label order): the slices that show it.</summary>
    public int[][] SlicesOf { get; }

    public static byte[] Keep(byte[] labels, IReadOnlyList<int> keep)
    {
        if (keep.Count == 0) return labels;
        var map = new byte[256];
        foreach (var l in keep) map[l] = (byte)l;
        var result = new byte[labels.Length];
        for (var i = 0; i < labels.Length; i++) result[i] = map[labels[i]];
        return result;
    }
}
