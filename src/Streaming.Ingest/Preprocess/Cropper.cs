using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>The cropped image, body mask and labels (same grid) and the box they were cut from.</summary>
public sealed record CropResult(Volume<float> Image, Volume<byte> Body, Volume<byte>? Labels, CropBox Box);

/// <summary>
/// Crops to the body's bounding box plus a margin (clipped to the grid), then grows the box symmetrically (the odd
/// voxel goes after) until every axis holds MinShape. Parts of the box outside the grid are padded: image with
/// <c>padValue</c>, mask and labels with 0. Output origin = physical position of the box start, so index → physical
/// stays exact.
/// </summary>
public static class Cropper
{
    public static CropResult Crop(Volume<float> image, Volume<byte> body, Volume<byte>? labels, CropSpec spec, float padValue)
    {
        if (body.Shape != image.Shape) throw new ArgumentException("body mask grid differs from image grid");
        if (labels is not null && labels.Shape != image.Shape) throw new ArgumentException("label grid differs from image grid");
        var box = ComputeBox(body, spec);
        var g = image.Geometry;
        var geometry = new VolumeGeometry(box.Shape, g.Spacing, g.IndexToPhysical(box.Start.X, box.Start.Y, box.Start.Z), g.Direction);
        return new CropResult(
            new Volume<float>(geometry, Extract(image.Data, image.Shape, box, padValue)),
            new Volume<byte>(geometry, Extract(body.Data, body.Shape, box, (byte)0)),
            labels is null ? null : new Volume<byte>(geometry, Extract(labels.Data, labels.Shape, box, (byte)0)),
            box);
    }

    /// <summary>
    /// Body bounding box + margin, clipped; axes with a fixed extent resized to it about the body box centre; then
    /// padded to MinShape. Throws when the mask is empty.
    /// </summary>
    public static CropBox ComputeBox(Volume<byte> body, CropSpec spec)
    {
        var bounds = BodyBounds(body) ?? throw new InvalidDataException("body mask is empty: nothing to crop to");
        var (bodyLo, bodyHi) = bounds;
        var m = new Int3(spec.Margin, spec.Margin, spec.Margin);
        var lo = Int3.Max(bodyLo - m, new Int3(0, 0, 0));
        var hi = Int3.Min(bodyHi + m, body.Shape - new Int3(1, 1, 1));
        var size = hi - lo + new Int3(1, 1, 1);
        if (spec.FixedExtentMm is { } mm)
        {
            // A fixed axis is centred on the body box itself: the margin, clipped at the grid's edge, would move it.
            var bodySize = bodyHi - bodyLo + new Int3(1, 1, 1);
            var target = FixedVoxels(mm, body.Geometry.Spacing, size);
            int Start(int a) => mm[a] > 0 ? bodyLo[a] - (target[a] - bodySize[a]) / 2 : lo[a]; // truncation: odd voxel after
            lo = new Int3(Start(0), Start(1), Start(2));
            size = target;
        }
        var extra = Int3.Max(spec.MinShape - size, new Int3(0, 0, 0));
        var start = lo - new Int3(extra.X / 2, extra.Y / 2, extra.Z / 2);
        return new CropBox(start, size + extra);
    }

    /// <summary>Whole voxels of each fixed extent (at least 1); axes with extent 0 keep <paramref name="bodySize"/>.</summary>
    internal static Int3 FixedVoxels(Vec3 mm, Vec3 spacing, Int3 bodySize)
    {
        int Axis(int a) => mm[a] > 0 ? Math.Max(1, (int)Math.Round(mm[a] / spacing[a], MidpointRounding.AwayFromZero)) : bodySize[a];
        return new Int3(Axis(0), Axis(1), Axis(2));
    }

    /// <summary>Inclusive min/max voxel of the mask's nonzero voxels, or null when there are none.</summary>
    public static (Int3 Min, Int3 Max)? BodyBounds(Volume<byte> body)
    {
        var n = body.Shape;
        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        var d = body.Data;
        for (var z = 0; z < n.Z; z++)
            for (var y = 0; y < n.Y; y++)
            {
                var row = d.AsSpan((int)n.Index(0, y, z), n.X);
                var first = row.IndexOfAnyExcept((byte)0);
                if (first < 0) continue;
                var last = row.LastIndexOfAnyExcept((byte)0);
                if (first < x0) x0 = first;
                if (last > x1) x1 = last;
                if (y < y0) y0 = y;
                if (y > y1) y1 = y;
                if (z < z0) z0 = z;
                z1 = z;
            }
        return x1 < 0 ? null : (new Int3(x0, y0, z0), new Int3(x1, y1, z1));
    }

    /// <summary>Copies box from src (grid n) into a new array of the box's extent; voxels outside the grid get pad.</summary>
    internal static T[] Extract<T>(T[] src, Int3 n, CropBox box, T pad) where T : unmanaged
    {
        var s = box.Shape;
        var dst = new T[s.Volume];
        // The x range of the box that lies inside the grid (same for every row).
        var xFrom = Math.Max(box.Start.X, 0);
        var xTo = Math.Min(box.Start.X + s.X, n.X); // exclusive
        for (var z = 0; z < s.Z; z++)
            for (var y = 0; y < s.Y; y++)
            {
                var d = dst.AsSpan((int)s.Index(0, y, z), s.X);
                int sy = box.Start.Y + y, sz = box.Start.Z + z;
                if ((uint)sy >= (uint)n.Y || (uint)sz >= (uint)n.Z || xFrom >= xTo) { d.Fill(pad); continue; }
                var before = xFrom - box.Start.X;
                d[..before].Fill(pad);
                src.AsSpan((int)n.Index(xFrom, sy, sz), xTo - xFrom).CopyTo(d[before..]);
                d[(before + xTo - xFrom)..].Fill(pad);
            }
        return dst;
    }
}
