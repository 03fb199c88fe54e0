using System.Diagnostics;
using System.Globalization;

namespace Streaming.Training.Backend;

/// <summary>A libtorch symbol the glue imports that the libtorch libraries do not define.</summary>
/// <param name="AtLoad">Referenced by a data/GOT relocation: a missing one makes loading the glue fail; otherwise it
/// is bound lazily and a missing one kills the process ("symbol lookup error") at the first call that needs it.</param>
public sealed record MissingSymbol(string Name, bool AtLoad);

/// <summary>A DT_NEEDED libtorch library of the glue that no library in the folder provides under that soname.</summary>
public sealed record UnmatchedLibrary(string Needed, string Found);

/// <summary>Result of <see cref="GlueSymbolCheck.Run"/>.</summary>
public sealed record GlueCheckReport(
    string Glue, string LibDir, IReadOnlyList<string> Providers, int Needed, int NeededAtLoad, bool BindNow,
    IReadOnlyList<MissingSymbol> Missing, IReadOnlyList<UnmatchedLibrary> Unmatched, double ElapsedMs)
{
    public bool Ok => Missing.Count == 0 && Unmatched.Count == 0;
    public int MissingAtLoad => Missing.Count(m => m.AtLoad);

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"{Needed:N0} libtorch symbols needed ({NeededAtLoad:N0} at load), {Missing.Count:N0} missing ({MissingAtLoad:N0} at load, {Missing.Count - MissingAtLoad:N0} at first call){(BindNow ? ", glue binds all symbols at load" : "")}; checked in {ElapsedMs:F0} ms");
}

/// <summary>
/// Checks, without loading anything, that every libtorch symbol TorchSharp's native glue (libLibTorchSharp.so)
/// imports is defined by the libtorch libraries it will bind to, so a mismatched libtorch fails with a message
/// instead of a "symbol lookup error" that kills the process at the first call that needs a missing symbol.
/// Providers are the glue's DT_NEEDED libraries found in the libtorch folder (by soname, as the loader matches
/// preloaded libraries) and, recursively, theirs. Imports bound to a versioned system library (glibc, libstdc++,
/// libgcc) and weak imports are not libtorch's and are skipped.
/// </summary>
public static class GlueSymbolCheck
{
    public static GlueCheckReport Run(string gluePath, string libDir)
    {
        var clock = Stopwatch.StartNew();
        using var glue = ElfFile.Open(gluePath);
        var byName = IndexFolder(libDir);
        var providers = new List<ElfFile>();
        var unmatched = new List<UnmatchedLibrary>();
        try
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var queue = new Queue<(string Needed, bool FromGlue)>(glue.Needed.Select(n => (n, true)));
            while (queue.Count > 0)
            {
                var (needed, fromGlue) = queue.Dequeue();
                if (!seen.Add(needed)) continue;
                if (!byName.TryGetValue(needed, out var entry))
                {
                    if (fromGlue && IsTorchLibrary(needed)) unmatched.Add(new UnmatchedLibrary(needed, "no such library in the folder"));
                    continue;
                }
                if (entry.Soname != needed)
                {
                    // A file of that name whose soname differs (Debian's libtorch.so -> libtorch.so.1.13): the loader
                    // would not match the preloaded library and would search for another one.
                    if (fromGlue) unmatched.Add(new UnmatchedLibrary(needed, $"{Path.GetFileName(entry.Path)} has soname {entry.Soname ?? "(none)"}"));
                }
                var elf = ElfFile.Open(entry.Path);
                providers.Add(elf);
                foreach (var n in elf.Needed) queue.Enqueue((n, false));
            }

            var providerNames = new HashSet<string>(providers.SelectMany(p => new[] { Path.GetFileName(p.Path), p.Soname ?? "" }), StringComparer.Ordinal);
            var (load, _) = glue.RelocatedSymbols();
            bool bindNow = glue.BindNow;
            var versions = glue.VersionNeeds;
            var wanted = glue.DynamicSymbols()
                .Where(s => !s.IsDefined && !s.IsWeak)
                .Where(s => s.VersionIndex <= 1 || (versions.TryGetValue(s.VersionIndex, out var v) && providerNames.Contains(v.File)))
                .ToList();
            var missing = wanted
                .Where(s => !providers.Any(p => p.Exports(s.Name)))
                .Select(s => new MissingSymbol(s.Name, bindNow || load.Contains(s.Index)))
                .OrderByDescending(m => m.AtLoad).ToList();
            return new GlueCheckReport(Path.GetFullPath(gluePath), Path.GetFullPath(libDir), providers.Select(p => p.Path).ToList(),
                wanted.Count, wanted.Count(s => bindNow || load.Contains(s.Index)), bindNow, missing, unmatched, clock.Elapsed.TotalMilliseconds);
        }
        finally
        {
            foreach (var p in providers) p.Dispose();
        }
    }

    private static bool IsTorchLibrary(string soname) => soname.StartsWith("libtorch", StringComparison.Ordinal) || soname.StartsWith("libc10", StringComparison.Ordinal);

    /// <summary>Shared libraries of the folder by file name and by soname (a soname match wins, as for the loader).</summary>
    private static Dictionary<string, (string Path, string? Soname)> IndexFolder(string dir)
    {
        var result = new Dictionary<string, (string, string?)>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (!name.Contains(".so", StringComparison.Ordinal)) continue;
            string? soname;
            try { using var elf = ElfFile.Open(file); soname = elf.Soname; }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { continue; }
            result.TryAdd(name, (file, soname));
            if (soname is not null) result[soname] = (file, soname);
        }
        return result;
    }
}
