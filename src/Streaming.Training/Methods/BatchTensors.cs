using Streaming.Sampling.Pairs;
using static TorchSharp.torch;

namespace Streaming.Training.Methods;

/// <summary>Turns a <see cref="PairBatch"/> into tensors: both views stacked along the batch axis (A first, then B).</summary>
internal static class BatchTensors
{
    public static void Check(PairBatch b, bool needClean)
    {
        long vox = b.PatchShape.Volume * b.Pairs;
        if (b.ViewsA.Length != vox || b.ViewsB.Length != vox)
            throw new InvalidDataException($"batch {b.Step}: views hold {b.ViewsA.Length}/{b.ViewsB.Length} values, expected {b.Pairs} x {b.PatchShape}");
        long pos = (long)b.Pairs * b.PositionsPerPair * 3;
        if (b.PositionsA.Length != pos || b.PositionsB.Length != pos)
            throw new InvalidDataException($"batch {b.Step}: positions hold {b.PositionsA.Length}/{b.PositionsB.Length} values, expected {pos}");
        if (needClean && (b.CleanA is null || b.CleanB is null || b.CleanA.Length != vox || b.CleanB.Length != vox))
            throw new InvalidDataException($"batch {b.Step}: this method needs un-augmented views (sampling.includeClean: true)");
    }

    /// <summary>(2N, 1, Z, Y, X) float32.</summary>
    public static Tensor Views(float[] a, float[] b, PairBatch batch, Device device)
    {
        var s = batch.PatchShape;
        using var ta = tensor(a, [batch.Pairs, 1, s.Z, s.Y, s.X]);
        using var tb = tensor(b, [batch.Pairs, 1, s.Z, s.Y, s.X]);
        using var both = cat([ta, tb], 0);
        return both.to(device);
    }

    /// <summary>
    /// The rows of gathered voxel features (2 N M, C) that are real positions (<see cref="PairBatch.ValidRows"/>):
    /// <paramref name="reps"/> itself when all are, else a new (2 V, C) tensor that keeps A/B partners aligned.
    /// </summary>
    public static Tensor ValidRows(Tensor reps, PairBatch batch)
    {
        if (batch.ValidRows() is not { } rows) return reps;
        using var index = tensor(rows, [rows.Length], device: reps.device);
        return reps.index_select(0, index);
    }

    /// <summary>(2N, M, 3) int64 (z, y, x).</summary>
    public static Tensor Positions(PairBatch batch, Device device)
    {
        using var ta = tensor(batch.PositionsA, [batch.Pairs, batch.PositionsPerPair, 3]);
        using var tb = tensor(batch.PositionsB, [batch.Pairs, batch.PositionsPerPair, 3]);
        using var both = cat([ta, tb], 0);
        return both.to(ScalarType.Int64, device);
    }
}
