using System.Runtime.CompilerServices;
using Streaming.Training.Backend;

namespace Streaming.Evaluation;

internal static class TorchBackendSetup
{
    /// <summary>Evaluation code calls torch directly: the resolver that binds an outside libtorch (STREAMING_LIBTORCH)
    /// must be in place before any of it runs, as in Streaming.Training.</summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Installs a resolver only; loads nothing.")]
    internal static void Register() => TorchBackend.Register();
}
