using System.Runtime.InteropServices;

namespace Streaming.Training.Backend;

/// <summary>
/// dlopen with RTLD_GLOBAL, which <see cref="NativeLibrary"/> cannot do. PyTorch's <c>import torch</c> loads
/// libtorch_global_deps.so this way first, so the CUDA runtime libraries it links (cudart, cuBLAS, cuDNN, NCCL from
/// the nvidia-* wheels) are in the global scope when libtorch_cuda and cuDNN look up or dlopen them by name later.
/// </summary>
internal static partial class GlobalLoader
{
    private const int RtldNow = 2, RtldGlobal = 0x100;

    [LibraryImport("libc.so.6", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlopenLibc(string path, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "dlerror")]
    private static partial IntPtr DlerrorLibc();

    // glibc before 2.34 keeps dlopen in libdl.
    [LibraryImport("libdl.so.2", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlopenLibdl(string path, int flags);

    [LibraryImport("libdl.so.2", EntryPoint = "dlerror")]
    private static partial IntPtr DlerrorLibdl();

    /// <summary>Loads <paramref name="path"/> globally; returns a note for the log (never throws: a failure here
    /// shows up, with the loader's reason, when the libraries that need it are loaded).</summary>
    public static string Load(string path)
    {
        try { return Note(path, DlopenLibc(path, RtldNow | RtldGlobal), DlerrorLibc); }
        catch (EntryPointNotFoundException) { return Note(path, DlopenLibdl(path, RtldNow | RtldGlobal), DlerrorLibdl); }
    }

    private static string Note(string path, IntPtr handle, Func<IntPtr> error) =>
        handle != IntPtr.Zero
            ? $"{Path.GetFileName(path)} loaded with RTLD_GLOBAL"
            : $"{Path.GetFileName(path)} not loaded globally: {Marshal.PtrToStringUTF8(error()) ?? "unknown reason"}";
}
