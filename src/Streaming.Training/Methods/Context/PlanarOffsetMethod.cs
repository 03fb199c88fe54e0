using Streaming.Sampling.Context;
using Streaming.Training.Losses;
using Streaming.Training.Models;
using Streaming.Training.Models.Context;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods.Context;

/// <summary>The two auxiliary tasks of the 2.5D method.</summary>
public enum OffsetHead { Heatmap, Reg2d }

/// <summary>
/// HEATMAP and REG2D ("3-D context feature learning"): per normal axis, the axis's D2D-CNN describes the anchor and
/// the partner patch (Siamese), the concatenated 128 dims go through that axis's head, and the loss compares its
/// output with the in-plane offset (d1, d2): MSE against the Gaussian heatmap (HEATMAP) or L1 on the two values
/// (REG2D). The three axes are three networks trained in parallel: the total is the sum of their losses. Logged parts:
/// each axis's loss and the mean absolute offset error (heatmap: of its arg-max cell).
/// </summary>
public sealed class PlanarOffsetMethod : IPretrainMethod<PlanarPairBatch>
{
    private readonly ContextModel model;
    private readonly PlanarDescriptor descriptor;

    public PlanarOffsetMethod(PlanarOffsetOptions options)
    {
        options.Validate();
        Head = options.Head;
        Name = options.Name;
        descriptor = (PlanarDescriptor)options.CreateFeatures();
        var heads = Enumerable.Range(0, 3).Select(_ => Head == OffsetHead.Heatmap
            ? (nn.Module<Tensor, Tensor>)XavierInit.Apply(new HeatmapHead())
            : XavierInit.Apply(new Reg2dHead()));
        model = new ContextModel(descriptor, heads);
    }

    public OffsetHead Head { get; }
    public string Name { get; }
    public nn.Module Model => model;
    public FeatureExtractor Features => descriptor;

    public StepLoss Forward(PlanarPairBatch batch, Device device)
    {
        int b = batch.Pairs, s = batch.PatchSize, planes = batch.Planes;
        if (s != D2dCnn.PatchSize || planes != D2dCnn.Planes || batch.Anchors.Length != 3L * b * batch.PatchValues || batch.Offsets.Length != 3 * b * 2)
            throw new InvalidDataException($"planar batch {batch.Step}: expected 3 axes x {b} pairs of {D2dCnn.Planes}x{D2dCnn.PatchSize}x{D2dCnn.PatchSize} patches");
        var anchors = tensor(batch.Anchors, [3, b, planes, s, s]).to(device);
        var partners = tensor(batch.Partners, [3, b, planes, s, s]).to(device);
        var offsets = tensor(batch.Offsets, [3, b, 2]).to(device);
        var parts = new Dictionary<string, Tensor>();
        Tensor? total = null;
        var errors = new List<Tensor>();
        for (var n = 0; n < 3; n++)
        {
            var d2d = descriptor.Axis(n);
            // Siamese: both patches through the same network in one batch.
            var f = d2d.forward(cat([anchors[n], partners[n]], 0));
            var pair = cat([f.narrow(0, 0, b), f.narrow(0, b, b)], 1);
            var output = model.Heads[n].forward(pair);
            var target = offsets[n];
            Tensor loss, predicted;
            if (Head == OffsetHead.Heatmap)
            {
                loss = OffsetHeatmap.Loss(output, target);
                predicted = OffsetHeatmap.Decode(output.detach());
            }
            else
            {
                loss = nn.functional.l1_loss(output, target);
                predicted = output.detach();
            }
            parts[$"loss_{"xyz"[n]}"] = loss;
            errors.Add(predicted.add(target, Scalars.MinusOne).abs().mean());
            total = total is null ? loss : total.add(loss, Scalars.One);
        }
        parts["offset_error"] = stack(errors).mean();
        return new StepLoss(total!, parts);
    }

    public void Dispose() => model.Dispose();
}
