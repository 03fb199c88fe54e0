using Streaming.Ingest.Formats.Nifti;
using Streaming.Ingest.Volumes;
using Streaming.Tests;

namespace Streaming.Ingest.Tests.Formats.Nifti;

public sealed class NiftiReadBenchmarkTests
{
    [Fact]
    public void Benchmark_runs_on_a_small_synthetic_ct_and_reports_its_sizes()
    {
        using var tmp = new TempDir();
        var path = tmp.Path("ct.nii.gz");
        NiftiReadBenchmark.WriteSyntheticCt(path, new Int3(32, 24, 4));
        var v = NiftiReader.Read(path).Volume;
        Assert.InRange(v[0, 0, 0], -1020f, -980f); // corner: air
        Assert.InRange(v[16, 12, 2], 20f, 60f); // centre: soft tissue

        var r = NiftiReadBenchmark.Run(path, repeats: 1);
        Assert.Equal(new Int3(32, 24, 4), r.Shape);
        Assert.Equal(32 * 24 * 4 * 2, r.VoxelBytes);
        Assert.Equal(new FileInfo(path).Length, r.CompressedBytes);
        Assert.All(new[] { r.DecompressOnlySeconds, r.DecompressToMemorySeconds, r.ReadRawSeconds, r.ReadFloatSeconds }, s => Assert.InRange(s, 0, 10));
        Assert.Contains("INT16", r.ToString());
    }
}
