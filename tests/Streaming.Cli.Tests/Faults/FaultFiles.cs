using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;

namespace Streaming.Cli.Tests.Faults;

/// <summary>
/// Crafts the inputs of the fault suite: small good CT volumes (NIfTI and DICOM) and the broken or odd variants real
/// archives hold, made by editing the bytes or, for DICOM, the data set through GDCM (as Synth writes series).
/// </summary>
internal static class FaultFiles
{
    /// <summary>A 32x32x16 CT: a water cylinder (40 HU) in air (-1000 HU), 3 mm voxels; seed varies the contents.</summary>
    public static Volume<float> Ct(int seed = 0, int slices = 16)
    {
        var g = new VolumeGeometry(new Int3(32, 32, slices), new Vec3(3, 3, 3), new Vec3(-48, -48, 0), Mat3.Identity);
        var v = new Volume<float>(g);
        for (var z = 0; z < slices; z++)
            for (var y = 0; y < 32; y++)
                for (var x = 0; x < 32; x++)
                {
                    var r2 = (x - 15.5) * (x - 15.5) + (y - 15.5) * (y - 15.5);
                    v.Data[g.Shape.Index(x, y, z)] = r2 < 144 ? 40 + (x * 7 + y * 3 + z * 5 + seed * 11) % 60 : -1000;
                }
        return v;
    }

    /// <summary>Like <see cref="Ct"/> but MR-like values (0 outside, 200-800 inside): what a CT spec must refuse.</summary>
    public static Volume<float> MrLike()
    {
        var v = Ct();
        for (var i = 0; i < v.Data.Length; i++) v.Data[i] = v.Data[i] < -500 ? 0 : 200 + v.Data[i] * 5;
        return v;
    }

    public static byte[] NiftiBytes(Volume<float> v)
    {
        var tmp = Path.GetTempFileName() + ".nii";
        try { NiftiWriter.Write(tmp, v); return File.ReadAllBytes(tmp); }
        finally { File.Delete(tmp); }
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }

    /// <summary>NIfTI-1 with an edit at a byte offset of the header (dim at 40, datatype 70, pixdim 76, vox_offset 108, magic 344).</summary>
    public static byte[] Edit(byte[] nifti, Action<byte[]> edit)
    {
        var copy = (byte[])nifti.Clone();
        edit(copy);
        return copy;
    }

    public static void Short(byte[] b, int at, short v) => BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(at), v);
    public static void Float(byte[] b, int at, float v) => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(at), v);

    /// <summary>Writes a good CT series (explicit VR little endian), one file per slice; returns the paths in slice order.</summary>
    public static IReadOnlyList<string> DicomSeries(string folder, int seed = 0, Modality modality = Modality.CT, int slices = 16, string? seriesUid = null)
    {
        var v = Ct(seed, slices);
        if (modality == Modality.MR) for (var i = 0; i < v.Data.Length; i++) v.Data[i] = v.Data[i] < -500 ? 0 : 300 + v.Data[i];
        return DicomSeriesWriter.Write(folder, v, new DicomSeriesWriteOptions
        {
            PatientId = "P" + seed, Modality = modality, SeriesInstanceUid = seriesUid, RescaleIntercept = modality == Modality.CT ? -1024 : 0,
        });
    }

    /// <summary>Reads a DICOM file with GDCM, lets <paramref name="edit"/> change its data set, writes it to <paramref name="target"/>.</summary>
    public static void EditDicom(string source, string target, Action<DataSetEditor> edit)
    {
        GdcmNativeResolver.EnsureRegistered();
        using var reader = new gdcm.Reader();
        reader.SetFileName(source);
        if (!reader.Read()) throw new IOException($"GDCM cannot read {source}");
        var file = reader.GetFile();
        edit(new DataSetEditor(file.GetDataSet()));
        using var writer = new gdcm.Writer();
        writer.SetFile(file);
        writer.SetFileName(target);
        if (!writer.Write()) throw new IOException($"GDCM cannot write {target}");
    }

    /// <summary>
    /// A DICOM SEG-like object from a CT slice: Segmentation SOP class, Modality SEG, 1-bit pixels (BitsAllocated 1),
    /// as segmentations beside CT series are. <paramref name="asCt"/> keeps the CT SOP class and modality, so only
    /// the pixel format is odd: it passes every header check and reaches the decoder.
    /// </summary>
    public static void OneBit(string ctSlice, string target, bool asCt)
    {
        EditDicom(ctSlice, target, d =>
        {
            if (!asCt)
            {
                d.Text(0x0008, 0x0016, gdcm.VR.VRType.UI, "1.2.840.10008.5.1.4.1.1.66.4");
                d.Text(0x0008, 0x0060, gdcm.VR.VRType.CS, "SEG");
                d.Text(0x0020, 0x000E, gdcm.VR.VRType.UI, "1.2.826.0.1.3680043.2.1143.999.1");
            }
            d.UShort(0x0028, 0x0100, 1); d.UShort(0x0028, 0x0101, 1); d.UShort(0x0028, 0x0102, 0); d.UShort(0x0028, 0x0103, 0);
            d.Bytes(0x7FE0, 0x0010, gdcm.VR.VRType.OB, new byte[32 * 32 / 8]);
        });
    }

    /// <summary>A non-image object (RTSTRUCT, SR, KO, PR, DICOMDIR...) made from a CT slice: new SOP class and modality, no pixels.</summary>
    public static void NonImage(string ctSlice, string target, string sopClass, string modality)
    {
        EditDicom(ctSlice, target, d =>
        {
            d.Text(0x0008, 0x0016, gdcm.VR.VRType.UI, sopClass);
            d.Text(0x0008, 0x0060, gdcm.VR.VRType.CS, modality);
            d.Text(0x0020, 0x000E, gdcm.VR.VRType.UI, "1.2.826.0.1.3680043.2.1143.999.2");
            foreach (var (g, e) in new (ushort, ushort)[] { (0x7FE0, 0x0010), (0x0028, 0x0010), (0x0028, 0x0011), (0x0028, 0x0100), (0x0028, 0x0101), (0x0028, 0x0102), (0x0028, 0x0103), (0x0028, 0x0002), (0x0028, 0x0004) })
                d.Remove(g, e);
        });
    }

    /// <summary>
    /// Damaged file meta information: the VR and length bytes of the group length element are overwritten, as a bad
    /// copy or a broken anonymiser leaves them. Debian's GDCM aborts on it (Reader::InternalReadCommon: is.good()).
    /// </summary>
    public static void DamagedMeta(string ctSlice, string target)
    {
        var b = File.ReadAllBytes(ctSlice);
        if (Encoding.ASCII.GetString(b, 128, 4) != "DICM" || b[132] != 2 || b[133] != 0) throw new InvalidDataException("expected a meta header at 132");
        b[138] ^= 0xFF; b[139] ^= 0xFF; // the group length's 2-byte length field (UL, explicit VR)
        File.WriteAllBytes(target, b);
    }
}

/// <summary>Small edits of a GDCM data set.</summary>
internal sealed class DataSetEditor(gdcm.DataSet ds)
{
    public void Text(ushort g, ushort e, gdcm.VR.VRType vr, string value)
    {
        var b = Encoding.ASCII.GetBytes(value);
        if (b.Length % 2 == 1) b = [.. b, vr == gdcm.VR.VRType.UI ? (byte)0 : (byte)' '];
        Bytes(g, e, vr, b);
    }

    public void UShort(ushort g, ushort e, ushort v) => Bytes(g, e, gdcm.VR.VRType.US, BitConverter.GetBytes(v));

    public void Bytes(ushort g, ushort e, gdcm.VR.VRType vr, byte[] b)
    {
        using var t = new gdcm.Tag(g, e);
        using var de = new gdcm.DataElement(t);
        using var v = new gdcm.VR(vr);
        using var vl = new gdcm.VL((uint)b.Length);
        de.SetVR(v);
        de.SetByteValue(b, vl);
        ds.Replace(de);
    }

    public void Remove(ushort g, ushort e)
    {
        using var t = new gdcm.Tag(g, e);
        ds.Remove(t);
    }

    /// <summary>ImagePositionPatient as "x\\y\\z".</summary>
    public void Position(Vec3 p) => Text(0x0020, 0x0032, gdcm.VR.VRType.DS,
        FormattableString.Invariant($"{p.X:0.####}\\{p.Y:0.####}\\{p.Z:0.####}"));
}
