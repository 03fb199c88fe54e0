namespace Streaming.Imaging.Volumes;

public enum Modality { CT, MR }
