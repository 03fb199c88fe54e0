using Streaming.Sampling;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods;

/// <summary>One step's loss and its named parts (scalars, in the caller's dispose scope).</summary>
public sealed record StepLoss(Tensor Total, IReadOnlyDictionary<string, Tensor> Parts);

/// <summary>
/// A method's trainable half for batches of <typeparamref name="TBatch"/>: the model (every trained parameter and
/// buffer: checkpointed), the part of it that is exported (<see cref="Features"/>) and the loss of one batch. Made by
/// its options record (<see cref="MethodOptions{TBatch}.CreateMethod"/>); the training loop, checkpoints and export
/// see only this interface.
/// </summary>
public interface IPretrainMethod<in TBatch> : IDisposable where TBatch : IBatch
{
    /// <summary>Root module holding every trained parameter and buffer (saved in checkpoints).</summary>
    nn.Module Model { get; }
    /// <summary>The exported feature extractor (a child of <see cref="Model"/>): backbone.safetensors, evaluation, embed.</summary>
    FeatureExtractor Features { get; }
    /// <summary>Forward pass and loss for one batch, on <paramref name="device"/>. Called inside a dispose scope.</summary>
    StepLoss Forward(TBatch batch, Device device);
}
