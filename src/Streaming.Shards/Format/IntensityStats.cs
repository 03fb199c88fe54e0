namespace Streaming.Shards.Format;

/// <summary>Intensity statistics of a stored image (whole volume and inside the body; P01/P999 are the 0.1/99.9th percentiles).</summary>
public sealed record IntensityStats(double Min, double Max, double Mean, double Std, double P01, double P999, double BodyMean, double BodyStd);
