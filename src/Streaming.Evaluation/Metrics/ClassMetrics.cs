namespace Streaming.Evaluation.Metrics;

/// <summary>
/// Overlap and surface metrics of one class in one volume. Dice is NaN when the class is absent from both prediction
/// and reference (nothing to score); HD95 and mean surface distance (mm) are NaN when either side is empty (undefined;
/// MONAI reports inf/nan there too). The voxel variants measure the same distances in voxel units of the grid (as
/// papers that evaluate on a resized grid report them). Aggregations skip NaN and say how many values they used.
/// </summary>
public sealed record ClassMetrics(int Label, long ReferenceVoxels, long PredictedVoxels, long Intersection, double Dice, double Hd95, double MeanSurfaceDistance,
    double Hd95Voxels = double.NaN, double MeanSurfaceDistanceVoxels = double.NaN);
