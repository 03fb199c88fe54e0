using System.Text.RegularExpressions;

namespace Streaming.Architecture.Tests;

/// <summary>One source file as the namespace check sees it.</summary>
internal sealed record SourceFile(string Path, string Text);

/// <summary>A dependency of one namespace on another, with the file and the types that make it.</summary>
internal sealed record NamespaceEdge(string From, string To, string File, IReadOnlyList<string> Types);

/// <summary>
/// Which namespaces of one project use which, read from the sources without compiling them: a file depends on another
/// namespace of its project when it names a type declared there and that namespace is visible to it (a using
/// directive, or an enclosing namespace). Comments and strings are ignored. The project's root namespace is its entry
/// points and shared vocabulary, so edges to and from it are not part of the folder graph.
/// </summary>
internal static partial class NamespaceGraph
{
    public static IReadOnlyList<NamespaceEdge> Edges(string project, IEnumerable<SourceFile> files)
    {
        var parsed = files.Select(f => (f.Path, Namespace: NamespaceOf(f.Text) ?? project, Usings: Usings(f.Text), Code: Strip(f.Text))).ToList();
        var types = parsed
            .SelectMany(f => TypeDeclaration().Matches(f.Code).Select(m => (f.Namespace, Type: m.Groups[1].Value)))
            .GroupBy(t => t.Namespace).ToDictionary(g => g.Key, g => g.Select(t => t.Type).ToHashSet());
        var edges = new List<NamespaceEdge>();
        foreach (var f in parsed)
        {
            if (f.Namespace == project) continue;
            var visible = f.Usings.Where(u => u.StartsWith(project + ".", StringComparison.Ordinal)).ToHashSet();
            var parts = f.Namespace.Split('.');
            for (var i = project.Split('.').Length + 1; i < parts.Length; i++) visible.Add(string.Join('.', parts[..i]));
            var identifiers = Identifier().Matches(f.Code).Select(m => m.Value).ToHashSet();
            foreach (var other in visible)
                if (other != f.Namespace && types.TryGetValue(other, out var declared) && declared.Intersect(identifiers).Order().ToList() is { Count: > 0 } used)
                    edges.Add(new NamespaceEdge(f.Namespace, other, f.Path, used));
        }
        return edges;
    }

    /// <summary>Every strongly connected set of two or more namespaces (Tarjan), each sorted.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(IEnumerable<NamespaceEdge> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Distinct().ToList());
        var nodes = edges.SelectMany(e => new[] { e.From, e.To }).Distinct().Order(StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<IReadOnlyList<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v); onStack.Add(v);
            foreach (var w in next.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            if (component.Count > 1) result.Add(component.Order(StringComparer.Ordinal).ToList());
        }
        foreach (var n in nodes) if (!index.ContainsKey(n)) Visit(n);
        return result;
    }

    public static string? NamespaceOf(string text) => FileNamespace().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    private static HashSet<string> Usings(string text) => UsingDirective().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();

    /// <summary>The code without comments, string and char literals (their words are not uses).</summary>
    private static string Strip(string text) => Literal().Replace(text, m => m.Value.StartsWith('/') ? " " : "\"\"");

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^using\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|\$?""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)'", RegexOptions.Singleline)]
    private static partial Regex Literal();
}
