using Streaming.Training.Backend;

namespace Streaming.Training.Tests.Backend;

public class ElfFileTests
{
    private static string Lib(string name) => Path.Combine(Libtorches.Libtorch210(), name);

    [Fact]
    public void Reads_the_dynamic_section_of_the_glue()
    {
        using var glue = ElfFile.Open(Libtorches.Glue());
        Assert.Equal("libLibTorchSharp.so", glue.Soname);
        Assert.Equal(["libtorch.so", "libc10.so", "libtorch_cpu.so"], glue.Needed.Take(3).ToArray());
        Assert.Contains("libstdc++.so.6", glue.Needed);
        Assert.False(glue.BindNow);
        Assert.Contains(glue.VersionNeeds.Values, v => v.File == "libstdc++.so.6" && v.Name.StartsWith("GLIBCXX_", StringComparison.Ordinal));
        var (load, plt) = glue.RelocatedSymbols();
        Assert.Empty(load.Intersect(plt));
        Assert.True(plt.Count > 1000, $"{plt.Count} PLT-only symbols");
    }

    [Fact]
    public void Gnu_hash_lookup_finds_every_export_and_rejects_imports_and_unknown_names()
    {
        using var glue = ElfFile.Open(Libtorches.Glue());
        var exports = glue.DynamicSymbols().Where(s => s.IsDefined && s.Bind == 1 && s.Type is 1 or 2).Select(s => s.Name).ToList();   // objects, functions (not _end and such)
        Assert.True(exports.Count > 1000, $"{exports.Count} exports");   // THSTensor_* etc.
        Assert.All(exports, n => Assert.True(glue.Exports(n), n));
        Assert.False(glue.Exports("THSTensor_no_such_function"));
        Assert.False(glue.Exports("_ZNK3c105Error4whatEv"));             // imported by the glue, not defined

        using var c10 = ElfFile.Open(Lib("libc10.so"));
        Assert.True(c10.Exports("_ZNK3c105Error4whatEv"));
        Assert.False(c10.Exports("memcpy"));                             // an import of libc10
    }

    [Fact]
    public void Damaged_and_foreign_files_are_refused_with_a_reason()
    {
        using var t = new Streaming.Tests.TempDir();
        File.WriteAllText(t.Path("text.so"), "not a library at all, just some text long enough to have an ELF header's size.....");
        Assert.Contains("not an ELF file", Assert.Throws<InvalidDataException>(() => ElfFile.Open(t.Path("text.so"))).Message);

        var bytes = File.ReadAllBytes(Libtorches.Glue());
        File.WriteAllBytes(t.Path("truncated.so"), bytes[..(bytes.Length / 2)]);   // section headers are at the end
        Assert.Contains("truncated or damaged", Assert.Throws<InvalidDataException>(() => ElfFile.Open(t.Path("truncated.so"))).Message);
    }
}
