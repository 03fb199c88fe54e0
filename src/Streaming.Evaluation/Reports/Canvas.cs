namespace Streaming.Evaluation.Reports;

/// <summary>An RGB raster for simple figures; writes through <see cref="Streaming.Imaging.Io.PngWriter"/>.</summary>
internal sealed class Canvas
{
    private readonly byte[] rgb;

    public Canvas(int width, int height)
    {
        Width = width; Height = height;
        rgb = new byte[width * height * 3];
        Array.Fill(rgb, (byte)255);
    }

    public int Width { get; }
    public int Height { get; }

    public void Set(int x, int y, (byte R, byte G, byte B) c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        var i = (y * Width + x) * 3;
        rgb[i] = c.R; rgb[i + 1] = c.G; rgb[i + 2] = c.B;
    }

    public void Fill(int x, int y, int w, int h, (byte R, byte G, byte B) c)
    {
        for (var yy = y; yy < y + h; yy++)
            for (var xx = x; xx < x + w; xx++) Set(xx, yy, c);
    }

    public byte Red(int x, int y) => rgb[(y * Width + x) * 3];

    public void Save(string path) => Imaging.Io.PngWriter.WriteRgb(path, Width, Height, rgb);
}
