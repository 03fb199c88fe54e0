using Streaming.Training.Models;
using Streaming.Training.Models.Context;

namespace Streaming.Training.Methods;

/// <summary>Creates the method named in the config; the one place a new method is registered.</summary>
public static class MethodFactory
{
    public static IPretrainMethod Create(MethodOptions o) => o.Method switch
    {
        "vox2vec" or "vox2vec-unet" => new Vox2VecMethod(o),
        "hierarchical" => new HierarchicalMethod(o),
        _ => throw new ArgumentException($"unknown method '{o.Method}'; known: {string.Join(", ", MethodOptions.Known)}"),
    };

    /// <summary>The backbone a method trains (what is exported and embedded).</summary>
    public static DenseBackbone CreateBackbone(MethodOptions o) => o.Method switch
    {
        "vox2vec" => new Vox2VecFpn(o.Backbone),
        "vox2vec-unet" => new UNet3d(o.Backbone),
        "hierarchical" => new HierarchicalBackbone(o.Backbone, o.LevelProjectionWidth),
        // The context descriptors (issue 12): three D2D-CNNs on planar patches (heatmap, Reg2D, and the untrained
        // Xavier baseline), the D3D-CNN on cubes (Doersch), hand-crafted grey-value differences (no training).
        "context2d-heatmap" or "context2d-reg2d" or "context2d-xavier" => new PlanarDescriptor(),
        "doersch3d" => new CubeDescriptor(),
        "gvdiff" => new GreyValueDescriptor(),
        _ => throw new ArgumentException($"unknown method '{o.Method}'; known: {string.Join(", ", MethodOptions.Known)}"),
    };
}
