using Streaming.Sampling.Slices;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods.Sal;

/// <summary>
/// SAL (self-supervised alignment learning): every view of every drawn slice through the 2-D encoder in one batch
/// (views A, then views B), then GP + lambda x WLA (<see cref="SalObjective"/>).
/// </summary>
public sealed class SalMethod : IPretrainMethod<SliceBatch>
{
    private readonly SalModel model;
    private readonly SalOptions options;

    public SalMethod(SalOptions o)
    {
        o.Validate();
        options = o;
        model = new SalModel(o);
    }

    public nn.Module Model => model;
    public FeatureExtractor Features => model.Backbone;

    public StepLoss Forward(SliceBatch batch, Device device)
    {
        int items = batch.Items, area = batch.Shape.Area;
        if (batch.ViewsA.Length != items * area || batch.ViewsB.Length != items * area || batch.Positions.Length != items)
            throw new InvalidDataException($"slice batch {batch.Step}: {batch.ViewsA.Length}/{batch.ViewsB.Length} view values and {batch.Positions.Length} positions for {items} slices of {batch.Shape}");
        using var a = tensor(batch.ViewsA, [items, 1, batch.Shape.Y, batch.Shape.X]);
        using var b = tensor(batch.ViewsB, [items, 1, batch.Shape.Y, batch.Shape.X]);
        using var both = cat([a, b], 0);
        var x = both.to(device);
        var samples = new SliceSample[2 * items];
        for (int i = 0; i < items; i++)
            samples[i] = samples[items + i] = new SliceSample(batch.VolumeOf(i), batch.Positions[i].Index, batch.Positions[i].Count);
        return SalObjective.Compute(model, options, x, samples);
    }

    public void Dispose() => model.Dispose();
}
