using Streaming.Training.Methods;

namespace Streaming.Evaluation.Protocols;

/// <summary>
/// The evaluation protocols (vox2vec section 3.4; kNN from "3D context feature learning"), and the supervised ones of
/// voxel-level SimSiam, which train a 3-D U-Net from scratch without a pre-trained backbone: the plain U-Net (soft
/// Dice), + class-conditional SimSiam, + supervised InfoNCE (SCL).
/// </summary>
public enum Protocol { Linear, NonLinear, FineTune, Scratch, Knn, UNet, SimSiam, Scl }

public static class ProtocolNames
{
    public static string Name(Protocol p) => p switch
    {
        Protocol.Linear => "linear",
        Protocol.NonLinear => "nonlinear",
        Protocol.FineTune => "finetune",
        Protocol.Scratch => "scratch",
        Protocol.Knn => "knn",
        Protocol.UNet => "unet",
        Protocol.SimSiam => "simsiam",
        Protocol.Scl => "scl",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static Protocol Parse(string s) => s.Trim().ToLowerInvariant() switch
    {
        "linear" => Protocol.Linear,
        "nonlinear" or "non-linear" => Protocol.NonLinear,
        "finetune" or "fine-tune" => Protocol.FineTune,
        "scratch" => Protocol.Scratch,
        "knn" => Protocol.Knn,
        "unet" => Protocol.UNet,
        "simsiam" => Protocol.SimSiam,
        "scl" => Protocol.Scl,
        _ => throw new ArgumentException($"unknown protocol '{s}'; known: linear, nonlinear, finetune, scratch, knn, unet, simsiam, scl"),
    };

    /// <summary>True for the protocols that train a supervised 3-D U-Net and need no pre-trained backbone.</summary>
    public static bool IsSupervised(Protocol p) => p is Protocol.UNet or Protocol.SimSiam or Protocol.Scl;

    /// <summary>The auxiliary loss of a supervised protocol's U-Net (none for <c>unet</c>).</summary>
    public static AuxiliaryLoss Auxiliary(Protocol p) => p switch
    {
        Protocol.UNet => AuxiliaryLoss.None,
        Protocol.SimSiam => AuxiliaryLoss.SimSiam,
        Protocol.Scl => AuxiliaryLoss.Scl,
        _ => throw new ArgumentException($"{Name(p)} is not a supervised protocol"),
    };

    /// <summary>The supervised protocol an auxiliary loss belongs to (the inverse of <see cref="Auxiliary"/>).</summary>
    public static Protocol Supervised(AuxiliaryLoss a) => a switch
    {
        AuxiliaryLoss.None => Protocol.UNet,
        AuxiliaryLoss.SimSiam => Protocol.SimSiam,
        AuxiliaryLoss.Scl => Protocol.Scl,
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };
}
