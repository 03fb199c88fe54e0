using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// Xavier (Glorot) uniform initialisation of every convolution weight, zero biases; norm layers keep weight 1 and
/// bias 0. The paper's XAVIER baseline is exactly this D2D initialisation without training, so the trained context
/// networks start from it too (the paper names no other initialisation).
/// </summary>
public static class XavierInit
{
    public static T Apply<T>(T module) where T : nn.Module
    {
        using var _ = no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            if (name.Contains("norm", StringComparison.Ordinal)) continue;
            if (name.EndsWith("weight", StringComparison.Ordinal) && p.dim() >= 2) nn.init.xavier_uniform_(p);
            else if (name.EndsWith("bias", StringComparison.Ordinal)) p.zero_();
        }
        return module;
    }
}
