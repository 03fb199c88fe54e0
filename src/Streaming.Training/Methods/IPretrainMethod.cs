using Streaming.Sampling;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods;

/// <summary>One step's loss and its named parts (scalars, in the caller's dispose scope).</summary>
public sealed record StepLoss(Tensor Total, IReadOnlyDictionary<string, Tensor> Parts);

/// <summary>
/// A self-supervised method: a backbone plus heads plus a loss computed from a <see cref="PairBatch"/>. New methods
/// (SimSiam, 2.5D context, SAL) implement this and register in <see cref="MethodFactory"/>; the trainer, checkpoints,
/// export and embedding only see this interface.
/// </summary>
public interface IPretrainMethod : IDisposable
{
    string Name { get; }
    /// <summary>Root module holding every trained parameter and buffer (saved in checkpoints).</summary>
    nn.Module Model { get; }
    /// <summary>The part that is exported and used by <c>embed</c>.</summary>
    DenseBackbone Backbone { get; }
    /// <summary>Forward pass and loss for one batch, on <paramref name="device"/>. Call inside a dispose scope.</summary>
    StepLoss Forward(PairBatch batch, Device device);
}
