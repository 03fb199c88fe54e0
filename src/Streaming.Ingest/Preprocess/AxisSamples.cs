namespace Streaming.Ingest.Preprocess;

/// <summary>
/// Where each output sample along one axis reads the input: output o sits at input continuous index
/// u = o * outSpacing / inSpacing (or (n - 1) - that, for an axis that runs backwards), i.e. the first output voxel
/// is centred on the first input voxel.
/// </summary>
internal sealed class AxisSamples
{
    private AxisSamples(int[] i0, int[] i1, float[] w) { I0 = i0; I1 = i1; W = w; }

    public int[] I0 { get; }
    public int[] I1 { get; }
    /// <summary>Fraction towards I1: out = in[I0] + W * (in[I1] - in[I0]), which keeps constant regions exact.</summary>
    public float[] W { get; }
    public int Count => I0.Length;

    /// <summary>Input continuous index of output sample o, clamped to [0, nIn - 1].</summary>
    public static double Position(int o, int nIn, double inSpacing, double outSpacing, bool flipped)
    {
        var t = o * outSpacing / inSpacing;
        var u = flipped ? nIn - 1 - t : t;
        return Math.Clamp(u, 0, nIn - 1);
    }

    /// <summary>Linear interpolation weights (W == 0 exactly on input samples).</summary>
    public static AxisSamples Linear(int nIn, double inSpacing, int nOut, double outSpacing, bool flipped)
    {
        var i0 = new int[nOut]; var i1 = new int[nOut];
        var w = new float[nOut];
        for (var o = 0; o < nOut; o++)
        {
            var u = Position(o, nIn, inSpacing, outSpacing, flipped);
            var lo = (int)Math.Floor(u);
            if (lo >= nIn - 1) { i0[o] = i1[o] = nIn - 1; continue; }
            i0[o] = lo; i1[o] = lo + 1;
            w[o] = (float)(u - lo);
        }
        return new AxisSamples(i0, i1, w);
    }

    /// <summary>Nearest input index per output sample (ties round up, as ITK's nearest-neighbour interpolator).</summary>
    public static int[] Nearest(int nIn, double inSpacing, int nOut, double outSpacing, bool flipped)
    {
        var idx = new int[nOut];
        for (var o = 0; o < nOut; o++)
            idx[o] = Math.Clamp((int)Math.Floor(Position(o, nIn, inSpacing, outSpacing, flipped) + 0.5), 0, nIn - 1);
        return idx;
    }

    /// <summary>
    /// Linear weights of a resize from nIn to nOut samples over the same extent (corners kept, half-voxel centres:
    /// u = (o + 0.5) nIn / nOut - 0.5, clamped to [0, nIn - 1]), as ITK/MONAI resizing and torch's trilinear
    /// interpolate with align_corners=False do.
    /// </summary>
    public static AxisSamples Resize(int nIn, int nOut)
    {
        var i0 = new int[nOut]; var i1 = new int[nOut];
        var w = new float[nOut];
        for (var o = 0; o < nOut; o++)
        {
            var u = ResizePosition(o, nIn, nOut);
            var lo = (int)Math.Floor(u);
            if (lo >= nIn - 1) { i0[o] = i1[o] = nIn - 1; continue; }
            i0[o] = lo; i1[o] = lo + 1;
            w[o] = (float)(u - lo);
        }
        return new AxisSamples(i0, i1, w);
    }

    /// <summary>Nearest input index per output sample of the same resize: the input voxel whose extent holds the output centre.</summary>
    public static int[] NearestResize(int nIn, int nOut)
    {
        var idx = new int[nOut];
        for (var o = 0; o < nOut; o++) idx[o] = Math.Clamp((int)Math.Floor((o + 0.5) * nIn / nOut), 0, nIn - 1);
        return idx;
    }

    private static double ResizePosition(int o, int nIn, int nOut) => Math.Clamp((o + 0.5) * nIn / nOut - 0.5, 0, nIn - 1);

    /// <summary>True when the axis is a plain copy (same length, unit steps, not reversed).</summary>
    public bool IsIdentity(int nIn)
    {
        if (Count != nIn) return false;
        for (var o = 0; o < Count; o++) if (I0[o] != o || W[o] != 0) return false;
        return true;
    }
}
