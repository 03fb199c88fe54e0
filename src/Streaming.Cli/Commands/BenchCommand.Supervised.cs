using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Imaging.Volumes;
using Streaming.Bench.Training;
using Streaming.Training.Methods;
using Streaming.Training.Models;

namespace Streaming.Cli.Commands;

public static partial class BenchCommand
{
    /// <summary>`bench supervised`: CPU step time of the voxel-level SimSiam arms (docs/benchmarks.md).</summary>
    private static Command Supervised()
    {
        var width = new Option<int>("--width") { Description = "U-Net base channels (paper 32; CPU study 8)", DefaultValueFactory = _ => 8 };
        var shape = new Option<string>("--shape") { Description = "Volume x,y,z (paper 128,128,64; CPU study 64,64,32)", DefaultValueFactory = _ => "64,64,32" };
        var batch = new Option<int>("--batch") { Description = "Volumes per step (paper 4)", DefaultValueFactory = _ => 4 };
        var arms = new Option<string>("--arms") { Description = "Comma-separated: unet, simsiam-1, simsiam-3, scl-3", DefaultValueFactory = _ => "unet,simsiam-1,simsiam-3,scl-3" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per arm (after one warm-up step)", DefaultValueFactory = _ => 3 };
        var json = CommonOptions.Json();
        var c = new Command("supervised", CommonOptions.WithExamples("CPU step time of the supervised U-Net arms (plain, + class-conditional SimSiam, + SCL)",
            "streaming bench supervised --width 8 --shape 64,64,32 --arms unet,simsiam-3 --json")) { width, shape, batch, arms, threads, steps, json };
        c.SetAction(r =>
        {
            var s = r.GetValue(shape)!.Split(',').Select(int.Parse).ToArray();
            if (s.Length != 3) { Log.Error("--shape needs x,y,z"); return 1; }
            var unet = new CicekUNetOptions { Classes = 9, BaseChannels = r.GetValue(width) };
            Console.Out.WriteLine(SupervisedStepBench.Header);
            var cases = new List<SupervisedBenchCase>();
            foreach (var arm in r.GetValue(arms)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = arm.Split('-');
                var o = new VoxelSimSiamOptions
                {
                    UNet = unet,
                    Auxiliary = parts[0] switch
                    {
                        "unet" => AuxiliaryLoss.None,
                        "simsiam" => AuxiliaryLoss.SimSiam,
                        "scl" => AuxiliaryLoss.Scl,
                        _ => throw new ArgumentException($"unknown arm '{arm}'")
                    },
                    FeatureLevels = parts.Length > 1 ? int.Parse(parts[1]) : 3,
                };
                var result = SupervisedStepBench.Time(o, Int3.FromArray(s), r.GetValue(batch), r.GetValue(threads), 1, r.GetValue(steps), arm);
                Console.Out.WriteLine(SupervisedStepBench.Format(result, cases.FirstOrDefault(x => x.Name == "unet")));
                cases.Add(result);
            }
            if (r.GetValue(json)) JsonSummary.Write(new { command = "bench supervised", ok = true, cases });
            return 0;
        });
        return c;
    }
}
