using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Specs;

public class ContextSpecTests
{
    [Fact]
    public void Ct_1_5iso_is_the_papers_common_crop_at_1_5_mm()
    {
        var s = SpecLoader.Load(Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-1.5iso.yaml"));
        Assert.Equal(new Vec3(1.5, 1.5, 1.5), s.TargetSpacing);
        var e = s.Crop.FixedExtentMm!.Value;
        // 243 x 176 x 293 voxels (LR-AP-SI), the crop "3-D context feature learning" reports.
        Assert.Equal(new Vec3(243, 176, 293), new Vec3(e.X / 1.5, e.Y / 1.5, e.Z / 1.5));
    }
}
