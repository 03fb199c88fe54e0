using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Losses;

/// <summary>
/// A label map at a coarser U-Net level: each stride³ block takes its majority class (ties to the lower class id), so a
/// small organ keeps its voxels wherever it fills most of a block. Used for the reference labels and the current
/// prediction alike, so "misclassified at this level" compares like with like.
/// </summary>
public static class LevelLabels
{
    /// <param name="labels">(N, D, H, W) int64 in [0, classes); D, H, W multiples of <paramref name="stride"/></param>
    /// <returns>(N, D/s, H/s, W/s) int64</returns>
    public static Tensor Majority(Tensor labels, int classes, int stride)
    {
        if (labels.dim() != 4) throw new ArgumentException("labels must be (N, D, H, W)");
        if (stride < 1) throw new ArgumentException("stride must be >= 1");
        if (stride == 1) return labels.clone();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var shape = labels.shape;
        var onehot = zeros([shape[0], classes, shape[1], shape[2], shape[3]], dtype: ScalarType.Float32, device: labels.device);
        var index = labels.unsqueeze(1);
        onehot.scatter_(1, index, ones(index.shape, dtype: ScalarType.Float32, device: labels.device));
        var share = nn.functional.avg_pool3d(onehot, [stride, stride, stride], [stride, stride, stride]);
        return share.argmax(1).MoveToOuterDisposeScope();
    }
}
