"""PyTorch Datasets over a Streaming cache, returning dicts of tensors that MONAI/TorchIO dict transforms accept.

    from torch.utils.data import DataLoader
    from streaming_bridge.data import RandomPatches
    ds = RandomPatches("cache", patch_size=(32, 128, 128), samples=1000, seed=0, intensity="model")
    for batch in DataLoader(ds, batch_size=2, num_workers=4): ...   # batch["image"]: (2, 1, 32, 128, 128)
"""
from ._common import VolumeSource
from .patches import PAD_VALUES, RandomPatches
from .volumes import CachedVolumes

__all__ = ["VolumeSource", "CachedVolumes", "RandomPatches", "PAD_VALUES"]
