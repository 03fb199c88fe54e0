using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Imaging.Tests.Formats.Nifti;

public sealed class NiftiWriterTests
{
    private static readonly VolumeGeometry Small = VolumeGeometry.Axial(new Int3(3, 2, 2), new Vec3(1, 1, 1));
    private static Volume<short> Ramp() => new(Small, Enumerable.Range(0, 12).Select(i => (short)(i * 100 - 500)).ToArray());

    [Fact]
    public void Gz_suffix_decides_compression_and_reading_goes_by_magic_bytes_not_the_name()
    {
        using var tmp = new TempDir();
        NiftiWriter.Write(tmp.Path("a.nii.gz"), Ramp());
        NiftiWriter.Write(tmp.Path("a.nii"), Ramp());
        Assert.Equal(new byte[] { 0x1F, 0x8B }, File.ReadAllBytes(tmp.Path("a.nii.gz"))[..2]);
        Assert.Equal(new byte[] { 0x5C, 0x01, 0, 0 }, File.ReadAllBytes(tmp.Path("a.nii"))[..4]); // sizeof_hdr 348 LE
        Assert.Equal(352 + 24, new FileInfo(tmp.Path("a.nii")).Length);

        File.Move(tmp.Path("a.nii.gz"), tmp.Path("misnamed.nii"));
        Assert.Equal(Ramp().Data.Select(v => (float)v), NiftiReader.Read(tmp.Path("misnamed.nii")).Volume.Data);
    }

    [Fact]
    public void Writing_replaces_the_target_atomically_and_leaves_no_temporary_files()
    {
        using var tmp = new TempDir();
        var path = tmp.Path("v.nii.gz");
        File.WriteAllText(path, "old content");
        NiftiWriter.Write(path, Ramp());
        Assert.Equal(new[] { "v.nii.gz" }, Directory.GetFiles(tmp.Root).Select(Path.GetFileName));
        Assert.Equal(-500f, NiftiReader.Read(path).Volume.Data[0]);

        // Invalid options fail before anything is written: the previous file survives untouched.
        var before = File.ReadAllBytes(path);
        Assert.Throws<ArgumentException>(() => NiftiWriter.Write(path, Ramp(), new NiftiWriteOptions { SclSlope = 0 }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(tmp.Root));
    }

    [Fact]
    public void Header_fields_say_what_the_options_asked_for()
    {
        using var tmp = new TempDir();
        var path = tmp.Path("h.nii");
        NiftiWriter.Write(path, Ramp(), new NiftiWriteOptions
        {
            SformCode = 2, QformCode = 0, Description = new string('d', 100) + "ignored", DataType = NiftiDataType.Int32,
        });
        var h = NiftiReader.ReadHeader(path);
        Assert.Equal(2, h.SformCode);
        Assert.Equal(0, h.QformCode);
        Assert.Equal(new string('d', 79), h.Description); // 80-byte field keeps its terminating NUL
        Assert.Equal(2, h.XyztUnits); // millimetres
        Assert.Equal([3L, 3, 2, 2, 1, 1, 1, 1], h.Dim);
        Assert.Equal(32, h.BitPix);
    }

    [Fact]
    public void Invalid_requests_are_refused_with_reasons()
    {
        using var tmp = new TempDir();
        var p = tmp.Path("x.nii");
        Assert.Contains("version", Assert.Throws<ArgumentException>(() => NiftiWriter.Write(p, Ramp(), new NiftiWriteOptions { Version = 3 })).Message);
        Assert.Contains("compression", Assert.Throws<ArgumentException>(() => NiftiWriter.Write(p, Ramp(), new NiftiWriteOptions { CompressionLevel = 10 })).Message);
        var bad = new Volume<short>(Small with { Spacing = new Vec3(1, 0, 1) });
        Assert.Contains("spacing", Assert.Throws<ArgumentException>(() => NiftiWriter.Write(p, bad)).Message);
        var wide = new Volume<byte>(VolumeGeometry.Axial(new Int3(40000, 1, 1), new Vec3(1, 1, 1)));
        Assert.Contains("NIfTI-2", Assert.Throws<ArgumentException>(() => NiftiWriter.Write(p, wide)).Message);
        NiftiWriter.Write(p, wide, new NiftiWriteOptions { Version = 2, DataType = NiftiDataType.UInt8 });
        Assert.Equal(40000, NiftiReader.ReadHeader(p).Dim[1]);
        Assert.False(File.Exists(tmp.Path("never.nii")));
    }

    [Fact]
    public void Hdr_img_pair_is_read_from_the_separate_image_file()
    {
        using var tmp = new TempDir();
        var header = NiftiTestFiles.HeaderFor(Small) with { SingleFile = false, VoxOffset = 0 };
        File.WriteAllBytes(tmp.Path("pair.hdr"), NiftiTestFiles.Encode(header));
        var data = Ramp().Data;
        File.WriteAllBytes(tmp.Path("pair.img"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        Assert.Equal(data.Select(v => (float)v), NiftiReader.Read(tmp.Path("pair.hdr")).Volume.Data);

        File.Delete(tmp.Path("pair.img"));
        var e = Assert.Throws<InvalidDataException>(() => NiftiReader.Read(tmp.Path("pair.hdr")));
        Assert.Contains("pair.img", e.Message);
    }
}
