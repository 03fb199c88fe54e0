"""A Dataset with one item per cached volume (whole image, body mask and labels)."""
import torch.utils.data

from ._common import VolumeSource

__all__ = ["CachedVolumes"]


class CachedVolumes(torch.utils.data.Dataset):
    """Item i: ``{"image": (1, D, H, W) float32, "mask": uint8 body mask, "label": uint8 (when labels), "id",
    "modality", "start", "spacing", "affine"}``; ``transform`` (e.g. a MONAI/TorchIO dict pipeline) is applied last.
    Options: see ``VolumeSource`` (labels, intensity, axes)."""

    def __init__(self, cache, ids=None, transform=None, **options):
        self.source = VolumeSource(cache, ids, **options)
        self.transform = transform

    def __len__(self):
        return len(self.source.ids)

    def __getitem__(self, index):
        vid = self.source.ids[index]
        v = self.source.shard(vid).read(labels=self.source.labels)
        item = self.source.item(vid, v.image, v.body, v.labels, (0, 0, 0))
        return self.transform(item) if self.transform is not None else item
