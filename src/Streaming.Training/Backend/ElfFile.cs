using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Text;

namespace Streaming.Training.Backend;

/// <summary>
/// Read-only view of an ELF64 little-endian shared library: its dynamic symbols, symbol versions, dynamic section
/// (NEEDED, SONAME, FLAGS) and dynamic relocations, read the way the dynamic loader uses them. The file is memory
/// mapped, so a 0.5-1 GB libtorch costs only the pages a lookup touches (section headers, the GNU hash table and
/// the few symbols and names it probes), not a read of the whole file.
/// </summary>
public sealed unsafe class ElfFile : IDisposable
{
    private const uint ShtDynamic = 6, ShtDynsym = 11, ShtRela = 4, ShtGnuHash = 0x6ffffff6;
    private const uint ShtGnuVersym = 0x6fffffff, ShtGnuVerneed = 0x6ffffffe;
    private const long DtNeeded = 1, DtSoname = 14, DtFlags = 30, DtFlags1 = 0x6ffffffb;
    private const uint RX8664JumpSlot = 7;

    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* data;
    private readonly long length;
    private readonly Section[] sections;
    private readonly int dynsymIndex = -1;
    private Dictionary<int, VersionNeed>? versionNeeds;
    private HashSet<string>? scannedExports;

    public string Path { get; }

    private readonly record struct Section(uint Type, long Offset, long Size, int Link, long EntrySize);

    /// <summary>A version requirement (.gnu.version_r): the library that must define it and the version name.</summary>
    public readonly record struct VersionNeed(string File, string Name);

    /// <summary>One .dynsym entry; <see cref="VersionIndex"/> is the .gnu.version index without the hidden bit.</summary>
    public readonly record struct DynamicSymbol(int Index, string Name, int Bind, int Type, int Visibility, int SectionIndex, int VersionIndex, bool Hidden)
    {
        public bool IsDefined => SectionIndex != 0;
        public bool IsWeak => Bind == 2;
    }

    private ElfFile(string path)
    {
        Path = path;
        // FileInfo of a symbolic link describes the link; Debian's torch/lib holds links to the real libraries.
        var real = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        length = new FileInfo(real).Length;
        if (length < 64) throw new InvalidDataException($"{path}: not an ELF file ({length} bytes)");
        map = MemoryMappedFile.CreateFromFile(real, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        data = p + view.PointerOffset;
        if (data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
            throw new InvalidDataException($"{path}: not an ELF file");
        if (data[4] != 2 || data[5] != 1) throw new InvalidDataException($"{path}: not a 64-bit little-endian ELF file");
        long shoff = (long)U64(0x28);
        int shentsize = U16(0x3A), shnum = U16(0x3C);
        if (shoff <= 0 || shnum == 0 || shentsize < 64) throw new InvalidDataException($"{path}: no section headers");
        Check(shoff, (long)shnum * shentsize);
        sections = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            sections[i] = new Section(U32(h + 4), (long)U64(h + 24), (long)U64(h + 32), (int)U32(h + 40), (long)U64(h + 56));
            if (sections[i].Type == ShtDynsym) dynsymIndex = i;
        }
    }

    /// <summary>Opens <paramref name="path"/> (symbolic links followed); throws <see cref="InvalidDataException"/> for non-ELF64 files.</summary>
    public static ElfFile Open(string path) => new(path);

    public void Dispose()
    {
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
    }

    /// <summary>DT_NEEDED entries, in order.</summary>
    public IReadOnlyList<string> Needed => DynamicStrings(DtNeeded);

    /// <summary>DT_SONAME, or null.</summary>
    public string? Soname => DynamicStrings(DtSoname).FirstOrDefault();

    /// <summary>True when the library asks the loader to bind every symbol at load time (DF_BIND_NOW or DF_1_NOW).</summary>
    public bool BindNow => Dynamic().Any(e => (e.Tag == DtFlags && (e.Value & 0x8) != 0) || (e.Tag == DtFlags1 && (e.Value & 0x1) != 0));

    /// <summary>Every .dynsym entry except the null symbol 0.</summary>
    public IEnumerable<DynamicSymbol> DynamicSymbols()
    {
        if (dynsymIndex < 0) yield break;
        var ds = sections[dynsymIndex];
        var strtab = sections[ds.Link];
        var versym = sections.FirstOrDefault(s => s.Type == ShtGnuVersym);
        long n = ds.Size / 24;
        for (int i = 1; i < n; i++) yield return Symbol(ds, strtab, versym, i);
    }

    /// <summary>Version requirements by version index (.gnu.version_r).</summary>
    public IReadOnlyDictionary<int, VersionNeed> VersionNeeds => versionNeeds ??= ReadVersionNeeds();

    /// <summary>
    /// Indexes of dynamic symbols that dynamic relocations refer to: <c>Plt</c> only through PLT jump slots (bound on
    /// first call under lazy binding), <c>Load</c> through any other relocation (bound when the library is loaded).
    /// </summary>
    public (HashSet<int> Load, HashSet<int> Plt) RelocatedSymbols()
    {
        var load = new HashSet<int>();
        var plt = new HashSet<int>();
        foreach (var s in sections)
        {
            if (s.Type != ShtRela || s.Link != dynsymIndex) continue;
            Check(s.Offset, s.Size);
            for (long k = 0; k + 24 <= s.Size; k += 24)
            {
                ulong info = U64(s.Offset + k + 8);
                int sym = (int)(info >> 32);
                uint type = (uint)(info & 0xffffffff);
                if (sym == 0) continue;
                (type == RX8664JumpSlot ? plt : load).Add(sym);
            }
        }
        plt.ExceptWith(load);
        return (load, plt);
    }

    /// <summary>
    /// Whether this library exports a definition of <paramref name="name"/> that an unversioned reference binds to
    /// (defined, global or weak, default or protected visibility, not a hidden version), looked up through the GNU
    /// hash table as the loader does; libraries without one are scanned.
    /// </summary>
    public bool Exports(string name)
    {
        if (dynsymIndex < 0) return false;
        var ds = sections[dynsymIndex];
        var strtab = sections[ds.Link];
        var versym = sections.FirstOrDefault(s => s.Type == ShtGnuVersym);
        var bytes = Encoding.UTF8.GetBytes(name);
        var gnu = sections.FirstOrDefault(s => s.Type == ShtGnuHash && s.Link == dynsymIndex);
        if (gnu.Size == 0) return (scannedExports ??= DynamicSymbols().Where(Binds).Select(s => s.Name).ToHashSet(StringComparer.Ordinal)).Contains(name);

        Check(gnu.Offset, 16);
        uint nbuckets = U32(gnu.Offset), symoffset = U32(gnu.Offset + 4), bloomSize = U32(gnu.Offset + 8), bloomShift = U32(gnu.Offset + 12);
        if (nbuckets == 0 || bloomSize == 0) return false;
        long bloom = gnu.Offset + 16, buckets = bloom + 8L * bloomSize, chains = buckets + 4L * nbuckets;
        uint h = 5381;
        foreach (var c in bytes) h = unchecked(h * 33 + c);
        ulong word = U64(bloom + 8L * ((h / 64) % bloomSize));
        ulong mask = (1UL << (int)(h % 64)) | (1UL << (int)((h >> (int)bloomShift) % 64));
        if ((word & mask) != mask) return false;
        uint index = U32(buckets + 4L * (h % nbuckets));
        if (index < symoffset) return false;
        long symbols = ds.Size / 24;
        for (; index < symbols; index++)
        {
            uint h2 = U32(chains + 4L * (index - symoffset));
            if ((h | 1) == (h2 | 1) && NameEquals(strtab, ds, (int)index, bytes))
            {
                var s = Symbol(ds, strtab, versym, (int)index);
                if (Binds(s)) return true;
            }
            if ((h2 & 1) != 0) break;
        }
        return false;
    }

    private static bool Binds(DynamicSymbol s) =>
        s.IsDefined && s.Bind is 1 or 2 or 10 && s.Visibility is 0 or 3 && !(s.Hidden && s.VersionIndex > 1);

    private DynamicSymbol Symbol(Section ds, Section strtab, Section versym, int i)
    {
        long e = ds.Offset + 24L * i;
        Check(e, 24);
        uint nameOff = U32(e);
        byte info = data[e + 4], other = data[e + 5];
        int shndx = U16(e + 6);
        int ver = 0; bool hidden = false;
        if (versym.Size > 0 && 2L * i + 2 <= versym.Size)
        {
            int v = U16(versym.Offset + 2L * i);
            ver = v & 0x7fff; hidden = (v & 0x8000) != 0;
        }
        return new DynamicSymbol(i, String(strtab, nameOff), info >> 4, info & 0xf, other & 3, shndx, ver, hidden);
    }

    private bool NameEquals(Section strtab, Section ds, int index, byte[] name)
    {
        uint off = U32(ds.Offset + 24L * index);
        if (off + (long)name.Length >= strtab.Size) return false;
        byte* s = data + strtab.Offset + off;
        for (int k = 0; k < name.Length; k++) if (s[k] != name[k]) return false;
        return s[name.Length] == 0;
    }

    private Dictionary<int, VersionNeed> ReadVersionNeeds()
    {
        var result = new Dictionary<int, VersionNeed>();
        var vn = sections.FirstOrDefault(s => s.Type == ShtGnuVerneed);
        if (vn.Size == 0) return result;
        var str = sections[vn.Link];
        long off = vn.Offset, end = vn.Offset + vn.Size;
        while (off + 16 <= end)
        {
            int count = U16(off + 2);
            string file = String(str, U32(off + 4));
            long aux = off + U32(off + 8);
            for (int a = 0; a < count && aux + 16 <= end; a++)
            {
                int index = U16(aux + 6) & 0x7fff;
                result[index] = new VersionNeed(file, String(str, U32(aux + 8)));
                uint next = U32(aux + 12);
                if (next == 0) break;
                aux += next;
            }
            uint vnext = U32(off + 12);
            if (vnext == 0) break;
            off += vnext;
        }
        return result;
    }

    private IEnumerable<(long Tag, ulong Value, int StrTab)> Dynamic()
    {
        foreach (var s in sections.Where(s => s.Type == ShtDynamic))
        {
            Check(s.Offset, s.Size);
            for (long k = 0; k + 16 <= s.Size; k += 16)
            {
                long tag = (long)U64(s.Offset + k);
                if (tag == 0) break;
                yield return (tag, U64(s.Offset + k + 8), s.Link);
            }
        }
    }

    private List<string> DynamicStrings(long tag) =>
        Dynamic().Where(e => e.Tag == tag).Select(e => String(sections[e.StrTab], (uint)e.Value)).ToList();

    private string String(Section strtab, uint offset)
    {
        if (offset >= strtab.Size) throw new InvalidDataException($"{Path}: string offset {offset} outside its table");
        byte* s = data + strtab.Offset + offset;
        long max = strtab.Size - offset, n = 0;
        while (n < max && s[n] != 0) n++;
        return Encoding.UTF8.GetString(s, (int)n);
    }

    private void Check(long offset, long size)
    {
        if (offset < 0 || size < 0 || offset + size > length)
            throw new InvalidDataException($"{Path}: truncated or damaged ELF file (offset {offset} + {size} beyond {length} bytes)");
    }

    private ushort U16(long o) { Check(o, 2); return Unsafe.ReadUnaligned<ushort>(data + o); }
    private uint U32(long o) { Check(o, 4); return Unsafe.ReadUnaligned<uint>(data + o); }
    private ulong U64(long o) { Check(o, 8); return Unsafe.ReadUnaligned<ulong>(data + o); }
}
