namespace Streaming.Tests;

/// <summary>Locates ../shared/data (real CT/MRI volumes beside the project root); absent in a user's fresh clone.</summary>
public static class SharedData
{
    public static readonly string? Root = Find();

    public static bool Available => Root is not null;

    public const string MissingReason =
        "../shared/data (real CT/MRI test volumes) is not beside the project root; this test needs it and is skipped";

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Root ?? throw new InvalidOperationException(MissingReason), .. parts]);

    /// <summary>The repository root (folder holding Streaming.sln), found from the test binary's folder.</summary>
    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(System.IO.Path.Combine(d.FullName, "Streaming.sln"))) return d.FullName;
        throw new InvalidOperationException("Streaming.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("STREAMING_SHARED_DATA");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
        try
        {
            var p = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot(), "..", "shared", "data"));
            return Directory.Exists(p) ? p : null;
        }
        catch (InvalidOperationException) { return null; }
    }
}

/// <summary>A fact that is skipped, with a clear message, when ../shared/data is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute() { if (!SharedData.Available) Skip = SharedData.MissingReason; }
}

/// <summary>A theory that is skipped, with a clear message, when ../shared/data is absent.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute() { if (!SharedData.Available) Skip = SharedData.MissingReason; }
}

/// <summary>A temporary folder removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() { Directory.CreateDirectory(Root); }
    public string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "streaming-test-" + Guid.NewGuid().ToString("N")[..12]);
    public string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
    public void Dispose() { try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
}
