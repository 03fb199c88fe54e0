namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// GDCM's writers and filters keep what they are given in an intrusive smart pointer and delete it when they die.
/// An object handed to them must then no longer be deleted by its C# wrapper, or native memory is freed twice.
/// </summary>
internal static class GdcmOwnership
{
    /// <summary>Stops the wrapper from ever deleting the native object and clears the caller's reference.</summary>
    public static void HandOver<T>(ref T? wrapper) where T : class
    {
        if (wrapper is null) return;
        GC.SuppressFinalize(wrapper);
        wrapper = null;
    }
}
