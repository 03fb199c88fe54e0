using TorchSharp;

namespace Streaming.Training.Models;

/// <summary>
/// Long-lived scalars for hot tensor arithmetic. TorchSharp 0.107 turns `a + b` into add(b, alpha: 1) with an
/// implicitly created Scalar that nothing references once its handle is passed to native code, so the GC may
/// finalize (free) it while libtorch is still reading it: a demo run crashed in a residual add with
/// "toFloat: Expected false to be true" (see dotnet/TorchSharp#1434). A static Scalar is never collected.
/// </summary>
public static class Scalars
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar MinusOne = (-1).ToScalar();
}
