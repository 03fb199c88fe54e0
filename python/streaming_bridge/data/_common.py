"""What the Datasets share: volume selection, the labels policy, per-process shard handles, dicts of tensors."""
import os

import numpy as np
import torch

from ..catalog import Cache, open_cache
from ..intensity import model_input

__all__ = ["VolumeSource"]

_AXES = ("zyx", "xyz")
_INTENSITY = ("raw", "model")


class VolumeSource:
    """The volumes a Dataset draws from, and how items are shaped.

    cache: a ``Cache`` or a path (cache root with one key, or a key folder). ids: volume ids (default: all).
    labels: True (every volume must have labels), False, or "auto" (include when every selected volume has them).
    intensity: "raw" (HU / MR values as cached, float32) or "model" (the backbones' input scaling).
    axes: "zyx" (tensors (C, D, H, W) as the backbones take them) or "xyz" (nibabel/TorchIO order).
    cached_chunks: decoded chunks kept per open shard (LRU), useful when patches overlap.
    """

    def __init__(self, cache, ids=None, labels="auto", intensity="raw", axes="zyx", cached_chunks=0):
        self.cache = cache if isinstance(cache, Cache) else open_cache(cache)
        self.ids = list(self.cache.ids if ids is None else ids)
        if not self.ids:
            raise ValueError(f"{self.cache.path}: no volumes to draw from")
        missing = [i for i in self.ids if i not in self.cache]
        if missing:
            raise KeyError(f"{self.cache.path}: not in the catalog: {', '.join(missing[:5])}")
        unlabeled = [i for i in self.ids if not self.cache.record(i).get("hasLabels")]
        if labels == "auto":
            labels = not unlabeled
        elif labels and unlabeled:
            raise ValueError(f"labels=True but {len(unlabeled)} volumes have none: {', '.join(unlabeled[:5])}")
        if axes not in _AXES:
            raise ValueError(f"axes must be one of {_AXES}, not {axes!r}")
        if intensity not in _INTENSITY:
            raise ValueError(f"intensity must be one of {_INTENSITY}, not {intensity!r}")
        self.labels, self.intensity, self.axes, self.cached_chunks = bool(labels), intensity, axes, cached_chunks
        self._shards, self._pid = {}, None

    def shard(self, volume_id):
        """This process's open shard of a volume: DataLoader workers each open their own file handles."""
        if self._pid != os.getpid():                   # a forked worker: reopen, closing the inherited copies
            for s in self._shards.values():
                s.close()
            self._shards, self._pid = {}, os.getpid()
        s = self._shards.get(volume_id)
        if s is None:
            s = self._shards[volume_id] = self.cache.open(volume_id, cached_chunks=self.cached_chunks)
        return s

    def close(self):
        for s in self._shards.values():
            s.close()
        self._shards = {}

    def __getstate__(self):
        state = self.__dict__.copy()
        state.update(_shards={}, _pid=None)            # spawn-start workers reopen what they need
        return state

    def item(self, volume_id, image, body, labels, start_zyx):
        """A dict of tensors with a channel axis, plus meta (id, start, spacing, affine for the tensors' axes)."""
        s = self.shard(volume_id)
        g = s.geometry
        if self.intensity == "model":
            image = model_input(image, s.modality)
        image = np.asarray(image, dtype=np.float32)
        arrays = {"image": image, "mask": body.astype(np.uint8)}
        if self.labels:
            arrays["label"] = labels
        affine = g.affine_ras("zyx").copy()
        affine[:3, 3] += affine[:3, :3] @ np.asarray(start_zyx, dtype=float)   # the crop's first voxel
        spacing = np.asarray(g.spacing[::-1])
        start = np.asarray(start_zyx)
        if self.axes == "xyz":
            arrays = {k: v.transpose() for k, v in arrays.items()}
            affine = affine[:, [2, 1, 0, 3]]
            spacing, start = spacing[::-1], start[::-1]
        out = {k: torch.from_numpy(np.ascontiguousarray(v)[None]) for k, v in arrays.items()}
        out.update(id=volume_id, modality=s.modality, start=torch.from_numpy(start.copy()),
                   spacing=torch.from_numpy(spacing.copy()), affine=torch.from_numpy(affine))
        return out
