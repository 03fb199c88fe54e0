using Streaming.Imaging.Volumes;
using static Streaming.Cli.Tests.Faults.FaultFiles;

namespace Streaming.Cli.Tests.Faults;

/// <summary>A bad NIfTI file of the archive: its name, how it is made from a good file (raw, gzipped), what the run must say.</summary>
public sealed record NiftiCase(string File, Func<byte[], byte[], byte[]> Make, string Outcome, params string[] Reason)
{
    public override string ToString() => File;
}

/// <summary>A DICOM folder of the archive: how it is built from the good series, where the finding is, what the run must say.</summary>
public sealed record DicomCase(string Folder, Action<string, IReadOnlyList<string>> Build, string Outcome, string At, params string[] Reason)
{
    public override string ToString() => Folder;
}

/// <summary>
/// The bad-file cases (Outcome: "failure" = reported failed, the run goes on, exit 2; "note" = reported, skipped, nothing
/// lost; "ok" = ingested, possibly corrected). Reason lists substrings that must all appear in the reported reason.
/// </summary>
public static class BadFileCases
{
    private const int Dim = 40, DataType = 70, BitPix = 72, PixDim = 76, VoxOffset = 108, SclSlope = 112, Magic = 344;

    public static readonly NiftiCase[] Nifti =
    [
        new("empty.nii", (_, _) => [], "failure", "truncated header"),
        new("text.nii", (_, _) => "this is not an image\n"u8.ToArray(), "failure", "text.nii"),
        new("short-header.nii", (g, _) => g[..200], "failure", "truncated header"),
        new("short-header-gz.nii.gz", (g, _) => Gzip(g[..100]), "failure", "truncated header"),
        new("short-data.nii", (g, _) => g[..(g.Length / 2)], "failure", "truncated voxel data"),
        new("short-data-gz.nii.gz", (g, _) => Gzip(g[..(g.Length - 100)]), "failure", "truncated voxel data"),
        new("gz-cut-middle.nii.gz", (_, z) => z[..(z.Length / 2)], "failure", "gz-cut-middle"),
        new("gz-trailer-cut8.nii.gz", (_, z) => z[..^8], "failure", "gzip trailer missing or damaged"),
        new("gz-trailer-cut4.nii.gz", (_, z) => z[..^4], "failure", "gzip trailer missing or damaged"),
        new("gz-trailer-cut1.nii.gz", (_, z) => z[..^1], "failure", "gzip trailer missing or damaged"),
        new("gz-crc-flipped.nii.gz", (_, z) => Flip(z, z.Length - 7), "failure", "gzip"),
        new("gz-size-flipped.nii.gz", (_, z) => Flip(z, z.Length - 3), "failure", "corrupt gzip stream"),
        new("gz-extra-bytes.nii.gz", (_, z) => [.. z, .. "junk"u8.ToArray()], "failure", "gz-extra-bytes"),
        new("bad-magic.nii", (g, _) => Edit(g, b => { b[Magic] = (byte)'x'; }), "failure", "magic"),
        new("dim-zero.nii", (g, _) => Edit(g, b => Short(b, Dim + 2, 0)), "failure", "dim"),
        new("dim-negative.nii", (g, _) => Edit(g, b => Short(b, Dim + 4, -5)), "failure", "dim"),
        new("dim-huge.nii", (g, _) => Edit(g, b => { Short(b, Dim + 2, 32767); Short(b, Dim + 4, 32767); Short(b, Dim + 6, 32767); }), "failure", "dim-huge"),
        new("rank-9.nii", (g, _) => Edit(g, b => Short(b, Dim, 9)), "failure", "rank-9"),
        new("four-d.nii", (g, _) => Edit(g, b => { Short(b, Dim, 4); Short(b, Dim + 8, 2); }), "failure", "four-d"),
        new("datatype-unknown.nii", (g, _) => Edit(g, b => Short(b, DataType, 1234)), "failure", "datatype"),
        new("bitpix-wrong.nii", (g, _) => Edit(g, b => Short(b, BitPix, 8)), "failure", "bitpix"),
        new("pixdim-nan.nii", (g, _) => Edit(g, b => Float(b, PixDim + 4, float.NaN)), "failure", "pixdim-nan"),
        new("pixdim-zero.nii", (g, _) => Edit(g, b => Float(b, PixDim + 8, 0)), "failure", "pixdim-zero"),
        new("vox-offset-inside.nii", (g, _) => Edit(g, b => Float(b, VoxOffset, 100)), "failure", "vox_offset"),
        new("vox-offset-beyond.nii", (g, _) => Edit(g, b => Float(b, VoxOffset, 1e9f)), "failure", "vox-offset-beyond"),
        new("extra-voxels.nii", (g, _) => [.. g, .. new byte[4096]], "failure", "dims do not match the data"),
        new("slope-nan.nii", (g, _) => Edit(g, b => Float(b, SclSlope, float.NaN)), "ok"),
        new("gz-empty.nii.gz", (_, _) => Gzip([]), "failure", "truncated header"),
        new("extra-voxels-gz.nii.gz", (g, _) => Gzip([.. g, .. new byte[4096]]), "failure", "dims do not match the data"),
        new("mr-as-ct.nii.gz", (_, _) => Gzip(NiftiBytes(MrLike())), "failure", "does not look like CT", "MR spec"),
    ];

    public static readonly DicomCase[] Dicom =
    [
        new("good", (_, _) => { }, "ok", "good"),
        new("onebit-ct", (root, good) => CopyWith(root, "onebit-ct", good, 5, (src, dst) => OneBit(src, dst, asCt: true)),
            "failure", "onebit-ct", "crashed", "SIGABRT", "IM0006.dcm"),
        new("with-seg", (root, good) => { CopyWith(root, "with-seg", good, -1, null); OneBit(good[0], Path.Combine(root, "with-seg", "seg.dcm"), asCt: false); },
            "note", "with-seg/seg.dcm", "non-image DICOM object", "Segmentation (SEG)"),
        new("seg-only", (root, good) => { Directory.CreateDirectory(Path.Combine(root, "seg-only")); OneBit(good[0], Path.Combine(root, "seg-only", "seg.dcm"), asCt: false); },
            "note", "seg-only/seg.dcm", "non-image DICOM object", "skipped before decoding"),
        new("with-objects/rtstruct", (root, good) => WithObjects(root, good), "note", "with-objects/rtstruct.dcm", "RT Structure Set"),
        new("with-objects/sr", (_, _) => { }, "note", "with-objects/sr.dcm", "Structured Report"),
        new("with-objects/ko", (_, _) => { }, "note", "with-objects/ko.dcm", "Key Object Selection"),
        new("with-objects/pr", (_, _) => { }, "note", "with-objects/pr.dcm", "Presentation State"),
        new("with-objects/dicomdir", (_, _) => { }, "note", "with-objects/DICOMDIR", "DICOMDIR"),
        new("with-objects/not-dicom", (_, _) => { }, "note", "with-objects/notes.txt", "not a readable DICOM file"),
        new("with-objects/empty", (_, _) => { }, "note", "with-objects/empty.dcm", "too short to be DICOM"),
        new("damaged-meta-beside", (root, good) => { CopyWith(root, "damaged-meta-beside", good, -1, null); DamagedMeta(good[0], Path.Combine(root, "damaged-meta-beside", "zz-damaged.dcm")); },
            "note", "damaged-meta-beside/zz-damaged.dcm", "meta header"),
        new("truncated-pixels", (root, good) => CopyWith(root, "truncated-pixels", good, 3, (s, d) => File.WriteAllBytes(d, File.ReadAllBytes(s)[..^500])),
            "failure", "truncated-pixels", "truncated"),
        new("missing-slice", (root, good) => CopyWith(root, "missing-slice", good, 7, (_, d) => { }), "failure", "missing-slice", "missing slice"),
        new("duplicate-slice", (root, good) => { CopyWith(root, "duplicate-slice", good, -1, null); EditDicom(good[4], Path.Combine(root, "duplicate-slice", "IM0099.dcm"), d => d.Text(0x0008, 0x0018, gdcm.VR.VRType.UI, "1.2.3.99")); },
            "failure", "duplicate-slice", "duplicate slice position"),
        new("mixed-size", (root, good) => CopyWith(root, "mixed-size", good, 2, (s, d) => EditDicom(s, d, e => e.UShort(0x0028, 0x0010, 16))),
            "failure", "mixed-size", "inconsistent image size"),
        new("no-position", (root, good) => CopyWith(root, "no-position", good, 2, (s, d) => EditDicom(s, d, e => e.Remove(0x0020, 0x0032))),
            "failure", "no-position", "no ImagePositionPatient"),
        new("tilted", (root, good) => Reposition(root, "tilted", good, k => new Vec3(-48, -48 + 3 * k * Math.Tan(15 * Math.PI / 180), 3 * k)),
            "ok", "tilted"),
        new("uneven", (root, good) => Reposition(root, "uneven", good, k => new Vec3(-48, -48, k < 8 ? 3 * k : 21 + 4.5 * (k - 7))),
            "ok", "uneven"),
        new("no-uid", (root, good) => CopyWith(root, "no-uid", good, -1, (s, d) => EditDicom(s, d, e => e.Remove(0x0020, 0x000E)), all: true),
            "ok", "no-uid"),
        new("latin1-names", (root, good) =>
            {
                CopyWith(root, "latin1-names", good, -1, null);
                Shell.Run($"cd '{root}/latin1-names' && for f in *.dcm; do mv \"$f\" \"$(basename \"$f\" .dcm)$(printf '\\351').dcm\"; done");
            }, "ok", "latin1-names"),
        new("huge-rows", (root, good) => CopyWith(root, "huge-rows", good, -1, (s, d) => EditDicom(s, d, e => { e.UShort(0x0028, 0x0010, 65535); e.UShort(0x0028, 0x0011, 65535); }), all: true),
            "failure", "huge-rows", "more than one volume can hold"),
        new("single-slice", (root, good) => { Directory.CreateDirectory(Path.Combine(root, "single-slice")); File.Copy(good[0], Path.Combine(root, "single-slice", "IM0001.dcm")); },
            "failure", "single-slice", "a volume needs at least 2"),
        new("not-orthonormal", (root, good) => CopyWith(root, "not-orthonormal", good, -1, (s, d) => EditDicom(s, d, e => e.Text(0x0020, 0x0037, gdcm.VR.VRType.DS, "1\\0\\0\\0.7\\0.7\\0")), all: true),
            "failure", "not-orthonormal", "not orthonormal"),
        new("rgb-slice", (root, good) => CopyWith(root, "rgb-slice", good, 4, (s, d) => EditDicom(s, d, e => { e.UShort(0x0028, 0x0002, 3); e.Text(0x0028, 0x0004, gdcm.VR.VRType.CS, "RGB"); })),
            "failure", "rgb-slice", "3 samples per pixel"),
        new("mr-series", (root, _) => DicomSeries(Path.Combine(root, "mr-series"), 7, Modality.MR), "note", "mr-series", "skipped: MR volume, spec is CT"),
    ];

    /// <summary>Copies the good series into a folder; slice <paramref name="index"/> is replaced by <paramref name="make"/> (null make: left out), or every slice when <paramref name="all"/>.</summary>
    private static void CopyWith(string root, string folder, IReadOnlyList<string> good, int index, Action<string, string>? make, bool all = false)
    {
        var dir = Path.Combine(root, folder);
        Directory.CreateDirectory(dir);
        for (var k = 0; k < good.Count; k++)
        {
            var target = Path.Combine(dir, Path.GetFileName(good[k]));
            if (k == index || all) make?.Invoke(good[k], target);
            else File.Copy(good[k], target);
        }
    }

    private static void Reposition(string root, string folder, IReadOnlyList<string> good, Func<int, Vec3> position)
    {
        var dir = Path.Combine(root, folder);
        Directory.CreateDirectory(dir);
        for (var k = 0; k < good.Count; k++)
            EditDicom(good[k], Path.Combine(dir, Path.GetFileName(good[k])), d => d.Position(position(k)));
    }

    private static void WithObjects(string root, IReadOnlyList<string> good)
    {
        CopyWith(root, "with-objects", good, -1, null);
        var dir = Path.Combine(root, "with-objects");
        NonImage(good[0], Path.Combine(dir, "rtstruct.dcm"), "1.2.840.10008.5.1.4.1.1.481.3", "RTSTRUCT");
        NonImage(good[0], Path.Combine(dir, "sr.dcm"), "1.2.840.10008.5.1.4.1.1.88.33", "SR");
        NonImage(good[0], Path.Combine(dir, "ko.dcm"), "1.2.840.10008.5.1.4.1.1.88.59", "KO");
        NonImage(good[0], Path.Combine(dir, "pr.dcm"), "1.2.840.10008.5.1.4.1.1.11.1", "PR");
        NonImage(good[0], Path.Combine(dir, "DICOMDIR"), "1.2.840.10008.1.3.10", "OT");
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "reading notes, not DICOM\n");
        File.WriteAllBytes(Path.Combine(dir, "empty.dcm"), []);
    }

    private static byte[] Flip(byte[] b, int at)
    {
        var c = (byte[])b.Clone();
        c[at] ^= 0x5A;
        return c;
    }
}
