using Streaming.Evaluation.Protocols;

namespace Streaming.Evaluation.Reports;

/// <summary>
/// Horizontal bar chart of Dice per class (one bar per arm, mean over folds, with a whisker of ± one std), the mean over
/// classes last, a legend on top and grid lines at 0.25 steps.
/// </summary>
public static class DiceChart
{
    internal static readonly (byte, byte, byte)[] Palette =
    [
        (31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189), (140, 86, 75), (227, 119, 194), (127, 127, 127),
    ];
    internal static readonly (byte, byte, byte) Ink = (0, 0, 0), Grid = (220, 220, 220);

    public const int LabelWidth = 150, PlotWidth = 500, Bar = 8, Gap = 8, Top = 16;

    public static void Write(string path, EvaluationResult r) => Render(r).Save(path);

    internal static Canvas Render(EvaluationResult r)
    {
        var arms = r.Arms;
        var rows = r.Labels.Count + 1;
        var legend = Top + arms.Count * 12 + 8;
        var group = arms.Count * Bar + Gap;
        var height = legend + rows * group + 24;
        var width = LabelWidth + PlotWidth + 40;
        var c = new Canvas(width, height);
        PixelFont.Draw(c, 4, 4, "DICE PER CLASS (MEAN OVER FOLDS)", Ink);
        for (var a = 0; a < arms.Count; a++)
        {
            c.Fill(LabelWidth, Top + a * 12, 8, 8, Palette[a % Palette.Length]);
            PixelFont.Draw(c, LabelWidth + 12, Top + a * 12 + 1, arms[a].Arm, Ink);
        }
        var plotBottom = legend + rows * group;
        for (var t = 0; t <= 4; t++)
        {
            var x = LabelWidth + t * PlotWidth / 4;
            c.Fill(x, legend - 2, 1, plotBottom - legend + 4, Grid);
            var tick = (t / 4.0).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
            PixelFont.Draw(c, x - PixelFont.Measure(tick) / 2, plotBottom + 6, tick, Ink);
        }
        for (var row = 0; row < rows; row++)
        {
            var y0 = legend + row * group;
            var name = row < r.Labels.Count ? arms[0].Classes[row].Name : "MEAN";
            if (name.Length > 24) name = name[..24];
            PixelFont.Draw(c, LabelWidth - 6 - PixelFont.Measure(name), y0 + (arms.Count * Bar - PixelFont.Height) / 2, name, Ink);
            for (var a = 0; a < arms.Count; a++)
            {
                var m = row < r.Labels.Count ? arms[a].Classes[row].Dice : arms[a].MeanDice;
                if (m.N == 0) continue;
                var y = y0 + a * Bar;
                var len = (int)Math.Round(Math.Clamp(m.Mean, 0, 1) * PlotWidth);
                c.Fill(LabelWidth, y, len, Bar - 1, Palette[a % Palette.Length]);
                if (m.Std > 0)
                {
                    int lo = LabelWidth + (int)Math.Round(Math.Clamp(m.Mean - m.Std, 0, 1) * PlotWidth);
                    int hi = LabelWidth + (int)Math.Round(Math.Clamp(m.Mean + m.Std, 0, 1) * PlotWidth);
                    c.Fill(lo, y + Bar / 2 - 1, hi - lo + 1, 1, Ink);
                }
            }
        }
        c.Fill(LabelWidth, legend - 2, 1, plotBottom - legend + 4, Ink);
        return c;
    }
}
