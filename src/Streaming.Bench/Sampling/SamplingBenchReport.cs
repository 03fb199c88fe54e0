using System.Globalization;
using System.Text;
using Streaming.Bench.Ingest;

namespace Streaming.Bench.Sampling;

public sealed record SamplingBenchReport(string Setup, IReadOnlyList<BenchRow> Rows)
{
    public double Value(string name) => Rows.First(r => r.Name == name).Value;

    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Setup);
        var w = Math.Max(10, Rows.Max(r => r.Name.Length));
        sb.AppendLine($"{"measure".PadRight(w)}  {"value",12}  {"unit",-12}  note");
        sb.AppendLine(new string('-', w + 2 + 12 + 2 + 12 + 2 + 30));
        foreach (var r in Rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name.PadRight(w)}  {r.Value,12:G4}  {r.Unit,-12}  {r.Note}"));
        return sb.ToString();
    }
}
