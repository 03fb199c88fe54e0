using Streaming.Sampling.Augment;

namespace Streaming.Sampling;

/// <summary>
/// How cached intensities become network input: clip to [Lower, Upper] and scale to [0, 1] (CT windows), or the
/// identity (MR specs already scale to [0, 1]; sources with augmentations off). Training records it with the model
/// (backbone.json), so evaluation and <c>embed</c> feed the network what it was trained on.
/// </summary>
public sealed record InputScaling(double Lower, double Upper)
{
    /// <summary>vox2vec's fixed CT window in HU, the one clean views and every CT model input use. Defined here only.</summary>
    public static readonly InputScaling CtWindow = new(-1350, 1000);

    /// <summary>Intensities as cached.</summary>
    public static readonly InputScaling Identity = new(double.NegativeInfinity, double.PositiveInfinity);

    public bool IsIdentity => double.IsNegativeInfinity(Lower) && double.IsPositiveInfinity(Upper);

    public void Validate()
    {
        if (IsIdentity) return;
        if (!(double.IsFinite(Lower) && double.IsFinite(Upper) && Lower < Upper))
            throw new ArgumentException($"input scaling [{Lower}, {Upper}] must be finite with lower < upper");
    }

    /// <summary>Clips to the window and scales to [0, 1], in place.</summary>
    public void Apply(Span<float> values)
    {
        if (!IsIdentity) IntensityWindow.Apply(values, Lower, Upper);
    }
}
