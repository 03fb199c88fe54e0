using System.Xml.Linq;

namespace Streaming.Architecture.Tests;

/// <summary>The src/ projects as their .csproj files declare them: project, package and assembly references.</summary>
internal sealed record ProjectInfo(string Name, IReadOnlySet<string> Projects, IReadOnlySet<string> Packages, IReadOnlySet<string> Assemblies);

internal static class ProjectGraph
{
    public static IReadOnlyDictionary<string, ProjectInfo> Load(string srcDir) =>
        Directory.GetDirectories(srcDir)
            .Select(d => Path.Combine(d, Path.GetFileName(d) + ".csproj"))
            .Where(File.Exists)
            .Select(Read)
            .ToDictionary(p => p.Name);

    private static ProjectInfo Read(string csproj)
    {
        var x = XDocument.Load(csproj);
        IReadOnlySet<string> Items(string kind, Func<string, string> name) =>
            x.Descendants(kind).Select(e => (string?)e.Attribute("Include")).OfType<string>().Select(name).ToHashSet();
        return new ProjectInfo(Path.GetFileNameWithoutExtension(csproj),
            Items("ProjectReference", p => Path.GetFileNameWithoutExtension(p.Replace('\\', '/'))),
            Items("PackageReference", p => p),
            Items("Reference", p => p));
    }

    /// <summary>The project and everything it references, directly or not.</summary>
    public static IReadOnlySet<string> Closure(IReadOnlyDictionary<string, ProjectInfo> graph, string project)
    {
        var seen = new HashSet<string>();
        var todo = new Stack<string>([project]);
        while (todo.TryPop(out var p))
            if (seen.Add(p))
                foreach (var r in graph[p].Projects) todo.Push(r);
        return seen;
    }
}
