using System.Reflection;
using Streaming.Tests;

namespace Streaming.Architecture.Tests;

/// <summary>
/// The project split of docs/architecture.md, held by tests: references point only down the pipeline, the ingest side
/// never reaches TorchSharp, folders are namespaces, and the folders of a project form no cycle.
/// </summary>
public sealed class LayeringTests
{
    private static string Src => Path.Combine(SharedData.RepoRoot(), "src");

    /// <summary>The ingest side: a CPU-only ingest node installs these and never needs libtorch.</summary>
    private static readonly string[] IngestSide = ["Streaming.Imaging", "Streaming.DicomWorker", "Streaming.Shards", "Streaming.Ingest", "Streaming.Synth"];

    /// <summary>Each project's direct project references (each project's README says why).</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["Streaming.Imaging"] = [],
        // The crash-isolated GDCM host: only the DICOM code it runs (Imaging/Formats/Dicom/Isolation).
        ["Streaming.DicomWorker"] = ["Streaming.Imaging"],
        ["Streaming.Shards"] = ["Streaming.Imaging"],
        ["Streaming.Ingest"] = ["Streaming.Imaging", "Streaming.Shards"],
        ["Streaming.Synth"] = ["Streaming.Imaging", "Streaming.Shards"],
        ["Streaming.Sampling"] = ["Streaming.Shards"],
        ["Streaming.Training"] = ["Streaming.Sampling"],
        ["Streaming.Evaluation"] = ["Streaming.Training"],
        ["Streaming.Bench"] = ["Streaming.Ingest", "Streaming.Synth", "Streaming.Training"],
        ["Streaming.Cli"] = ["Streaming.Bench", "Streaming.DicomWorker", "Streaming.Evaluation", "Streaming.Ingest", "Streaming.Sampling", "Streaming.Synth", "Streaming.Training"],
    };

    [Fact]
    public void Projects_reference_exactly_the_layers_below_them_that_their_readme_names()
    {
        var graph = ProjectGraph.Load(Src);
        Assert.Equal(Expected.Keys.Order(), graph.Keys.Order());
        foreach (var (name, refs) in Expected)
            Assert.True(refs.Order().SequenceEqual(graph[name].Projects.Order()),
                $"{name} references [{string.Join(", ", graph[name].Projects.Order())}], expected [{string.Join(", ", refs.Order())}]");
        Assert.All(graph.Keys, p => Assert.DoesNotContain(p, ProjectGraph.Closure(graph, p).Where(r => r != p).SelectMany(r => ProjectGraph.Closure(graph, r))));
    }

    [Fact]
    public void The_ingest_side_declares_no_TorchSharp_anywhere_in_its_reference_closure()
    {
        var graph = ProjectGraph.Load(Src);
        foreach (var project in IngestSide)
            foreach (var p in ProjectGraph.Closure(graph, project))
            {
                Assert.DoesNotContain("Streaming.Training", p);
                Assert.DoesNotContain(graph[p].Packages, IsTorch);
                Assert.DoesNotContain(graph[p].Assemblies, IsTorch);
            }
        // The check itself: Training does declare it.
        Assert.Contains(graph["Streaming.Training"].Packages, IsTorch);
    }

    [Fact]
    public void The_built_ingest_side_assemblies_load_no_TorchSharp()
    {
        Type[] entryTypes = [typeof(Streaming.Imaging.Volumes.Volume<>), typeof(Streaming.Shards.Format.ShardWriter),
            typeof(Streaming.Ingest.Pipeline.IngestRunner), typeof(Streaming.Synth.PhantomGenerator)];
        var seen = new Dictionary<string, AssemblyName>();
        var todo = new Stack<Assembly>(entryTypes.Select(t => t.Assembly));
        while (todo.TryPop(out var a))
            foreach (var r in a.GetReferencedAssemblies())
                if (seen.TryAdd(r.Name!, r) && r.Name!.StartsWith("Streaming.", StringComparison.Ordinal))
                    todo.Push(Assembly.Load(r));
        Assert.Contains("Streaming.Shards", seen.Keys); // the walk does reach our own references
        Assert.DoesNotContain(seen.Keys, IsTorch);
        Assert.DoesNotContain("Streaming.Training", seen.Keys);
    }

    [Fact]
    public void Every_source_file_sits_in_the_folder_its_namespace_names()
    {
        foreach (var (project, files) in Sources())
            foreach (var f in files)
            {
                var folder = Path.GetRelativePath(Path.Combine(Src, project), Path.GetDirectoryName(f.Path)!);
                var expected = folder == "." ? project : project + "." + folder.Replace(Path.DirectorySeparatorChar, '.');
                var actual = NamespaceGraph.NamespaceOf(f.Text);
                if (actual is null && Path.GetFileName(f.Path) == "Program.cs") continue; // top-level statements
                Assert.True(expected == actual, $"{f.Path}: namespace {actual ?? "(none)"}, folder says {expected}");
            }
    }

    [Fact]
    public void The_folders_of_each_project_form_no_cycle()
    {
        foreach (var (project, files) in Sources())
        {
            var edges = NamespaceGraph.Edges(project, files);
            var cycles = NamespaceGraph.Cycles(edges);
            Assert.True(cycles.Count == 0, $"{project}: namespaces in a cycle:\n" + string.Join("\n", cycles.SelectMany(c =>
                edges.Where(e => c.Contains(e.From) && c.Contains(e.To)).Select(e => $"  {e.From} -> {e.To} ({Path.GetFileName(e.File)}: {string.Join(", ", e.Types)})"))));
        }
    }

    [Fact]
    public void The_cycle_check_finds_a_cycle_that_runs_through_an_enclosing_namespace()
    {
        SourceFile[] files =
        [
            new("A/Reader.cs", "using P.B.C;\nusing P.D;\nnamespace P.A;\n/// <see cref=\"Ghost\"/>\npublic class Reader { Helper? h; string s = \"Ghost\"; }"),
            new("B/C/Helper.cs", "namespace P.B.C;\npublic class Helper { Writer? w; }"), // P.B encloses P.B.C: no using needed
            new("B/Writer.cs", "using P.A;\nnamespace P.B;\npublic class Writer { Reader? r; }"),
            new("D/Ghost.cs", "namespace P.D;\npublic class Ghost { }"),
            new("Entry.cs", "using P.A;\nnamespace P;\npublic class Entry { Reader? r; }"), // the root is not a folder
        ];
        var edges = NamespaceGraph.Edges("P", files);
        Assert.Contains(edges, e => e is { From: "P.A", To: "P.B.C" } && e.Types.SequenceEqual(["Helper"]));
        Assert.Contains(edges, e => e is { From: "P.B.C", To: "P.B" } && e.Types.SequenceEqual(["Writer"]));
        Assert.DoesNotContain(edges, e => e.To == "P.D"); // named only in a comment and a string
        Assert.DoesNotContain(edges, e => e.From == "P" || e.To == "P");
        Assert.Equal([["P.A", "P.B", "P.B.C"]], NamespaceGraph.Cycles(edges));
        Assert.Empty(NamespaceGraph.Cycles(edges.Where(e => e.File != "B/Writer.cs")));
    }

    private static bool IsTorch(string name) =>
        name.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase) || name.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<(string Project, List<SourceFile> Files)> Sources() =>
        ProjectGraph.Load(Src).Keys.Order().Select(p => (p, Directory
            .EnumerateFiles(Path.Combine(Src, p), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => new SourceFile(f, File.ReadAllText(f))).ToList()));
}
