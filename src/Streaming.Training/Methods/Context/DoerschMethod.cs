using Streaming.Sampling.Context;
using Streaming.Training.Models;
using Streaming.Training.Models.Context;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods.Context;

/// <summary>
/// DOERSCH, the 3-D extension of context prediction: the D3D-CNN describes the anchor and the partner cube (Siamese),
/// the 6-neighbour head classifies the concatenated 384 dims into the face the partner sits at; cross-entropy.
/// Logged parts: the loss and the accuracy.
/// </summary>
public sealed class DoerschMethod : IPretrainMethod<CubePairBatch>
{
    private readonly ContextModel model;
    private readonly CubeDescriptor descriptor;

    public DoerschMethod(DoerschOptions options)
    {
        options.Validate();
        Name = options.Name;
        descriptor = (CubeDescriptor)options.CreateFeatures();
        model = new ContextModel(descriptor, [XavierInit.Apply(new SixNeighbourHead())]);
    }

    public string Name { get; }
    public nn.Module Model => model;
    public FeatureExtractor Features => descriptor;

    public StepLoss Forward(CubePairBatch batch, Device device)
    {
        int b = batch.Pairs, s = batch.CubeSize;
        if (s != D3dCnn.CubeSize || batch.Anchors.Length != (long)b * s * s * s || batch.Neighbours.Length != b)
            throw new InvalidDataException($"cube batch {batch.Step}: expected {b} pairs of {D3dCnn.CubeSize}³ cubes");
        var anchors = tensor(batch.Anchors, [b, 1, s, s, s]).to(device);
        var partners = tensor(batch.Partners, [b, 1, s, s, s]).to(device);
        var target = tensor(batch.Neighbours).to(device);
        var f = descriptor.Network.forward(cat([anchors, partners], 0));
        var logits = model.Heads[0].forward(cat([f.narrow(0, 0, b), f.narrow(0, b, b)], 1));
        var loss = nn.functional.cross_entropy(logits, target);
        var accuracy = logits.detach().argmax(1).eq(target).to(ScalarType.Float32).mean();
        return new StepLoss(loss, new Dictionary<string, Tensor> { ["cross_entropy"] = loss, ["accuracy"] = accuracy });
    }

    public void Dispose() => model.Dispose();
}
