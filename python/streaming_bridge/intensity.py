"""The intensity scaling Streaming's backbones were trained with, for feeding cached volumes to them.

CT: HU through the fixed window ``CT_WINDOW`` = [-1350, 1000] to [0, 1], clamped (Sampling's
``AugmentationOptions.WindowMin/Max`` for clean views, Evaluation's ``InputScaling``, ``embed``). MR: unchanged —
the MR specs already clip to percentiles and scale to [0, 1] at ingest.
"""
import numpy as np

__all__ = ["CT_WINDOW", "model_input"]

CT_WINDOW = (-1350.0, 1000.0)


def model_input(image, modality):
    """Cached intensities -> backbone input (float32), for a numpy array or a torch tensor."""
    if modality not in ("CT", "MR"):
        raise ValueError(f"modality must be 'CT' or 'MR', not {modality!r}")
    lo, hi = CT_WINDOW
    if type(image).__module__.startswith("torch"):
        x = image.float()
        return ((x - lo) / (hi - lo)).clamp_(0, 1) if modality == "CT" else x
    x = np.asarray(image, dtype=np.float32)
    if modality == "MR":
        return x
    return np.clip((x - np.float32(lo)) * np.float32(1 / (hi - lo)), 0, 1)
