using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Losses;

/// <summary>
/// The HEATMAP target of "3-D context feature learning": for an in-plane offset (d1, d2),
/// heat(i, j) = 10 · exp(-15 · [(i/9 - d1)² + (j/9 - d2)²]) for i, j in -9..9, a 19x19 map whose row index is
/// i + 9 and column index j + 9. The loss is the mean squared error against the predicted map.
/// </summary>
public static class OffsetHeatmap
{
    public const int Radius = 9;
    public const int Size = 2 * Radius + 1;
    public const double Amplitude = 10, Sharpness = 15;

    /// <summary>(N, 19, 19) targets for offsets (N, 2) = (d1, d2).</summary>
    public static Tensor Target(Tensor offsets)
    {
        using var scope = NewDisposeScope();
        // Explicit, kept-alive scalars (see Models.Scalars).
        using var radius = Radius.ToScalar();
        using var sharp = (-Sharpness).ToScalar();
        using var amp = Amplitude.ToScalar();
        var grid = arange(-Radius, Radius + 1, dtype: offsets.dtype, device: offsets.device).div(radius); // i/9
        var d1 = offsets[.., 0].unsqueeze(1);
        var d2 = offsets[.., 1].unsqueeze(1);
        var r = grid.unsqueeze(0).add(d1, Models.Scalars.MinusOne).square();   // (N, 19): (i/9 - d1)²
        var c = grid.unsqueeze(0).add(d2, Models.Scalars.MinusOne).square();   // (N, 19): (j/9 - d2)²
        var sum = r.unsqueeze(2).add(c.unsqueeze(1), Models.Scalars.One); // (N, 19, 19)
        return sum.mul(sharp).exp().mul(amp).MoveToOuterDisposeScope();
    }

    public static Tensor Loss(Tensor predicted, Tensor offsets)
    {
        using var target = Target(offsets);
        return nn.functional.mse_loss(predicted, target);
    }

    /// <summary>The offset of each map's maximum, (N, 2): the decoded (d1, d2), on the 1/9 grid.</summary>
    public static Tensor Decode(Tensor maps)
    {
        using var scope = NewDisposeScope();
        using var size = Size.ToScalar();
        using var radius = Radius.ToScalar();
        var flat = maps.reshape(maps.shape[0], -1).argmax(1);
        var row = flat.div(size, rounding_mode: RoundingMode.floor);
        var col = flat.remainder(size);
        return stack([row, col], 1).to(ScalarType.Float32).div(radius).sub(Models.Scalars.One).MoveToOuterDisposeScope();
    }
}
