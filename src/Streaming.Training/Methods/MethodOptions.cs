using Streaming.Training.Models;

namespace Streaming.Training.Methods;

/// <summary>Which method and its model/loss hyper-parameters (the <c>model:</c> and <c>loss:</c> config sections).</summary>
public sealed record MethodOptions
{
    /// <summary><c>vox2vec</c> (FPN), <c>vox2vec-unet</c> or <c>hierarchical</c>.</summary>
    public string Method { get; init; } = "vox2vec";
    public BackboneOptions Backbone { get; init; } = new();
    /// <summary>Hidden width of the projection head; 0 = the representation dim (vox2vec: 1008-1008-1008-128).</summary>
    public int HeadHidden { get; init; }
    public int HeadOut { get; init; } = 128;
    /// <summary>Hierarchical only: width every level is projected to before concatenation.</summary>
    public int LevelProjectionWidth { get; init; } = 32;
    public double Temperature { get; init; } = 0.1;
    /// <summary>Rows of the similarity matrix formed at once (memory bound of InfoNCE).</summary>
    public int InfoNceChunkRows { get; init; } = 2048;
    /// <summary>Hierarchical only: total = InfoNCE + ReconstructionWeight x MSE.</summary>
    public double ReconstructionWeight { get; init; } = 10;

    public static readonly string[] Known = ["vox2vec", "vox2vec-unet", "hierarchical", "context2d-heatmap", "context2d-reg2d", "doersch3d",
        "context2d-xavier", "gvdiff"];

    public void Validate()
    {
        if (!Known.Contains(Method)) throw new ArgumentException($"method must be one of {string.Join(", ", Known)}; got '{Method}'");
        Backbone.Validate();
        if (HeadHidden < 0 || HeadOut < 1) throw new ArgumentException("model.headHidden must be >= 0 and model.headOut >= 1");
        if (LevelProjectionWidth < 1) throw new ArgumentException("model.levelProjectionWidth must be >= 1");
        if (!(Temperature > 0)) throw new ArgumentException("loss.temperature must be > 0");
        if (InfoNceChunkRows < 1) throw new ArgumentException("loss.infoNceChunkRows must be >= 1");
        if (!(ReconstructionWeight >= 0)) throw new ArgumentException("loss.reconstructionWeight must be >= 0");
    }
}
