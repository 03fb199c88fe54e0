using System.Runtime.InteropServices;

namespace Streaming.Bench.Ingest;

/// <summary>Many input names for one file without copying it (benchmarks over hundreds of CT-sized volumes).</summary>
internal static partial class HardLinks
{
    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string created);

    public static void Create(string existing, string created)
    {
        if (Link(existing, created) != 0) File.Copy(existing, created); // another filesystem: fall back to a copy
    }
}
