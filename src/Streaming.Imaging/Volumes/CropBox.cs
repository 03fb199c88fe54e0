namespace Streaming.Imaging.Volumes;

/// <summary>Crop box in the voxel grid of the resampled (pre-crop) volume: Start inclusive, Shape extent.
/// Start may be negative / extend past the grid where padding was added.</summary>
public sealed record CropBox(Int3 Start, Int3 Shape);
