"""vox2vec-UNet (``UNet3d.cs``): the FPN's encoder, decoder levels fuse skip and upsampled features by concatenation."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .blocks import Encoder3d, level_blocks
from .dense_backbone import DenseBackbone

__all__ = ["UNet3d"]


class UNet3d(DenseBackbone):
    """Each decoder level concatenates [skip, upsampled coarser level] and fuses them with a 1x1 convolution."""

    def __init__(self, in_channels=1, base_channels=16, levels=6, blocks_per_level=2, norm="batch"):
        super().__init__()
        self.encoder = Encoder3d(in_channels, base_channels, levels, blocks_per_level, norm)
        ch = self.encoder.channels
        self.fuse = nn.ModuleList([nn.Conv3d(ch[l] + ch[l + 1], ch[l], 1) for l in range(levels - 1)])
        self.decoder = nn.ModuleList([level_blocks(ch[l], blocks_per_level, norm) for l in range(levels - 1)])
        self.in_channels = in_channels
        self.output_channels = tuple(ch)

    def forward(self, x):
        self.check_input(x)
        f = self.encoder(x)
        d = [None] * len(f)
        d[-1] = f[-1]
        for l in range(len(f) - 2, -1, -1):
            up = F.interpolate(d[l + 1], size=f[l].shape[2:], mode="nearest")
            d[l] = self.decoder[l](self.fuse[l](torch.cat([f[l], up], 1)))
        return d
