using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Reads one multi-frame file (e.g. Enhanced CT/MR). Frames are ordered by their own positions when the file carries
/// per-frame PlanePositionSequence (and checked like a series); otherwise GDCM's computed origin and z spacing are
/// used as they are, and the metadata says so.
/// </summary>
internal static class DicomMultiFrameReader
{
    public static LoadedImage Read(string series, DicomHeader header, IGdcmAccess gdcm, SliceGridOptions grid, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        DecodedPixels px = null!;
        gdcm.Decode([header.Path], (_, p) => px = p, ct);
        var name = Path.GetFileName(header.Path);
        if (px.Frames < 2)
            throw new InvalidDataException($"{name}: header says {header.NumberOfFrames} frames, GDCM decoded {px.Frames}");
        var row = header.RowCosine ?? px.RowCosine;
        var col = header.ColumnCosine ?? px.ColumnCosine;
        var (rowSpacing, colSpacing) = header.PixelSpacing ?? (px.Spacing.Y, px.Spacing.X);

        StackLayout layout;
        string positionsSource;
        if (px.FramePositions is { } positions)
        {
            layout = DicomSliceOrdering.Arrange(series,
                positions.Select((p, i) => new SlicePlacement($"{name} frame {i + 1}", p)).ToList(), row, col, grid, (colSpacing, rowSpacing));
            positionsSource = "per-frame PlanePositionSequence";
        }
        else
        {
            if (!(px.Spacing.Z > 0))
                throw new InvalidDataException($"{name}: no per-frame positions and no usable slice spacing (GDCM gives {px.Spacing.Z})");
            var normal = row.Normalized().Cross(col.Normalized()).Normalized();
            layout = new StackLayout(Enumerable.Range(0, px.Frames).ToArray(), px.Origin,
                Mat3.FromColumns(row.Normalized(), col.Normalized(), normal), px.Spacing.Z);
            positionsSource = "GDCM origin and z spacing (no per-frame positions)";
        }

        var shape = new Int3(px.Columns, px.Rows, px.Frames);
        DicomSeriesReader.CheckSize(series, shape with { Z = Math.Max(shape.Z, layout.OutputSlices) });
        var geometry = new VolumeGeometry(shape with { Z = layout.OutputSlices }, new Vec3(colSpacing, rowSpacing, layout.Step), layout.Origin, layout.Direction);
        geometry.Validate();
        var data = new float[shape.Volume];
        for (var k = 0; k < layout.Order.Length; k++)
        {
            var f = layout.Order[k];
            var (slope, intercept) = px.FrameRescale is { } r ? r[f]
                : header.HasRescale ? (header.RescaleSlope, header.RescaleIntercept)
                : (px.GdcmSlope, px.GdcmIntercept);
            DicomSeriesReader.Rescale(px.Stored, (long)f * px.FrameLength, data, (long)k * px.FrameLength, px.FrameLength, slope, intercept);
        }

        if (layout.Irregular is { } irregular)
            data = SliceStackResampler.Apply(data, shape.X, shape.Y, irregular, layout.Step, DicomSeriesReader.Min(data));
        var meta = DicomSeriesReader.BaseMetadata(series, header, [header.TransferSyntaxUid]);
        meta["sliceGrid"] = layout.Irregular?.Description ?? "regular";
        meta["sliceCount"] = DicomSeriesReader.Inv(px.Frames);
        meta["sliceStep"] = DicomSeriesReader.Inv(layout.Step);
        meta["multiFrame"] = "true";
        meta["framePositions"] = positionsSource;
        meta["lossy"] = px.Lossy ? "true" : "false";
        meta["pixelFormat"] = px.PixelFormat;
        return new LoadedImage(new Volume<float>(geometry, data), meta);
    }
}
