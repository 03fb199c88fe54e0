using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>Arithmetic precision of the backbone's forward and backward pass (the <c>model.precision</c> setting).</summary>
public enum ComputePrecision
{
    /// <summary>Everything in float32 (default; bitwise-reproducible on CPU).</summary>
    Fp32,
    /// <summary>
    /// Backbone convolutions in bfloat16 with float32 master weights; heads, InfoNCE and the optimizer in float32.
    /// TorchSharp 0.107 has no autocast, so the casts are explicit (<see cref="MixedPrecision"/>).
    /// </summary>
    Bf16,
}

/// <summary>
/// Explicit mixed precision, the part of PyTorch's autocast that the backbones need. The methods cast the patch to
/// bfloat16 before the backbone and the pyramid back to float32 after it; in between every tensor stays in the input's
/// dtype: convolutions cast their float32 weights to it per call (the cast is differentiable, so gradients and the
/// optimizer state stay float32, and checkpoints are unchanged), normalisation layers take bfloat16 input with float32
/// affine parameters and statistics (libtorch's mixed-type batch/group norm), pooling and upsampling follow the input.
/// </summary>
public static class MixedPrecision
{
    public static ScalarType DType(ComputePrecision p) => p == ComputePrecision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>
    /// <paramref name="module"/>(x) for a convolution whose weights may be float32 while x is bfloat16 (any other
    /// module, or matching dtypes: the module's own forward).
    /// </summary>
    public static Tensor Forward(nn.Module<Tensor, Tensor> module, Tensor x)
    {
        if (module is not Conv3d c || c.weight is null || x.dtype == c.weight.dtype) return module.forward(x);
        using var w = c.weight.to(x.dtype);
        using var b = c.bias?.to(x.dtype);
        return nn.functional.conv3d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
    }
}
