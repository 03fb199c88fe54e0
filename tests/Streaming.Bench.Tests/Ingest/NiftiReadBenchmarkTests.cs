using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Tests;
using Streaming.Bench.Ingest;

namespace Streaming.Bench.Tests.Ingest;

public sealed class NiftiReadBenchmarkTests
{
    [Fact]
    public void Benchmark_runs_on_a_small_phantom_ct_and_reports_its_sizes()
    {
        using var tmp = new TempDir();
        var path = tmp.Path("ct.nii.gz");
        // 16 mm voxels: a 32x24 slice spans 512x384 mm, the whole trunk and air around it.
        NiftiReadBenchmark.WritePhantomCt(path, new Int3(32, 24, 4), spacing: new Vec3(16, 16, 10));
        var v = NiftiReader.Read(path).Volume;
        Assert.InRange(v[0, 0, 0], -2100f, -900f); // corner: air or outside the reconstruction circle
        Assert.InRange(v[16, 12, 2], -200f, 1500f); // centre: the body

        var r = NiftiReadBenchmark.Run(path, repeats: 1);
        Assert.Equal(new Int3(32, 24, 4), r.Shape);
        Assert.Equal(32 * 24 * 4 * 2, r.VoxelBytes);
        Assert.Equal(new FileInfo(path).Length, r.CompressedBytes);
        Assert.All(new[] { r.DecompressOnlySeconds, r.DecompressToMemorySeconds, r.ReadRawSeconds, r.ReadFloatSeconds }, s => Assert.InRange(s, 0, 10));
        Assert.Contains("INT16", r.ToString());
    }
}
