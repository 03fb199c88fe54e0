using System.Collections.Concurrent;
using System.Diagnostics;
using Streaming.Synth.Output;

namespace Streaming.Synth;

/// <summary>Entry point of <c>streaming synth</c>: plans the cases of a layout, generates them in parallel, writes faults.</summary>
public static class SynthRunner
{
    public static SynthReport Run(SynthOptions o, IProgress<SynthProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.Validate();
        var sw = Stopwatch.StartNew();
        var layout = Layout(o.Layout);
        var plans = layout.Plan(o);
        var datasetDir = Path.Combine(o.OutputDir, layout.DatasetFolder);
        if (o.Clean)
        {
            if (Directory.Exists(datasetDir)) Directory.Delete(datasetDir, recursive: true);
            // File.Delete ignores a missing file but not a missing folder: --clean into a new --out must work.
            if (Directory.Exists(o.OutputDir)) File.Delete(Path.Combine(o.OutputDir, CorruptWriter.ManifestName));
        }
        Directory.CreateDirectory(datasetDir);
        var done = new ConcurrentBag<SynthCase>();
        var finished = 0;
        Parallel.ForEach(plans, new ParallelOptions { MaxDegreeOfParallelism = o.Parallelism, CancellationToken = ct }, plan =>
        {
            var c = layout.Write(plan, o, ct);
            done.Add(c);
            progress?.Report(new SynthProgress(Interlocked.Increment(ref finished), plans.Count, c.Id));
        });
        IReadOnlyList<SynthFault> faults = [];
        string? manifest = null;
        if (o.Corrupt) (faults, manifest) = CorruptWriter.Write(o, ct);
        var order = plans.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return new SynthReport(done.OrderBy(c => order[c.Id]).ToList(), faults, manifest, sw.Elapsed.TotalSeconds);
    }

    /// <summary>The cases a run would write, without writing anything (for dry runs and tests).</summary>
    public static IReadOnlyList<CasePlan> Plan(SynthOptions o)
    {
        o.Validate();
        return Layout(o.Layout).Plan(o);
    }

    private static ILayoutWriter Layout(SynthLayout l) => l switch
    {
        SynthLayout.Flare => new FlareLayout(),
        SynthLayout.Amos => new AmosLayout(),
        _ => new NlstLayout(),
    };
}
