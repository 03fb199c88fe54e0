using Streaming.Tests;
using Streaming.Training.Logging;

namespace Streaming.Training.Tests;

public class MetricsFileTests
{
    [Fact]
    public void Reads_the_camelCase_lines_and_the_snake_case_lines_of_older_runs()
    {
        using var t = new TempDir();
        File.WriteAllText(t.Path("metrics.jsonl"),
            """{"step":10,"loss":4.5,"lr":0.0003,"steps_per_s":2.5,"data_wait_fraction":0.1,"rss_mb":900,"peak_rss_mb":950,"gpu_mb":null,"elapsed_s":4.0,"loss_mse":0.25,"gpu_peak_mb":300,"step_ms":{"forward":12.5}}""" + "\n" +
            """{"step":20,"loss":4.25,"lr":0.0003,"stepsPerSecond":3.5,"dataWaitFraction":0.05,"rssMb":910,"peakRssMb":960,"gpuMb":120,"elapsedSeconds":7.0,"lossParts":{"mse":0.2},"gpuPeakMb":310,"stepMs":{"forward":11.5}}""" + "\n" +
            """{"step":30,"lo""");
        var p = MetricsFile.Read(t.Path("metrics.jsonl"));
        Assert.Equal(2, p.Count);
        Assert.Equal((10L, 2.5, 0.1, 900L, 4.0, 0.25), (p[0].Step, p[0].StepsPerSecond, p[0].DataWaitFraction, p[0].RssMb, p[0].ElapsedSeconds, p[0].LossParts["mse"]));
        Assert.Null(p[0].GpuMb);
        Assert.Equal((300L, 12.5, 310L, 11.5), (p[0].GpuPeakMb!.Value, p[0].StepMs!["forward"], p[1].GpuPeakMb!.Value, p[1].StepMs!["forward"]));
        Assert.Equal((20L, 3.5, 0.05, 960L, 120L, 0.2), (p[1].Step, p[1].StepsPerSecond, p[1].DataWaitFraction, p[1].PeakRssMb, p[1].GpuMb!.Value, p[1].LossParts["mse"]));
    }

    [Fact]
    public void The_training_log_writes_camelCase_keys_only()
    {
        using var t = new TempDir();
        using (var log = new TrainingLog(t.Path("run")))
            log.Metrics(new StepMetrics(5, 10, 1.5, new Dictionary<string, double> { ["mse"] = 0.5 }, 1e-3, 2, 0.25, 100 << 20, 120 << 20, null, 3,
                GpuPeakBytes: 200L << 20, PhaseMs: new Dictionary<string, double> { ["backward"] = 4.5 }));
        var line = File.ReadAllLines(t.Path("run", "metrics.jsonl")).Single();
        Assert.DoesNotContain("_", line.Replace("\"lossParts\"", ""));
        var p = Assert.Single(MetricsFile.Read(t.Path("run", "metrics.jsonl")));
        Assert.Equal((5L, 1.5, 2.0, 0.25, 100L, 0.5), (p.Step, p.Loss, p.StepsPerSecond, p.DataWaitFraction, p.RssMb, p.LossParts["mse"]));
        Assert.Equal((200L, 4.5), (p.GpuPeakMb!.Value, p.StepMs!["backward"]));
    }
}
