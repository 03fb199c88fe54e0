namespace Streaming.Ingest.Volumes;

public enum Modality { CT, MR }
