using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Tests;

/// <summary>Per-label statistics measured on label interiors (voxels whose six neighbours share the label), so
/// partial-volume blur at organ borders does not blur what the tests check: that labels and intensities agree.</summary>
internal static class LabelStats
{
    public static (double Mean, long Count) InteriorMean(Volume<float> image, Volume<byte> labels, byte label)
    {
        var n = labels.Shape; var l = labels.Data; var v = image.Data;
        double sum = 0; long count = 0;
        for (var z = 1; z < n.Z - 1; z++)
            for (var y = 1; y < n.Y - 1; y++)
                for (var x = 1; x < n.X - 1; x++)
                {
                    var i = n.Index(x, y, z);
                    if (l[i] != label) continue;
                    if (l[i - 1] != label || l[i + 1] != label || l[i - n.X] != label || l[i + n.X] != label
                        || l[i - (long)n.X * n.Y] != label || l[i + (long)n.X * n.Y] != label) continue;
                    sum += v[i]; count++;
                }
        return (count > 0 ? sum / count : double.NaN, count);
    }

    public static long Count(Volume<byte> labels, byte label) => labels.Data.LongCount(b => b == label);
}
