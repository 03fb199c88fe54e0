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
}
