namespace Streaming.Ingest.Preprocess;

/// <summary>
/// How (not what) to preprocess: these never change the output bytes, so they are not part of the spec/cache key.
/// </summary>
public sealed record PreprocessOptions
{
    public static PreprocessOptions Default { get; } = new();

    /// <summary>Threads used inside one volume. 1 by default: the ingest pipeline parallelises across volumes.</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    /// <summary>Name put in front of error messages (the source file or series folder), if known.</summary>
    public string? SourceName { get; init; }

    public void Validate()
    {
        if (MaxDegreeOfParallelism < 1)
            throw new ArgumentException($"MaxDegreeOfParallelism must be >= 1 (was {MaxDegreeOfParallelism})");
    }
}
