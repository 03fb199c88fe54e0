using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Volumes;

/// <summary>
/// A decoded image in physical units (HU for CT after rescale slope/intercept; raw scaled values for MR),
/// with its geometry in LPS. Metadata holds reader facts worth keeping (transfer syntax, series UID, sform code...).
/// </summary>
public sealed record LoadedImage(Volume<float> Volume, IReadOnlyDictionary<string, string> Metadata);
