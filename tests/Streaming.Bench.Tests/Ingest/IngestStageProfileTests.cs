using Streaming.Bench.Ingest;
using Streaming.Shards.Specs;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Synth;
using Streaming.Imaging.Volumes;
using Streaming.Tests;
using Streaming.Shards.Format;

namespace Streaming.Bench.Tests.Ingest;

// The profile reads the process-wide allocation counter: other tests of this assembly must not run beside it.
[CollectionDefinition(nameof(IngestStageProfileTests), DisableParallelization = true)]
public sealed class ProcessWideCounters;

[Collection(nameof(IngestStageProfileTests))]
public class IngestStageProfileTests
{
    [Fact]
    public void Profile_reports_every_stage_once_per_volume_and_the_allocations_it_saw()
    {
        using var tmp = new TempDir();
        var src = Path.Combine(tmp.Root, "in", "a.nii.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(src)!);
        NiftiWriter.Write(src, GridPhantom.Generate(new Int3(40, 40, 20), new Vec3(2, 2, 2), seed: 1).Image, new NiftiWriteOptions { DataType = NiftiDataType.Int16 });
        var spec = new PreprocessSpec
        {
            Name = "test-2mm", Modality = Modality.CT, TargetSpacing = new Vec3(2, 2, 2),
            Intensity = new IntensitySpec(), Body = new BodySpec { MinBodyMl = 1 },
            Crop = new CropSpec { MinShape = new Int3(16, 16, 8) }, Shard = new ShardSpec { ChunkShape = new Int3(16, 16, 8), ZstdLevel = 1 },
        };

        var rows = IngestStageProfile.Run([src], spec, tmp.Root, rounds: 2);

        Assert.Equal(
            ["read + decompress only (ReadRaw)", "read (NiftiReader.Read → float)", "preprocess", "write shard",
             "  preprocess: intensity", "  preprocess: resample", "  preprocess: body", "  preprocess: crop", "  preprocess: stats"],
            rows.Select(r => r.Stage));
        var byStage = rows.ToDictionary(r => r.Stage);
        // ReadRaw allocates the 40x40x20 int16 voxels (32,000 bytes), Read their float32 copy (64,000 bytes).
        Assert.InRange(byStage["read + decompress only (ReadRaw)"].AllocatedMb, 0.032, 1.0);
        Assert.InRange(byStage["read (NiftiReader.Read → float)"].AllocatedMb, 0.064, 1.0);
        Assert.All(rows.Take(4), r => Assert.True(r.WallMs > 0 && r.CpuMs >= 0));
        Assert.True(File.Exists(Path.Combine(tmp.Root, "profile", "v.arrow")));
    }
}
