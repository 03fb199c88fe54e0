using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Training;

/// <summary>
/// Adam with TorchSharp's update, operation for operation (<c>optim.Adam</c>: L2 decay, AMSGrad and maximize left out),
/// but every scalar operand is an explicit <see cref="Scalar"/> that this class owns: the betas and ε for its lifetime,
/// the bias corrections for one step. TorchSharp's Adam turns each <c>double</c> into an implicit Scalar, about six per
/// parameter per step, that only the finaliser frees (dotnet/TorchSharp#1434: it may also free one mid-call). Those
/// small native blocks land between the step's large activation buffers in glibc's heap (buffers under 32 MiB stay off
/// mmap with evaluate's launcher, and with glibc's own sliding threshold) and pin it: a linear probe with 64 classes grew
/// ~35 MiB per step until a GC ran, to 6-11 GB on two small CT volumes. This optimiser leaves nothing to the finaliser.
/// </summary>
public sealed class KeptScalarAdam : IDisposable
{
    private readonly Parameter[] parameters;
    private readonly Tensor[] expAvg;
    private readonly Tensor[] expAvgSq;
    private readonly long[] steps;
    private readonly double beta1;
    private readonly double beta2;
    private readonly Scalar beta1Scalar, oneMinusBeta1, beta2Scalar, oneMinusBeta2, eps;

    /// <remarks>The defaults are those <c>optim.Adam(parameters, lr: lr)</c> runs with in TorchSharp 0.107 (β2 0.999: its
    /// updates match this class's bit for bit, <c>KeptScalarAdamTests</c>), so the probes train as they did before.</remarks>
    public KeptScalarAdam(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(lr >= 0)) throw new ArgumentException($"learning rate must be >= 0, got {lr}");
        if (!(beta1 is >= 0 and < 1) || !(beta2 is >= 0 and < 1)) throw new ArgumentException($"betas must be in [0, 1), got {beta1}, {beta2}");
        if (!(eps >= 0)) throw new ArgumentException($"eps must be >= 0, got {eps}");
        this.parameters = parameters.ToArray();
        LearningRate = lr;
        this.beta1 = beta1; this.beta2 = beta2;
        beta1Scalar = beta1.ToScalar(); oneMinusBeta1 = (1 - beta1).ToScalar();
        beta2Scalar = beta2.ToScalar(); oneMinusBeta2 = (1 - beta2).ToScalar();
        this.eps = eps.ToScalar();
        using (no_grad())
        {
            expAvg = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            expAvgSq = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        }
        steps = new long[this.parameters.Length];
    }

    /// <summary>The rate of the next <see cref="Step"/> (a schedule may change it between steps).</summary>
    public double LearningRate { get; set; }

    /// <summary>Zeroes every gradient in place (as TorchSharp's optimisers do; a parameter without one is skipped).</summary>
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        foreach (var p in parameters) p.grad?.zero_();
    }

    /// <summary>One Adam update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < parameters.Length; i++)
        {
            var grad = parameters[i].grad;
            if (grad is null) continue;
            var t = ++steps[i];
            var biasCorrection1 = 1 - Math.Pow(beta1, t);
            var biasCorrection2 = 1 - Math.Pow(beta2, t);
            using var sqrtCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var minusStepSize = (-LearningRate / biasCorrection1).ToScalar();
            expAvg[i].mul_(beta1Scalar).add_(grad, oneMinusBeta1);
            expAvgSq[i].mul_(beta2Scalar).addcmul_(grad, grad, oneMinusBeta2);
            var denom = expAvgSq[i].sqrt().div_(sqrtCorrection2).add_(eps, Streaming.Training.Models.Scalars.One);
            parameters[i].addcdiv_(expAvg[i], denom, minusStepSize);
        }
    }

    public void Dispose()
    {
        foreach (var t in expAvg) t.Dispose();
        foreach (var t in expAvgSq) t.Dispose();
        beta1Scalar.Dispose(); oneMinusBeta1.Dispose(); beta2Scalar.Dispose(); oneMinusBeta2.Dispose(); eps.Dispose();
    }
}
