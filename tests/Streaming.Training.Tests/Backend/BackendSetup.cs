using System.Runtime.CompilerServices;
using Streaming.Training.Backend;

namespace Streaming.Training.Tests.Backend;

internal static class BackendSetup
{
    /// <summary>Tests call torch directly (not only through Streaming.Training), so the resolver that binds an outside
    /// libtorch (STREAMING_LIBTORCH) must be in place before any test code runs.</summary>
    [ModuleInitializer]
    internal static void Register() => TorchBackend.Register();
}
