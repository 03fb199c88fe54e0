using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Loop;

/// <summary>
/// Adam with PyTorch's defaults, passed explicitly so that they never depend on the TorchSharp factory's own (in 0.107
/// they agree: Evaluation's <c>KeptScalarAdamTests</c> matches <c>optim.Adam(parameters, lr)</c> with beta2 0.999).
/// </summary>
public static class AdamFactory
{
    public const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;

    /// <param name="weightDecay">L2 penalty added to the gradient (PyTorch Adam's weight_decay; not AdamW's decoupled decay).</param>
    public static Adam Create(IEnumerable<Parameter> parameters, double lr, double weightDecay = 0) =>
        optim.Adam(parameters, lr: lr, beta1: Beta1, beta2: Beta2, eps: Eps, weight_decay: weightDecay);
}
