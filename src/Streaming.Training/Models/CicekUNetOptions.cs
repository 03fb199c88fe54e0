namespace Streaming.Training.Models;

/// <summary>
/// Layout of Çiçek et al.'s 3-D U-Net (2016), the base network of voxel-level SimSiam. Analysis level l has two
/// 3x3x3 convolutions to Base·2^l and Base·2^(l+1) channels; synthesis level l concatenates the trilinearly
/// up-sampled deeper output with level l's skip and convolves twice to Base·2^(l+1). With Base 32, 4 levels and one
/// input channel the bias-free 3x3x3 weights number exactly 16,313,184 (the paper's "16.313M").
/// </summary>
public sealed record CicekUNetOptions
{
    public int InChannels { get; init; } = 1;
    /// <summary>Output classes of the 1x1x1 classifier, background included.</summary>
    public int Classes { get; init; } = 2;
    public int BaseChannels { get; init; } = 32;
    /// <summary>Resolution levels (3 max-pools for 4 levels): inputs must be multiples of 2^(Levels-1) on every axis.</summary>
    public int Levels { get; init; } = 4;

    public void Validate()
    {
        if (InChannels < 1) throw new ArgumentException("unet.inChannels must be >= 1");
        if (Classes < 2) throw new ArgumentException("unet.classes must be >= 2 (background included)");
        if (BaseChannels < 1) throw new ArgumentException("unet.baseChannels must be >= 1");
        if (Levels is < 2 or > 6) throw new ArgumentException("unet.levels must be in 2..6");
    }

    /// <summary>Output channels of analysis level l (its skip / exposed feature map): Base·2^(l+1).</summary>
    public int EncoderChannels(int level) => BaseChannels << (level + 1);

    /// <summary>Stride of analysis level l relative to the input.</summary>
    public static int Stride(int level) => 1 << level;

    /// <summary>Multiple every input axis must be (the coarsest stride).</summary>
    public int InputMultiple => Stride(Levels - 1);

    /// <summary>Number of 3x3x3 convolution weights (27 per input-output channel pair), the quantity the paper counts.</summary>
    public long ConvWeights3x3x3
    {
        get
        {
            long pairs = 0;
            for (var l = 0; l < Levels; l++)
            {
                long c1 = BaseChannels << l, c2 = EncoderChannels(l);
                pairs += (l == 0 ? InChannels : EncoderChannels(l - 1)) * c1 + c1 * c2;
            }
            for (var l = Levels - 2; l >= 0; l--)
            {
                long inCh = EncoderChannels(l + 1) + EncoderChannels(l), c = EncoderChannels(l);
                // The deeper input of synthesis level l is the output of synthesis level l+1 (or the bottom), both EncoderChannels(l+1).
                pairs += inCh * c + c * c;
            }
            return 27 * pairs;
        }
    }
}
