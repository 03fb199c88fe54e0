using System.Reflection;
using System.Runtime.InteropServices;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Teaches the runtime where Debian's GDCM C# glue (libgdcmsharpglue.so) lives: it sits beside gdcm-sharp.dll under
/// /usr/lib/cli, which is not on the default native search path. Every DICOM entry point calls
/// <see cref="EnsureRegistered"/> before touching a gdcm type.
/// </summary>
public static class GdcmNativeResolver
{
    private const string GlueName = "gdcmsharpglue";
    private static readonly string[] SearchFolders = ["/usr/lib/cli/gdcm-sharp-3.0"];
    private static readonly Lazy<bool> Registration = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Registers the resolver once per process; safe to call from any thread, any number of times.</summary>
    public static void EnsureRegistered() => _ = Registration.Value;

    private static bool Register()
    {
        NativeLibrary.SetDllImportResolver(typeof(gdcm.Tag).Assembly, Resolve);
        // GDCM prints a warning to stderr for every slice it "corrects" (e.g. J2K bit depth); our readers report what
        // matters through exceptions and metadata, so keep the console of long ingest runs readable. Errors stay on.
        gdcm.Trace.WarningOff();
        return true;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!name.Contains(GlueName, StringComparison.Ordinal)) return IntPtr.Zero;
        var folders = new List<string>();
        var managedDir = Path.GetDirectoryName(typeof(gdcm.Tag).Assembly.Location);
        if (!string.IsNullOrEmpty(managedDir)) folders.Add(managedDir);
        folders.AddRange(SearchFolders);
        foreach (var dir in folders)
        {
            var candidate = Path.Combine(dir, "lib" + GlueName + ".so");
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        // Fall back to the default search (LD_LIBRARY_PATH, ldconfig); zero lets the runtime report its own error.
        return NativeLibrary.TryLoad(name, assembly, searchPath, out var h) ? h : IntPtr.Zero;
    }
}
