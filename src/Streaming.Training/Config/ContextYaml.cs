using Streaming.Sampling.Context;
using Streaming.Training.Methods;
using Streaming.Training.Methods.Context;

namespace Streaming.Training.Config;

/// <summary><c>model:</c> of the context methods (the networks are fixed by the paper; only extraction batching is set).</summary>
public sealed class ContextModelYaml
{
    public int? DescriptorBatch { get; set; }
    public int? Channels { get; set; }
    public double? SmoothingVoxels { get; set; }
}

/// <summary>
/// The context methods of issue 12: <c>context2d-heatmap</c>, <c>context2d-reg2d</c>, <c>doersch3d</c>, <c>gvdiff</c>.
/// Their <c>sampling:</c> section binds straight onto <see cref="ContextSamplingOptions"/> (absent keys keep the
/// paper's values); they have no <c>loss:</c> keys.
/// </summary>
public sealed class ContextYaml(string name) : MethodYaml
{
    public override string Name => name;

    public override MethodOptions Bind(MethodSections s)
    {
        var m = Section<ContextModelYaml>(s.Model, "model");
        _ = Section<EmptyYaml>(s.Loss, "loss");
        var sampling = Section<ContextSamplingOptions>(s.Sampling, "sampling");
        return name switch
        {
            "context2d-heatmap" or "context2d-reg2d" => Checked(m.Channels is null && m.SmoothingVoxels is null, new PlanarOffsetOptions
            {
                Head = name == "context2d-heatmap" ? OffsetHead.Heatmap : OffsetHead.Reg2d, Sampling = sampling,
                DescriptorBatch = m.DescriptorBatch ?? new PlanarOffsetOptions().DescriptorBatch,
            }),
            "doersch3d" => Checked(m.Channels is null && m.SmoothingVoxels is null,
                new DoerschOptions { Sampling = sampling, DescriptorBatch = m.DescriptorBatch ?? new DoerschOptions().DescriptorBatch }),
            _ => Checked(m.DescriptorBatch is null, new GreyValueOptions
            {
                Sampling = sampling, Channels = m.Channels ?? new GreyValueOptions().Channels,
                SmoothingVoxels = m.SmoothingVoxels ?? new GreyValueOptions().SmoothingVoxels,
            }),
        };
    }

    private MethodOptions Checked(bool ok, MethodOptions o) =>
        ok ? o : throw new ArgumentException($"method {name}: model takes {(name == "gvdiff" ? "channels and smoothingVoxels" : "descriptorBatch")} only");

    public override MethodSections Describe(MethodOptions options)
    {
        var (model, sampling) = options switch
        {
            PlanarOffsetOptions p => (new ContextModelYaml { DescriptorBatch = p.DescriptorBatch }, p.Sampling),
            DoerschOptions d => (new ContextModelYaml { DescriptorBatch = d.DescriptorBatch }, d.Sampling),
            GreyValueOptions g => (new ContextModelYaml { Channels = g.Channels, SmoothingVoxels = g.SmoothingVoxels }, g.Sampling),
            _ => throw new ArgumentException($"{options.Name} is not a context method"),
        };
        return new MethodSections(Node(model), Node(new EmptyYaml()), Node(sampling));
    }

    private sealed class EmptyYaml;
}
