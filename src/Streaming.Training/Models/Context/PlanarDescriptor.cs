using Streaming.Imaging.Volumes;
using Streaming.Sampling.Context;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// The 2.5D descriptor of HEATMAP, REG2D and XAVIER: one <see cref="D2dCnn"/> per normal axis (x, y, z), each fed the
/// 3 x 42 x 42 planar patch (side 0.8, depth 0.05) centred on the voxel; the three 64-d outputs concatenated in axis
/// order x, y, z give 192 dims. Parameter names: <c>d2d.{0,1,2}.layers.*</c> (normal x, y, z).
/// </summary>
public sealed class PlanarDescriptor : GridDescriptor
{
    private readonly ModuleList<D2dCnn> d2d;

    public PlanarDescriptor(ContextSamplingOptions? geometry = null, int stride = DefaultStride, int batchSize = 512, string name = "PlanarDescriptor")
        : base(name, 3 * D2dCnn.OutputDim, geometry ?? new ContextSamplingOptions(), stride, batchSize)
    {
        if (Geometry.PatchSize != D2dCnn.PatchSize || Geometry.Planes != D2dCnn.Planes)
            throw new ArgumentException($"the D2D-CNN takes {D2dCnn.Planes} x {D2dCnn.PatchSize} x {D2dCnn.PatchSize} patches");
        d2d = nn.ModuleList(new D2dCnn(), new D2dCnn(), new D2dCnn());
        RegisterComponents();
        XavierInit.Apply(this);
    }

    /// <summary>The D2D-CNN of normal axis <paramref name="normal"/> (0 = x, 1 = y, 2 = z).</summary>
    public D2dCnn Axis(int normal) => d2d[normal];

    /// <summary>The planar patch grid of a normal (centre at the origin).</summary>
    public SampleGrid PatchGrid(int normal) =>
        SampleGrid.Planar(new Vec3(0, 0, 0), normal, Geometry.PatchSize, Geometry.PatchSide, Geometry.Planes, Geometry.PatchDepth);

    public override Tensor Describe(Tensor volume, Tensor centers)
    {
        using var scope = NewDisposeScope();
        var parts = new Tensor[3];
        for (var n = 0; n < 3; n++) parts[n] = d2d[n].forward(GridSampling.Patches(volume, centers, PatchGrid(n)));
        return cat(parts, 1).MoveToOuterDisposeScope();
    }
}
