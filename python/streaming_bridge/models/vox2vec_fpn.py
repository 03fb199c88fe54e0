"""vox2vec's 3-D feature pyramid network (``Vox2VecFpn.cs``; Goncharov et al. 2023)."""
import torch.nn as nn
import torch.nn.functional as F

from .blocks import Encoder3d, level_blocks
from .dense_backbone import DenseBackbone

__all__ = ["Vox2VecFpn"]


class Vox2VecFpn(DenseBackbone):
    """Encoder, then top-down: the coarser decoder level is upsampled (nearest) to the finer level's size, its
    channels reduced by a 1x1 ``narrow`` convolution, added to the lateral encoder feature and refined by residual
    blocks. Output: every decoder level, finest first (base 16, 6 levels: 16+32+...+512 = 1008 dims)."""

    def __init__(self, in_channels=1, base_channels=16, levels=6, blocks_per_level=2, norm="batch"):
        super().__init__()
        self.encoder = Encoder3d(in_channels, base_channels, levels, blocks_per_level, norm)
        ch = self.encoder.channels
        self.narrow = nn.ModuleList([nn.Conv3d(ch[l + 1], ch[l], 1) for l in range(levels - 1)])
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
            d[l] = self.decoder[l](f[l] + self.narrow[l](up))
        return d
