"""vox2vec's 3-D feature pyramid network (``Vox2VecFpn.cs``; Goncharov et al. 2023)."""
import torch.nn as nn

from .top_down import TopDownBackbone

__all__ = ["Vox2VecFpn"]


class Vox2VecFpn(TopDownBackbone):
    """Encoder, then top-down: the coarser decoder level is upsampled (nearest) to the finer level's size, its
    channels reduced by a 1x1 ``narrow`` convolution, added to the lateral encoder feature and refined by residual
    blocks. Output: every decoder level, finest first (base 16, 6 levels: 16+32+...+512 = 1008 dims)."""

    def __init__(self, in_channels=1, base_channels=16, levels=6, blocks_per_level=2, norm="batch"):
        super().__init__(in_channels, base_channels, levels, blocks_per_level, norm)
        ch = self.output_channels
        self.narrow = nn.ModuleList([nn.Conv3d(ch[l + 1], ch[l], 1) for l in range(levels - 1)])
        self._add_decoder()

    def merge(self, level, skip, up):
        return skip + self.narrow[level](up)
