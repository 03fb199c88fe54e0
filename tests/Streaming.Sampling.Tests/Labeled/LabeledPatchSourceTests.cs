using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Labeled;
using Streaming.Sampling.Sources;
using Streaming.Tests;

namespace Streaming.Sampling.Tests.Labeled;

public class LabeledPatchSourceTests
{
    private static readonly Int3 Shape = new(16, 16, 8);

    /// <summary>Shards of 16x16x8 CT volumes: HU = linear index - 1000 + volume; label 1 in a box, label 3 in another; one unlabeled.</summary>
    private static (IReadOnlyList<ShardVolumeInfo> Infos, Func<ShardVolumeInfo, IShardVolume> Open, Dictionary<string, (float[] Hu, byte[]? Labels)> Truth)
        Cache(TempDir dir)
    {
        var truth = new Dictionary<string, (float[], byte[]?)>();
        var paths = new Dictionary<string, string>();
        var infos = new List<ShardVolumeInfo>();
        for (var v = 0; v < 4; v++)
        {
            var id = $"T/v{v}";
            var g = VolumeGeometry.Axial(Shape, new Vec3(2, 2, 4));
            var image = new Volume<float>(g);
            var body = new Volume<byte>(g);
            var labels = v == 3 ? null : new Volume<byte>(g);
            for (var i = 0; i < image.Data.Length; i++) { image.Data[i] = i - 1000 + v; body.Data[i] = 1; } // unique per volume: a value names its voxel
            if (labels is not null)
                for (var z = 1; z < 4; z++) for (var y = 2 + v; y < 6 + v; y++) for (var x = 3; x < 7; x++) { labels[x, y, z] = 1; labels[x + 6, y + 4, z + 3] = 3; }
            var pre = new ShardInput(image, body, labels, g, g, new CropBox(new Int3(0, 0, 0), Shape), new IntensityStats(-1000, 2000, 0, 1, -1000, 2000, 0, 1));
            var path = dir.Path($"v{v}.arrow");
            var rec = ShardWriter.Write(path, pre, new VolumeRecord
            {
                Id = id, Dataset = "T", Modality = Modality.CT, SourcePaths = [$"{id}.nii.gz"], SourceFingerprint = $"fp{v}", SpecKey = "0123456789abcdef",
            }, new ShardSpec { ChunkShape = new Int3(8, 8, 4), ZstdLevel = 1 });
            paths[id] = path;
            infos.Add(rec.ToInfo());
            truth[id] = (image.Data, labels?.Data);
        }
        return (infos, info => ShardVolume.Open(paths[info.Id]), truth);
    }

    [Fact]
    public void Whole_volumes_come_scaled_with_kept_labels_and_unlabeled_volumes_are_never_drawn()
    {
        using var dir = new TempDir();
        var (infos, open, truth) = Cache(dir);
        var o = new LabeledSamplingOptions { VolumesPerBatch = 2, PatchShape = Shape, KeepLabels = [1], Seed = 3 };
        using var source = new LabeledPatchSource(infos, open, o);
        for (var step = 0; step < 6; step++)
        {
            var b = source.Batch(step);
            Assert.Equal(2, b.VolumeIds.Length);
            Assert.NotEqual(b.VolumeIds[0], b.VolumeIds[1]);
            for (var item = 0; item < 2; item++)
            {
                var (hu, labels) = truth[b.VolumeIds[item]];
                Assert.NotNull(labels); // T/v3 has none
                var n = (int)Shape.Volume;
                for (var i = 0; i < n; i++)
                {
                    Assert.Equal(Math.Clamp((hu[i] + 200) / 450f, 0, 1), b.Images[item * n + i], 5);
                    Assert.Equal(labels![i] == 1 ? 1 : 0, b.Labels[item * n + i]); // label 3 is not kept
                }
            }
        }
        using var again = new LabeledPatchSource(infos, open, o);
        Assert.Equal(source.Batch(4).Images, again.Batch(4).Images);
        Assert.Equal(source.Batch(4).VolumeIds, again.Batch(4).VolumeIds);
    }

    [Fact]
    public void Patches_centre_on_foreground_and_match_the_volume_at_their_origin()
    {
        using var dir = new TempDir();
        var (infos, open, truth) = Cache(dir);
        var patch = new Int3(8, 8, 4);
        using var source = new LabeledPatchSource(infos, open, new LabeledSamplingOptions
        {
            VolumesPerBatch = 3, PatchShape = patch, ForegroundFraction = 1, InputScaling = InputScaling.Identity, Seed = 9,
        });
        var n = (int)patch.Volume;
        for (var step = 0; step < 5; step++)
        {
            var b = source.Batch(step);
            for (var item = 0; item < 3; item++)
            {
                var labels = b.Labels.AsSpan(item * n, n);
                Assert.True(labels.IndexOfAnyExcept((byte)0) >= 0, $"step {step} item {item} holds no foreground");
                // The identity-scaled image identifies the voxel: find the origin from the first value and check every voxel.
                var (hu, lab) = truth[b.VolumeIds[item]];
                var first = Array.IndexOf(hu, b.Images[item * n]);
                var origin = new Int3(first % Shape.X, first / Shape.X % Shape.Y, first / (Shape.X * Shape.Y));
                for (var z = 0; z < patch.Z; z++)
                    for (var y = 0; y < patch.Y; y++)
                        for (var x = 0; x < patch.X; x++)
                        {
                            var src = (int)Shape.Index(origin.X + x, origin.Y + y, origin.Z + z);
                            Assert.Equal(hu[src], b.Images[item * n + (int)patch.Index(x, y, z)]);
                            Assert.Equal(lab![src], b.Labels[item * n + (int)patch.Index(x, y, z)]);
                        }
            }
        }
    }
}
