using System.Numerics;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>A body mask (1 = body) and its voxel count.</summary>
public sealed record BodyMaskResult(Volume<byte> Mask, long BodyVoxels)
{
    public double BodyMl => BodyVoxels * Mask.Geometry.Spacing.X * Mask.Geometry.Spacing.Y * Mask.Geometry.Spacing.Z / 1000.0;
}

/// <summary>
/// Body = NOT(air connected to the border), air = value &lt; threshold. Air enclosed by tissue (lungs, bowel gas,
/// sinuses) is therefore body. <see cref="BodyFill.Volume"/>: 6-connected in 3-D to any face of the volume;
/// <see cref="BodyFill.AxialSlices"/>: 4-connected within each axial slice to that slice's edge.
/// The fill is an iterative scanline fill over a byte mask: each popped seed floods its whole x run with vectorised
/// span operations and pushes one seed per air run in the neighbouring rows (2 in-plane, plus 2 across slices in 3-D).
/// </summary>
public static class BodyMask
{
    private const byte Tissue = 0, Air = 1, Outside = 2;

    public static BodyMaskResult Compute(Volume<float> image, double airThreshold, BodyFill fill = BodyFill.AxialSlices,
        CancellationToken ct = default)
    {
        var n = image.Shape;
        if (n.Volume > int.MaxValue) throw new InvalidDataException($"volume {n} too large for the body mask");
        var state = new byte[n.Volume];
        Classify(image.Data, (float)airThreshold, state);
        var outside = Fill(state, n, fill == BodyFill.Volume, ct);
        ToMask(state);
        return new BodyMaskResult(new Volume<byte>(image.Geometry, state), n.Volume - outside);
    }

    /// <summary>state = value &lt; threshold ? Air : Tissue, 4 float vectors narrowed to one byte vector at a time.</summary>
    private static void Classify(ReadOnlySpan<float> v, float threshold, Span<byte> state)
    {
        var i = 0;
        var wf = Vector<float>.Count;
        var wb = Vector<byte>.Count; // == 4 * wf
        if (Vector.IsHardwareAccelerated)
        {
            var t = new Vector<float>(threshold);
            var one = new Vector<byte>(Air);
            for (; i <= v.Length - wb; i += wb)
            {
                var m0 = Vector.LessThan(new Vector<float>(v.Slice(i, wf)), t);
                var m1 = Vector.LessThan(new Vector<float>(v.Slice(i + wf, wf)), t);
                var m2 = Vector.LessThan(new Vector<float>(v.Slice(i + 2 * wf, wf)), t);
                var m3 = Vector.LessThan(new Vector<float>(v.Slice(i + 3 * wf, wf)), t);
                var s01 = Vector.Narrow(m0, m1);
                var s23 = Vector.Narrow(m2, m3);
                var b = Vector.AsVectorByte(Vector.Narrow(s01, s23));
                (b & one).CopyTo(state.Slice(i, wb));
            }
        }
        for (; i < v.Length; i++) state[i] = v[i] < threshold ? Air : Tissue;
    }

    /// <summary>Marks border-connected air Outside; returns how many voxels it marked.</summary>
    private static long Fill(byte[] state, Int3 n, bool volume, CancellationToken ct)
    {
        int nx = n.X, ny = n.Y, nz = n.Z;
        var stack = new SeedStack();
        // Seeds: every air run in the border rows (y faces, and in 3-D the z faces); the x faces are each row's ends.
        for (var z = 0; z < nz; z++)
            for (var y = 0; y < ny; y++)
            {
                var row = (z * ny + y) * nx;
                if (y == 0 || y == ny - 1 || (volume && (z == 0 || z == nz - 1))) PushRuns(state, row, 0, nx - 1, stack);
                else
                {
                    if (state[row] == Air) stack.Push(row);
                    if (state[row + nx - 1] == Air) stack.Push(row + nx - 1);
                }
            }

        long filled = 0;
        var pops = 0;
        while (stack.TryPop(out var p))
        {
            if (state[p] != Air) continue;
            if ((++pops & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            var rowIndex = p / nx;
            var row = rowIndex * nx;
            var x = p - row;
            var rowSpan = state.AsSpan(row, nx);
            // Extend the run left and right over unvisited air.
            var left = rowSpan[..x].LastIndexOfAnyExcept(Air) + 1;
            var rightRel = rowSpan[x..].IndexOfAnyExcept(Air);
            var right = rightRel < 0 ? nx - 1 : x + rightRel - 1;
            rowSpan[left..(right + 1)].Fill(Outside);
            filled += right - left + 1;

            var y = rowIndex % ny;
            var z = rowIndex / ny;
            if (y > 0) PushRuns(state, row - nx, left, right, stack);
            if (y < ny - 1) PushRuns(state, row + nx, left, right, stack);
            if (!volume) continue;
            if (z > 0) PushRuns(state, row - nx * ny, left, right, stack);
            if (z < nz - 1) PushRuns(state, row + nx * ny, left, right, stack);
        }
        return filled;
    }

    /// <summary>Pushes the first voxel of every run of unvisited air in row[from..to].</summary>
    private static void PushRuns(byte[] state, int row, int from, int to, SeedStack stack)
    {
        var span = state.AsSpan(row + from, to - from + 1);
        var offset = row + from;
        while (!span.IsEmpty)
        {
            var start = span.IndexOf(Air);
            if (start < 0) return;
            stack.Push(offset + start);
            var len = span[start..].IndexOfAnyExcept(Air);
            if (len < 0) return;
            span = span[(start + len)..];
            offset += start + len;
        }
    }

    /// <summary>In place: Outside → 0, Tissue or enclosed Air → 1.</summary>
    private static void ToMask(Span<byte> state)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<byte>.Count;
            var two = new Vector<byte>(Outside);
            var one = Vector<byte>.One;
            for (; i <= state.Length - w; i += w)
            {
                var s = state.Slice(i, w);
                Vector.AndNot(one, Vector.Equals(new Vector<byte>(s), two)).CopyTo(s);
            }
        }
        for (; i < state.Length; i++) state[i] = state[i] == Outside ? (byte)0 : (byte)1;
    }

    /// <summary>A growable int stack (no recursion, no per-push allocation).</summary>
    private sealed class SeedStack
    {
        private int[] _items = new int[4096];
        private int _count;

        public void Push(int v)
        {
            if (_count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
            _items[_count++] = v;
        }

        public bool TryPop(out int v)
        {
            if (_count == 0) { v = 0; return false; }
            v = _items[--_count];
            return true;
        }
    }
}
