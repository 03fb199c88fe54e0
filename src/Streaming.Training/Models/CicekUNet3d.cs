using Streaming.Imaging.Volumes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// Çiçek et al.'s 3-D U-Net as voxel-level SimSiam uses it: per level two (bias-free 3x3x3 conv, BatchNorm, ReLU),
/// 2x max-pooling between analysis levels, parameter-free trilinear x2 up-sampling concatenated with the skip on the
/// way up, and a 1x1x1 classifier. <see cref="Logits"/> gives (N, K, D, H, W); <see cref="ForwardWithLevels"/> also
/// the analysis levels, deepest first (F_1, F_2, ... in the paper). As the exported <see cref="FeatureExtractor"/> its
/// levels are the last synthesis output (stride 1) and the analysis outputs below the first (strides 2, 4, 8, ...),
/// finest first; its state (what backbone.safetensors holds) includes the classifier, so an export segments too.
/// </summary>
public sealed class CicekUNet3d : FeatureExtractor
{
    private readonly ModuleList<Sequential> analysis;
    private readonly ModuleList<Sequential> synthesis;
    private readonly Conv3d classifier;
    private readonly MaxPool3d pool;

    public CicekUNet3d(CicekUNetOptions options, string name = "CicekUNet3d") : base(name, options.InChannels, ExportedLevels(options))
    {
        Options = options;
        var levels = options.Levels;
        analysis = nn.ModuleList(Enumerable.Range(0, levels).Select(l =>
            Block(l == 0 ? options.InChannels : options.EncoderChannels(l - 1), options.BaseChannels << l, options.EncoderChannels(l))).ToArray());
        // synthesis[l] for l = 0 .. levels-2 (finest first in the list, run deepest first).
        synthesis = nn.ModuleList(Enumerable.Range(0, levels - 1).Select(l =>
            Block(options.EncoderChannels(l + 1) + options.EncoderChannels(l), options.EncoderChannels(l), options.EncoderChannels(l))).ToArray());
        classifier = nn.Conv3d(options.EncoderChannels(0), options.Classes, 1);
        pool = nn.MaxPool3d(2);
        RegisterComponents();
    }

    public CicekUNetOptions Options { get; }

    /// <summary>Channels of the exposed analysis levels, deepest first.</summary>
    public int[] LevelChannels(int count) => Enumerable.Range(0, count).Select(i => Options.EncoderChannels(Options.Levels - 1 - i)).ToArray();

    /// <summary>Strides of the exposed analysis levels, deepest first.</summary>
    public int[] LevelStrides(int count) => Enumerable.Range(0, count).Select(i => CicekUNetOptions.Stride(Options.Levels - 1 - i)).ToArray();

    /// <summary>Exported levels, finest first: the last synthesis output (Base·2 channels, stride 1), then analysis levels 1.. (strides 2^l).</summary>
    private static FeatureLevel[] ExportedLevels(CicekUNetOptions o)
    {
        o.Validate();
        return [new FeatureLevel(o.EncoderChannels(0), new Int3(1, 1, 1)),
            .. Enumerable.Range(1, o.Levels - 1).Select(l => new FeatureLevel(o.EncoderChannels(l), new Int3(1 << l, 1 << l, 1 << l)))];
    }

    /// <summary>The feature maps of <see cref="FeatureExtractor.Levels"/>, finest first.</summary>
    public override Tensor[] forward(Tensor x)
    {
        CheckInput(x);
        var logits = Run(x, Options.Levels - 1, out var analysis, out var last);
        logits.Dispose();
        return [last, .. analysis.Reverse()];
    }

    /// <summary>Class logits (N, K, D, H, W): inference uses the U-Net alone.</summary>
    public Tensor Logits(Tensor x)
    {
        CheckInput(x);
        var logits = Run(x, 0, out _, out var last);
        last.Dispose();
        return logits;
    }

    /// <summary>Logits plus the deepest <paramref name="exposed"/> analysis outputs, deepest first.</summary>
    public Tensor ForwardWithLevels(Tensor x, int exposed, out Tensor[] levels)
    {
        CheckInput(x);
        var logits = Run(x, exposed, out levels, out var last);
        last.Dispose();
        return logits;
    }

    private Tensor Run(Tensor x, int exposed, out Tensor[] levels, out Tensor last)
    {
        var depth = Options.Levels;
        if (exposed < 0 || exposed > depth) throw new ArgumentOutOfRangeException(nameof(exposed), $"0..{depth} levels can be exposed");
        var skips = new Tensor[depth];
        for (var l = 0; l < depth; l++)
        {
            if (l == 0) skips[0] = analysis[0].forward(x);
            else
            {
                using var p = pool.forward(skips[l - 1]);
                skips[l] = analysis[l].forward(p);
            }
        }
        var h = skips[depth - 1];
        var ownsH = false;
        for (var l = depth - 2; l >= 0; l--)
        {
            using var up = nn.functional.interpolate(h, size: skips[l].shape[2..], mode: InterpolationMode.Trilinear, align_corners: false);
            using var cat = torch.cat([up, skips[l]], 1);
            if (ownsH) h.Dispose();
            h = synthesis[l].forward(cat);
            ownsH = true;
        }
        var logits = classifier.forward(h);
        last = h;
        levels = Enumerable.Range(0, exposed).Select(i => skips[depth - 1 - i]).ToArray();
        for (var l = 0; l < depth - exposed; l++) skips[l].Dispose();
        return logits;
    }

    private static Sequential Block(long inCh, long midCh, long outCh) => nn.Sequential(
        ("0", nn.Conv3d(inCh, midCh, 3, padding: 1, bias: false)), ("1", Norms.Create3d(NormKind.Batch, midCh)), ("2", nn.ReLU()),
        ("3", nn.Conv3d(midCh, outCh, 3, padding: 1, bias: false)), ("4", Norms.Create3d(NormKind.Batch, outCh)), ("5", nn.ReLU()));
}
