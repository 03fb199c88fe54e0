using System.Globalization;
using Streaming.Evaluation.Reports;

namespace Streaming.Evaluation.Comparison;

/// <summary>
/// comparison.png: one panel per split and protocol column; per row a bar of its mean Dice (0..1) and, on the right,
/// its paired difference to the reference as a dot with the confidence interval as whisker around a zero line (one
/// symmetric scale for the whole figure). Drawn with the report's <see cref="Canvas"/>, <see cref="PixelFont"/> and palette.
/// </summary>
public static class ComparisonChart
{
    private const int LabelWidth = 170, DiceWidth = 240, Gap = 40, DeltaWidth = 240, Row = 11, Title = 14, Header = 40;
    private const int DeltaLeft = LabelWidth + DiceWidth + Gap;

    public static void Write(string path, ComparisonResult r) => Render(r).Save(path);

    internal static Canvas Render(ComparisonResult r)
    {
        var panels = r.Splits.SelectMany(s => s.Columns.Select(c => (Split: s, Column: c, Cells: s.Cells.Where(x => x.Column == c).ToList()))).ToList();
        var scale = DeltaScale(r);
        var height = Header + panels.Sum(p => Title + p.Cells.Count * Row + 10) + 10;
        var c = new Canvas(DeltaLeft + DeltaWidth + 20, height);
        var ink = DiceChart.Ink;
        PixelFont.Draw(c, 4, 4, $"MEAN DICE (BAR) - PAIRED DIFFERENCE TO THE REFERENCE: DOT WITH {r.Level * 100:0.#} PCT CI", ink);
        Tick(c, LabelWidth, "0"); Tick(c, LabelWidth + DiceWidth / 2, "0.5"); Tick(c, LabelWidth + DiceWidth, "1");
        Tick(c, DeltaLeft, Text(-scale)); Tick(c, DeltaLeft + DeltaWidth / 2, "0"); Tick(c, DeltaLeft + DeltaWidth, Text(scale));
        var y = Header;
        foreach (var (split, column, cells) in panels)
        {
            PixelFont.Draw(c, 4, y + 2, $"{split.Split}: {column}", ink);
            y += Title;
            var bottom = y + cells.Count * Row;
            foreach (var x in new[] { LabelWidth + DiceWidth / 2, LabelWidth + DiceWidth, DeltaLeft, DeltaLeft + DeltaWidth })
                c.Fill(x, y - 2, 1, bottom - y + 4, DiceChart.Grid);
            c.Fill(LabelWidth, y - 2, 1, bottom - y + 4, ink);
            c.Fill(DeltaLeft + DeltaWidth / 2, y - 2, 1, bottom - y + 4, ink);
            foreach (var cell in cells)
            {
                var color = DiceChart.Palette[split.Rows.ToList().IndexOf(cell.Row) % DiceChart.Palette.Length];
                var name = cell.Row.Length > 27 ? cell.Row[..27] : cell.Row;
                PixelFont.Draw(c, LabelWidth - 6 - PixelFont.Measure(name), y + 1, name, ink);
                if (double.IsFinite(cell.MeanDice)) c.Fill(LabelWidth + 1, y + 1, (int)Math.Round(Math.Clamp(cell.MeanDice, 0, 1) * DiceWidth), Row - 3, color);
                if (cell.Difference is { } d && double.IsFinite(d.Mean))
                {
                    if (double.IsFinite(d.Lower) && double.IsFinite(d.Upper))
                    {
                        int lo = DeltaX(d.Lower, scale), hi = DeltaX(d.Upper, scale);
                        c.Fill(lo, y + Row / 2 - 1, hi - lo + 1, 1, ink);
                        c.Fill(lo, y + 2, 1, Row - 5, ink);
                        c.Fill(hi, y + 2, 1, Row - 5, ink);
                    }
                    c.Fill(DeltaX(d.Mean, scale) - 2, y + Row / 2 - 3, 5, 5, color);
                }
                y += Row;
            }
            y += 10;
        }
        return c;
    }

    /// <summary>The largest |bound| over the figure, rounded up to 0.05 (at least 0.05), so all panels share one scale.</summary>
    private static double DeltaScale(ComparisonResult r)
    {
        var bounds = r.Splits.SelectMany(s => s.Cells).Select(c => c.Difference).Where(d => d is not null)
            .SelectMany(d => new[] { d!.Mean, d.Lower, d.Upper }).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        return Math.Max(0.05, Math.Ceiling(bounds / 0.05 - 1e-9) * 0.05);
    }

    private static int DeltaX(double v, double scale) => DeltaLeft + (int)Math.Round((Math.Clamp(v / scale, -1, 1) + 1) / 2 * DeltaWidth);

    private static void Tick(Canvas c, int x, string text) => PixelFont.Draw(c, x - PixelFont.Measure(text) / 2, 22, text, DiceChart.Ink);

    private static string Text(double v) => v.ToString("+0.00;-0.00;0", CultureInfo.InvariantCulture);
}
