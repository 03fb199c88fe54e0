using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Data;

/// <summary>
/// Maps cached intensities to the network input: CT through vox2vec's fixed HU window [-1350, 1000] to [0, 1] (the
/// window pre-training uses for clean views), MR unchanged (the MR specs already scale to [0, 1]).
/// </summary>
public sealed record InputScaling(double Lower = -1350, double Upper = 1000)
{
    public static InputScaling For(Modality m) => m == Modality.CT ? new InputScaling() : new InputScaling(double.NaN, double.NaN);

    public bool IsIdentity => double.IsNaN(Lower);

    public void ApplyInPlace(Span<float> values)
    {
        if (IsIdentity) return;
        var lo = (float)Lower; var inv = (float)(1 / (Upper - Lower));
        for (var i = 0; i < values.Length; i++) values[i] = Math.Clamp((values[i] - lo) * inv, 0f, 1f);
    }
}
