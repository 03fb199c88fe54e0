using Streaming.Evaluation.Metrics;

namespace Streaming.Evaluation.Comparison;

/// <summary>
/// One (row, column) cell of a split: the mean Dice over its units (unit = one held-out volume under one pre-training
/// seed, one evaluation seed and one fold or hold-out split), the spread of the per-pre-training-seed means, the counts,
/// and the paired per-volume difference to <see cref="Reference"/> (null for a reference row or when nothing pairs).
/// </summary>
public sealed record ComparisonCell(string Row, string Column, string? Reference, double MeanDice, int Units, int Volumes, int PretrainSeeds,
    int EvalSeeds, double SeedMin, double SeedMax, PairedDifference? Difference);

/// <summary>Mean Dice per class (columns of <see cref="Labels"/>) of each row in one protocol column; NaN where a row never saw the class.</summary>
public sealed record ClassTable(string Column, IReadOnlyList<ClassLabel> Labels, IReadOnlyList<ClassRow> Rows);

public sealed record ClassLabel(int Label, string Name);

public sealed record ClassRow(string Row, IReadOnlyList<double> Dice);

/// <summary>Everything compared on one split (e.g. in-domain, contrast transfer): rows and columns in display order.</summary>
public sealed record ComparisonSplit(string Split, IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, IReadOnlyList<ComparisonCell> Cells,
    IReadOnlyList<ClassTable> Classes)
{
    public ComparisonCell? Cell(string row, string column) => Cells.FirstOrDefault(c => c.Row == row && c.Column == column);
}

/// <summary>The comparison of every run of a manifest, with the sentence that says how the numbers are computed.</summary>
public sealed record ComparisonResult(IReadOnlyList<ComparisonSplit> Splits, string HowComputed, double Level);
