"""vox2vec-UNet (``UNet3d.cs``): the FPN's encoder, decoder levels fuse skip and upsampled features by concatenation."""
import torch
import torch.nn as nn

from .top_down import TopDownBackbone

__all__ = ["UNet3d"]


class UNet3d(TopDownBackbone):
    """Each decoder level concatenates [skip, upsampled coarser level] and fuses them with a 1x1 ``fuse`` convolution."""

    def __init__(self, in_channels=1, base_channels=16, levels=6, blocks_per_level=2, norm="batch"):
        super().__init__(in_channels, base_channels, levels, blocks_per_level, norm)
        ch = self.output_channels
        self.fuse = nn.ModuleList([nn.Conv3d(ch[l] + ch[l + 1], ch[l], 1) for l in range(levels - 1)])
        self._add_decoder()

    def merge(self, level, skip, up):
        return self.fuse[level](torch.cat([skip, up], 1))
