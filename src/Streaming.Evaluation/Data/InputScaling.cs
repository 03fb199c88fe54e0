using Streaming.Ingest.Volumes;

namespace Streaming.Evaluation.Data;

/// <summary>
/// Maps cached intensities to the network input: a CT HU window clipped and scaled to [0, 1], or the identity (the MR
/// specs already scale to [0, 1]). Which window applies is chosen per protocol (<c>EvaluationOptions.ScalingFor</c>):
/// pre-trained backbones see vox2vec's [-1350, 1000] (the window pre-training uses for clean views); the supervised
/// protocols train from scratch on voxel-level SimSiam's soft-tissue window [-200, 250].
/// </summary>
public sealed record InputScaling(double Lower = -1350, double Upper = 1000)
{
    /// <summary>vox2vec's fixed CT window (pre-training and every protocol on a pre-trained backbone).</summary>
    public static InputScaling Vox2VecCt { get; } = new(-1350, 1000);
    /// <summary>Soft-tissue CT window of voxel-level SimSiam (Sec. IV-A).</summary>
    public static InputScaling SoftTissueCt { get; } = new(-200, 250);
    public static InputScaling Identity { get; } = new(double.NaN, double.NaN);

    public static InputScaling For(Modality m) => m == Modality.CT ? Vox2VecCt : Identity;

    public bool IsIdentity => double.IsNaN(Lower);

    public void Validate()
    {
        if (IsIdentity) return;
        if (!double.IsFinite(Lower) || !double.IsFinite(Upper) || !(Lower < Upper))
            throw new ArgumentException($"input window [{Lower}, {Upper}] must be finite with lower < upper");
    }

    public void ApplyInPlace(Span<float> values)
    {
        if (IsIdentity) return;
        var lo = (float)Lower; var inv = (float)(1 / (Upper - Lower));
        for (var i = 0; i < values.Length; i++) values[i] = Math.Clamp((values[i] - lo) * inv, 0f, 1f);
    }

    /// <summary>A scaled copy of <paramref name="source"/>.</summary>
    public Volume<float> Apply(Volume<float> source)
    {
        var data = (float[])source.Data.Clone();
        ApplyInPlace(data);
        return new Volume<float>(source.Geometry, data);
    }

    public override string ToString() => IsIdentity ? "identity" : $"[{Lower}, {Upper}] -> [0, 1]";
}
