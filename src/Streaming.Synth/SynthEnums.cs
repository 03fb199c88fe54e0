namespace Streaming.Synth;

/// <summary>
/// Size presets: Small (96-128 in-plane at ~3-4.5 mm, 32-64 slices; tests and CPU demos), Medium (192-256 in-plane),
/// Full (512x512 at 0.6-0.98 mm, 80-600 slices at 0.625-5 mm for CT; benchmarks).
/// </summary>
public enum SynthSize { Small, Medium, Full }

/// <summary>Modalities to generate; Mixed draws CT and MRI (AMOS: case ids >= 500 are MRI).</summary>
public enum SynthModality { Ct, Mr, Mixed }

/// <summary>Folder layouts of the real archives that ingest discovers.</summary>
public enum SynthLayout { Flare, Amos, Nlst }

/// <summary>
/// Contrast phase of CT cases: Drawn (per case, 70 % venous: the default), Plain (no contrast) or Venous (portal-venous),
/// for contrast-transfer splits. Forced after the draw, so a seed's other parameters never change; MR ignores it.
/// </summary>
public enum SynthContrast { Drawn, Plain, Venous }
