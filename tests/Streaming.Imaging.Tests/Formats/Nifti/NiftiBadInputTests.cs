using System.Buffers.Binary;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Imaging.Tests.Formats.Nifti;

/// <summary>Broken files made from the real CT's bytes: each must fail with the path and the reason in the message.</summary>
public sealed class NiftiBadInputTests
{
    private static string Ct => SharedData.Path("nifti", "ct-abdomen-3mm", "image.nii.gz");
    private const int CtVoxelBytes = 122 * 101 * 30 * 2; // 739320

    private static InvalidDataException ReadFails(string path)
    {
        var e = Assert.Throws<InvalidDataException>(() => NiftiReader.Read(path));
        Assert.Contains(path, e.Message);
        return e;
    }

    /// <summary>The decompressed CT with <paramref name="patch"/> applied, written as .nii (and .nii.gz when asked).</summary>
    private static string PatchedCt(TempDir tmp, Action<byte[]> patch, bool gzip = false)
    {
        var bytes = NiftiTestFiles.Decompressed(Ct);
        patch(bytes);
        var path = tmp.Path(gzip ? "ct.nii.gz" : "ct.nii");
        if (gzip) NiftiTestFiles.WriteGzip(path, bytes); else File.WriteAllBytes(path, bytes);
        return path;
    }

    [SharedDataFact]
    public void Truncated_gzip_cut_in_half_fails_but_its_header_is_still_readable()
    {
        using var tmp = new TempDir();
        var whole = File.ReadAllBytes(Ct);
        var path = tmp.Path("half.nii.gz");
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        Assert.Equal(new Int3(122, 101, 30), NiftiReader.ReadHeader(path).Shape);
        var e = ReadFails(path);
        Assert.Contains("739320", e.Message); // the bytes the dims need
        Assert.Matches("truncated|corrupt gzip", e.Message);
        Assert.Throws<InvalidDataException>(() => NiftiReader.ReadRaw(path));
    }

    [SharedDataFact]
    public void Truncated_uncompressed_data_reports_expected_and_available_bytes()
    {
        using var tmp = new TempDir();
        var bytes = NiftiTestFiles.Decompressed(Ct);
        var path = tmp.Path("cut.nii");
        File.WriteAllBytes(path, bytes[..(352 + 1000)]);
        var e = ReadFails(path);
        Assert.Contains("truncated voxel data", e.Message);
        Assert.Contains($"need {CtVoxelBytes} bytes", e.Message);
        Assert.Contains("holds 1000", e.Message);
    }

    [SharedDataFact]
    public void Corrupt_sizeof_hdr_is_rejected_as_a_corrupt_header()
    {
        using var tmp = new TempDir();
        var path = PatchedCt(tmp, b => BinaryPrimitives.WriteInt32LittleEndian(b, 349), gzip: true);
        var e = ReadFails(path);
        Assert.Contains("sizeof_hdr is 349", e.Message);
        Assert.Throws<InvalidDataException>(() => NiftiReader.ReadHeader(path));
    }

    [SharedDataFact]
    public void Corrupt_magic_is_rejected()
    {
        using var tmp = new TempDir();
        var path = PatchedCt(tmp, b => b[345] = (byte)'x');
        var e = ReadFails(path);
        Assert.Contains("magic is 'nx1\\x00'", e.Message);
    }

    [SharedDataTheory]
    [InlineData(1, 0f, "pixdim[1] = 0")]
    [InlineData(2, float.NaN, "pixdim[2] = NaN")]
    [InlineData(3, -3f, "pixdim[3] = -3")]
    public void Zero_negative_or_NaN_pixdim_is_invalid_spacing(int axis, float value, string reason)
    {
        using var tmp = new TempDir();
        var path = PatchedCt(tmp, b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(76 + 4 * axis), value));
        var e = ReadFails(path);
        Assert.Contains("invalid voxel spacing", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [SharedDataTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dims_larger_than_the_data_fail_with_both_sizes(bool gzip)
    {
        using var tmp = new TempDir();
        var path = PatchedCt(tmp, b => BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(46), 31), gzip);
        var e = ReadFails(path);
        Assert.Contains($"need {122 * 101 * 31 * 2} bytes", e.Message);
        Assert.Contains($"holds {CtVoxelBytes}", e.Message);
    }

    [SharedDataTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dims_smaller_than_the_data_fail(bool gzip)
    {
        using var tmp = new TempDir();
        var path = PatchedCt(tmp, b => BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(46), 29), gzip);
        var e = ReadFails(path);
        Assert.Contains("dims do not match the data", e.Message);
        Assert.Contains($"need {122 * 101 * 29 * 2} bytes", e.Message);
    }

    [SharedDataFact]
    public void Unsupported_datatype_is_named()
    {
        using var tmp = new TempDir();
        var path = PatchedCt(tmp, b =>
        {
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(70), 128); // RGB24
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(72), 24);
        });
        Assert.Contains("unsupported datatype 128 (RGB24)", ReadFails(path).Message);
    }

    [SharedDataFact]
    public void Bitpix_that_contradicts_the_datatype_is_a_corrupt_header()
    {
        using var tmp = new TempDir();
        var path = PatchedCt(tmp, b => BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(72), 8));
        Assert.Contains("bitpix 8 does not match datatype INT16", ReadFails(path).Message);
    }

    [SharedDataFact]
    public void A_real_4D_image_is_rejected_with_its_frame_count()
    {
        using var tmp = new TempDir();
        var path = PatchedCt(tmp, b =>
        {
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(40), 4);
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(48), 2);
        });
        Assert.Contains("4D image with 2 volumes", ReadFails(path).Message);
    }

    [SharedDataFact]
    public void Ct_intensities_are_not_a_label_map()
    {
        var e = Assert.Throws<InvalidDataException>(() => NiftiReader.ReadLabels(Ct));
        Assert.Contains(Ct, e.Message);
        Assert.Contains("voxel (0, 0, 0) holds -1024", e.Message);
    }

    [Fact]
    public void Garbage_after_the_gzip_magic_is_a_corrupt_gzip_stream()
    {
        using var tmp = new TempDir();
        var path = tmp.Path("bad.nii.gz");
        File.WriteAllBytes(path, [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0x12, 0x34]);
        var e = Assert.Throws<InvalidDataException>(() => NiftiReader.ReadHeader(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_file_shorter_than_the_header_is_truncated()
    {
        using var tmp = new TempDir();
        var path = tmp.Path("short.nii");
        var header = NiftiTestFiles.HeaderFor(VolumeGeometry.Axial(new Int3(2, 2, 2), new Vec3(1, 1, 1)));
        File.WriteAllBytes(path, NiftiTestFiles.Encode(header)[..200]);
        var e = ReadFails(path);
        Assert.Contains("truncated header", e.Message);
        Assert.Contains("200 of the 348", e.Message);
    }

    [Fact]
    public void Nifti2_magic_mangled_by_a_text_mode_transfer_is_rejected()
    {
        using var tmp = new TempDir();
        var path = tmp.Path("v2.nii");
        NiftiWriter.Write(path, new Volume<short>(VolumeGeometry.Axial(new Int3(2, 2, 2), new Vec3(1, 1, 1))), new NiftiWriteOptions { Version = 2 });
        Assert.Equal(2, NiftiReader.ReadHeader(path).Version);
        var bytes = File.ReadAllBytes(path);
        bytes[8] = (byte)'\n'; // "\r\n" became "\n\n"
        File.WriteAllBytes(path, bytes);
        var e = ReadFails(path);
        Assert.Contains("text-mode", e.Message);
    }

    [Fact]
    public void A_missing_file_is_file_not_found()
    {
        using var tmp = new TempDir();
        Assert.Throws<FileNotFoundException>(() => NiftiReader.Read(tmp.Path("none.nii.gz")));
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        using var tmp = new TempDir();
        var path = tmp.Path("c.nii");
        NiftiWriter.Write(path, new Volume<short>(VolumeGeometry.Axial(new Int3(8, 8, 8), new Vec3(1, 1, 1))));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => NiftiReader.Read(path, cts.Token));
    }
}
