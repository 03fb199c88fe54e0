"""A Dataset of random patches from cached volumes: foreground-biased, deterministic, DataLoader-worker safe."""
import numpy as np
import torch.utils.data

from ._common import VolumeSource

__all__ = ["RandomPatches", "PAD_VALUES"]

# Outside the volume (only when a volume is smaller than the patch): air for CT (the specs' clipMin), 0 for MR.
PAD_VALUES = {"CT": -1024.0, "MR": 0.0}


class RandomPatches(torch.utils.data.Dataset):
    """``samples`` random patches of ``patch_size`` (z, y, x) voxels per epoch.

    Item i is drawn from a generator seeded by (seed, epoch, i) alone, so the same seed gives the same patches in
    any order, with any number of DataLoader workers; ``set_epoch(e)`` draws a new set. A volume is chosen
    uniformly; with probability ``foreground`` (nnU-Net oversamples 1/3) and when the volume has labels, the patch
    is centred on a random labeled voxel (up to ``max_foreground_locations`` per volume are indexed on first use,
    per process), otherwise on a uniformly random voxel. Reads decode only the chunks the patch touches.
    Items are dicts of tensors as in ``CachedVolumes``; ``start`` is the patch's first voxel in the volume.
    """

    def __init__(self, cache, patch_size, samples, ids=None, seed=0, foreground=1 / 3, transform=None,
                 max_foreground_locations=10_000, **options):
        self.source = VolumeSource(cache, ids, **options)
        self.patch_size = tuple(int(s) for s in patch_size)
        if len(self.patch_size) != 3 or min(self.patch_size) < 1:
            raise ValueError(f"patch_size must be 3 positive ints (z, y, x), not {patch_size!r}")
        if samples < 1:
            raise ValueError("samples must be >= 1")
        if not 0 <= foreground <= 1:
            raise ValueError("foreground must be a probability in [0, 1]")
        self.samples, self.seed, self.foreground, self.transform = int(samples), int(seed), float(foreground), transform
        self.max_foreground_locations = int(max_foreground_locations)
        self.epoch = 0
        self._foreground = {}

    def __len__(self):
        return self.samples

    def set_epoch(self, epoch):
        self.epoch = int(epoch)

    def draw(self, index):
        """(volume id, start (z, y, x), centred on foreground) of item ``index``: the random part, no voxels read."""
        rng = np.random.default_rng([self.seed, self.epoch, index])
        vid = self.source.ids[rng.integers(len(self.source.ids))]
        shape = self.source.shard(vid).geometry.array_shape
        fg = rng.random() < self.foreground
        locations = self.foreground_locations(vid) if fg else None
        if locations is not None and len(locations):
            centre = locations[rng.integers(len(locations))]
        else:
            fg = False
            centre = np.array([rng.integers(n) for n in shape])
        start = tuple(int(min(max(c - p // 2, 0), max(n - p, 0))) for c, p, n in zip(centre, self.patch_size, shape))
        return vid, start, fg

    def foreground_locations(self, volume_id):
        """(k, 3) [z, y, x] of up to ``max_foreground_locations`` labeled voxels (None without labels), chosen by a
        generator seeded by (seed, volume) so every worker indexes the same ones."""
        if volume_id in self._foreground:
            return self._foreground[volume_id]
        s = self.source.shard(volume_id)
        locations = None
        if s.has_labels:
            labels = s.read(labels=True).labels
            locations = np.argwhere(labels > 0).astype(np.int32)
            if len(locations) > self.max_foreground_locations:
                rng = np.random.default_rng([self.seed, self.source.ids.index(volume_id)])
                locations = locations[np.sort(rng.choice(len(locations), self.max_foreground_locations, replace=False))]
        self._foreground[volume_id] = locations
        return locations

    def __getitem__(self, index):
        if not 0 <= index < self.samples:
            raise IndexError(index)
        vid, start, fg = self.draw(index)
        s = self.source.shard(vid)
        shape = s.geometry.array_shape
        size = tuple(min(p, n) for p, n in zip(self.patch_size, shape))
        r = s.read_region(start, size, labels=self.source.labels)
        image, body, labels = r.image, r.body, r.labels
        if size != self.patch_size:   # a volume smaller than the patch: pad at the end
            pad = [(0, p - n) for p, n in zip(self.patch_size, size)]
            image = np.pad(image, pad, constant_values=PAD_VALUES[s.modality])
            body = np.pad(body, pad)
            labels = None if labels is None else np.pad(labels, pad)
        item = self.source.item(vid, image, body, labels, start)
        item["foreground"] = fg
        return self.transform(item) if self.transform is not None else item
