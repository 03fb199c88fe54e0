using Streaming.Tests;
using Streaming.Training.Backend;

namespace Streaming.Training.Tests.Backend;

public class GlueSymbolCheckTests
{
    [Fact]
    public void Packaged_glue_finds_every_libtorch_symbol_in_libtorch_2_10_quickly()
    {
        var r = GlueSymbolCheck.Run(Libtorches.Glue(), Libtorches.Libtorch210());
        Assert.True(r.Ok, r.Summary());
        Assert.Equal(1204, r.Needed);      // the same counts binutils gives: nm -D --undefined-only, minus glibc/libstdc++
        Assert.Equal(93, r.NeededAtLoad);  // referenced by GOT/data relocations (.rela.dyn), the rest only by PLT slots
        Assert.Empty(r.Missing);
        Assert.Empty(r.Unmatched);
        Assert.False(r.BindNow);
        Assert.Contains(r.Providers, p => p.EndsWith("libtorch_cpu.so", StringComparison.Ordinal));
        Assert.True(r.ElapsedMs < 5000, $"symbol check took {r.ElapsedMs:F0} ms (memory-mapped GNU hash lookups should take well under a second)");
    }

    [DebianTorchFact]
    public void Debian_torch_1_13_is_refused_with_the_missing_symbols_named()
    {
        var r = GlueSymbolCheck.Run(Libtorches.Glue(), Libtorches.Debian113);
        Assert.False(r.Ok);
        Assert.Equal(1204, r.Needed);
        Assert.Equal(304, r.Missing.Count);
        Assert.Equal(3, r.MissingAtLoad);
        Assert.Contains(new MissingSymbol("_ZNK3c105Error4whatEv", AtLoad: true), r.Missing);          // c10::Error::what() const
        Assert.Contains(r.Missing, m => m.Name.StartsWith("_ZN2at4_ops18linalg_vector_norm4call", StringComparison.Ordinal) && !m.AtLoad);
        Assert.True(r.Missing.Take(r.MissingAtLoad).All(m => m.AtLoad), "load-time symbols are listed first");
        // Debian names its libraries libtorch.so.1.13 etc.: the glue's "libtorch.so" would not match the preloaded file.
        Assert.Equal(["libc10.so", "libtorch.so", "libtorch_cpu.so"], r.Unmatched.Select(u => u.Needed).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("soname libtorch.so.1.13", r.Unmatched.Single(u => u.Needed == "libtorch.so").Found);

        var location = LibtorchLocation.FromDirectory(Libtorches.Debian113, "test");
        var message = TorchBackend.MismatchMessage(location, r.Glue, "packaged", r);
        Assert.Contains("304 of the 1,204 libtorch symbols", message);
        Assert.Contains("3 needed at load time, 301 at their first call", message);
        Assert.Contains("torch 1.13.0a0", message);
        Assert.Contains("rebuild-glue.sh", message);
        Assert.Contains("libtorch.so.1.13", message);
    }

    [Fact]
    public void A_library_that_lacks_the_symbols_is_reported_by_name()
    {
        // libtorch_cpu.so replaced by a small library that defines none of the glue's symbols.
        using var t = new Streaming.Tests.TempDir();
        var real = Libtorches.Libtorch210();
        File.CreateSymbolicLink(t.Path("libc10.so"), Path.Combine(real, "libc10.so"));
        File.CreateSymbolicLink(t.Path("libtorch.so"), Path.Combine(real, "libtorch.so"));
        File.CreateSymbolicLink(t.Path("libtorch_cpu.so"), Path.Combine(real, "libtorch_global_deps.so"));
        var r = GlueSymbolCheck.Run(Libtorches.Glue(), t.Root);
        Assert.False(r.Ok);
        Assert.InRange(r.Missing.Count, 1000, 1204);              // all but libc10's
        Assert.Contains(r.Missing, m => m.Name == "_ZN2at4_ops3add3Tensor4callERKN2at6TensorES5_RKN3c106ScalarE" || m.Name.StartsWith("_ZN2at4_ops", StringComparison.Ordinal));
        Assert.DoesNotContain(r.Missing, m => m.Name == "_ZNK3c105Error4whatEv");   // libc10 still defines it
        var u = Assert.Single(r.Unmatched);
        Assert.Equal("libtorch_cpu.so", u.Needed);
        Assert.Contains("soname libtorch_global_deps.so", u.Found);
    }
}
