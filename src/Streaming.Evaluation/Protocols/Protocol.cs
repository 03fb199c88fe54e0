namespace Streaming.Evaluation.Protocols;

/// <summary>The evaluation protocols (vox2vec section 3.4; kNN from "3D context feature learning").</summary>
public enum Protocol { Linear, NonLinear, FineTune, Scratch, Knn }

public static class ProtocolNames
{
    public static string Name(Protocol p) => p switch
    {
        Protocol.Linear => "linear",
        Protocol.NonLinear => "nonlinear",
        Protocol.FineTune => "finetune",
        Protocol.Scratch => "scratch",
        Protocol.Knn => "knn",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static Protocol Parse(string s) => s.Trim().ToLowerInvariant() switch
    {
        "linear" => Protocol.Linear,
        "nonlinear" or "non-linear" => Protocol.NonLinear,
        "finetune" or "fine-tune" => Protocol.FineTune,
        "scratch" => Protocol.Scratch,
        "knn" => Protocol.Knn,
        _ => throw new ArgumentException($"unknown protocol '{s}'; known: linear, nonlinear, finetune, scratch, knn"),
    };
}
