namespace Streaming.Training.Models;

/// <summary>
/// Shape of the 2-D U-Net: level l has Widths[l] channels at stride 2^l, so Widths.Length - 1 down-samplings (4 by
/// default, as in SAL and PCL's U-Net). Immutable; <see cref="Validate"/> at the boundary.
/// </summary>
public sealed record UNet2dOptions
{
    public int InChannels { get; init; } = 1;
    public int[] Widths { get; init; } = [32, 64, 128, 256, 512];
    public NormKind Norm { get; init; } = NormKind.Batch;

    public int Downsamplings => Widths.Length - 1;

    /// <summary>Input height and width must be multiples of this (every pooling halves them exactly).</summary>
    public int SizeMultiple => 1 << Downsamplings;

    public void Validate()
    {
        if (InChannels < 1) throw new ArgumentException("model.inChannels must be >= 1");
        // Local alignment reads level 2 (stride 4), so at least 2 down-samplings.
        if (Widths is null || Widths.Length is < 3 or > 7)
            throw new ArgumentException($"model.widths needs 3..7 levels (2..6 down-samplings); got {Widths?.Length ?? 0}");
        if (Widths.Any(w => w < 1)) throw new ArgumentException("model.widths must all be >= 1");
    }

    // Records compare arrays by reference; configs are compared and fingerprinted by value.
    public bool Equals(UNet2dOptions? other) =>
        other is not null && InChannels == other.InChannels && Norm == other.Norm && Widths.AsSpan().SequenceEqual(other.Widths);

    public override int GetHashCode() => HashCode.Combine(InChannels, Norm, Widths.Length, Widths.Length > 0 ? Widths[^1] : 0);
}
