using Streaming.Imaging.Volumes;
using Streaming.Sampling.Context;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// The DOERSCH descriptor: the <see cref="D3dCnn"/> on the 25³ cube (side 0.4) centred on the voxel, 192 dims.
/// Parameter names: <c>d3d.layers.*</c>.
/// </summary>
public sealed class CubeDescriptor : GridDescriptor
{
    private readonly D3dCnn d3d;

    public CubeDescriptor(ContextSamplingOptions? geometry = null, int stride = DefaultStride, int batchSize = 64, string name = "CubeDescriptor")
        : base(name, D3dCnn.OutputDim, geometry ?? new ContextSamplingOptions(), stride, batchSize)
    {
        if (Geometry.CubeSize != D3dCnn.CubeSize) throw new ArgumentException($"the D3D-CNN takes {D3dCnn.CubeSize}³ cubes");
        d3d = new D3dCnn();
        RegisterComponents();
        XavierInit.Apply(this);
    }

    public D3dCnn Network => d3d;

    public SampleGrid CubeGrid => SampleGrid.Cube(new Vec3(0, 0, 0), Geometry.CubeSize, Geometry.CubeSide);

    public override Tensor Describe(Tensor volume, Tensor centers)
    {
        using var scope = NewDisposeScope();
        var cubes = GridSampling.Patches(volume, centers, CubeGrid).unsqueeze(1);
        return d3d.forward(cubes).MoveToOuterDisposeScope();
    }
}
