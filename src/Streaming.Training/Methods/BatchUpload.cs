using System.Runtime.InteropServices;
using Streaming.Sampling;
using Streaming.Sampling.Pairs;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods;

/// <summary>
/// Moves a batch's host arrays to the training device. On CUDA they are copied into reusable page-locked (pinned)
/// host tensors and sent from there with asynchronous (non_blocking) copies: the GPU's copy engine reads pinned memory
/// directly (pageable memory goes through the driver's own bounce buffer first, at about half the bandwidth), and the
/// host thread does not wait for the copy. A staging tensor is overwritten only by the next step's upload, after the
/// trainer has read this step's loss (.item() waits for the stream the copy was queued on), so the copy that read it
/// has finished. On CPU the arrays are wrapped as before (bitwise-identical results).
/// </summary>
internal sealed class BatchUpload(bool stageOnCpu = false) : IDisposable
{
    private readonly Dictionary<string, Tensor> staging = [];

    /// <summary>Both views of <paramref name="batch"/> as (2N, 1, Z, Y, X) float32 on <paramref name="device"/> (A first, then B).</summary>
    public Tensor Views(string role, float[] a, float[] b, PairBatch batch, Device device)
    {
        var s = batch.PatchShape;
        if (!Stages(device)) return BatchTensors.Views(a, b, batch, device);
        var host = Stage(role, [2L * batch.Pairs, 1, s.Z, s.Y, s.X], ScalarType.Float32, device);
        Fill(host, 0, batch.Pairs, MemoryMarshal.AsBytes(a.AsSpan()));
        Fill(host, batch.Pairs, batch.Pairs, MemoryMarshal.AsBytes(b.AsSpan()));
        return host.to(device, non_blocking: true);
    }

    /// <summary>(2N, M, 3) int64 (z, y, x) on <paramref name="device"/>.</summary>
    public Tensor Positions(PairBatch batch, Device device)
    {
        if (!Stages(device)) return BatchTensors.Positions(batch, device);
        var host = Stage("positions", [2L * batch.Pairs, batch.PositionsPerPair, 3], ScalarType.Int32, device);
        Fill(host, 0, batch.Pairs, MemoryMarshal.AsBytes(batch.PositionsA.AsSpan()));
        Fill(host, batch.Pairs, batch.Pairs, MemoryMarshal.AsBytes(batch.PositionsB.AsSpan()));
        using var onDevice = host.to(device, non_blocking: true);
        return onDevice.to(ScalarType.Int64);
    }

    private bool Stages(Device device) => device.type == DeviceType.CUDA || stageOnCpu;

    /// <summary>The role's staging tensor of that shape, allocated (and pinned on CUDA) once; outside every dispose scope.</summary>
    private Tensor Stage(string role, long[] shape, ScalarType dtype, Device device)
    {
        if (staging.TryGetValue(role, out var t) && t.shape.SequenceEqual(shape) && t.dtype == dtype) return t;
        t?.Dispose();
        var plain = empty(shape, dtype).DetachFromDisposeScope();
        if (device.type == DeviceType.CUDA)
        {
            var pinned = plain.pin_memory().DetachFromDisposeScope();
            plain.Dispose();
            plain = pinned;
        }
        staging[role] = plain;
        return plain;
    }

    /// <summary>Copies <paramref name="bytes"/> into rows [first, first + count) of <paramref name="host"/> (a memcpy).</summary>
    private static void Fill(Tensor host, long first, long count, Span<byte> bytes)
    {
        using var rows = host.narrow(0, first, count);
        if (rows.NumberOfElements * rows.ElementSize != bytes.Length)
            throw new InvalidDataException($"batch array of {bytes.Length} bytes does not fill a staging block of {rows.NumberOfElements} x {rows.ElementSize} bytes");
        rows.bytes = bytes;
    }

    public void Dispose()
    {
        foreach (var t in staging.Values) t.Dispose();
        staging.Clear();
    }
}
