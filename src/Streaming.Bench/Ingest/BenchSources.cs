using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;

namespace Streaming.Bench.Ingest;

/// <summary>CT-sized sources for the ingest benchmark: CT phantoms at 0.7x0.7x1.25 mm like a routine abdominal CT.</summary>
public static class BenchSources
{
    public static readonly Vec3 Spacing = new(0.7, 0.7, 1.25);

    /// <summary>
    /// Writes the phantom of <paramref name="seed"/> as int16 .nii.gz at gzip level 6. Its scanner noise keeps gzip
    /// from shrinking it unrealistically (real abdominal CT .nii.gz compress about 1.5-2.5x), and each seed is another
    /// patient, so distinct sources differ in content, not just in name.
    /// </summary>
    public static void WriteCt(string path, Int3 shape, int seed) =>
        NiftiWriter.Write(path, BenchPhantoms.Ct(shape, Spacing, seed), new NiftiWriteOptions { DataType = NiftiDataType.Int16, CompressionLevel = 6 });
}
