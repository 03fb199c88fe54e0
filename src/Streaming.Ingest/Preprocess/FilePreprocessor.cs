using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Shards.Specs;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// One raw volume from disk (a .nii/.nii.gz file or a DICOM series folder) through <see cref="Preprocessor"/>, without
/// labels or a cache: what applying a trained model to a new scan needs (<c>streaming embed</c> hands it to
/// Evaluation's <c>EmbedJob</c>, which does not reference Ingest).
/// </summary>
public static class FilePreprocessor
{
    public static PreprocessedVolume Run(string input, PreprocessSpec spec, PreprocessOptions? options = null) =>
        ReadAndRun(input, spec, options).Preprocessed;

    /// <summary>The scan as read (its own grid, which <c>embed --grid source</c> writes back onto) and preprocessed.</summary>
    public static (LoadedImage Source, PreprocessedVolume Preprocessed) ReadAndRun(string input, PreprocessSpec spec, PreprocessOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        var loaded = Directory.Exists(input)
            ? DicomSeriesReader.Read(Directory.GetFiles(input).Order(StringComparer.Ordinal).ToList())
            : NiftiReader.Read(input);
        return (loaded, Preprocessor.Run(loaded, null, spec, (options ?? PreprocessOptions.Default) with { SourceName = input }));
    }
}
