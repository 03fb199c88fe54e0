"""Hierarchical dense SSL backbone (``HierarchicalBackbone.cs``): an FPN whose every level is projected to one width."""
import torch.nn as nn

from .dense_backbone import DenseBackbone
from .vox2vec_fpn import Vox2VecFpn

__all__ = ["HierarchicalBackbone"]


class HierarchicalBackbone(DenseBackbone):
    """FPN (base 32, 5 levels by default) + a trained 1x1 convolution per decoder level to ``projection_width``
    channels, so each scale weighs the same in the concatenated representation (5 x 32 = 160 dims)."""

    def __init__(self, in_channels=1, base_channels=32, levels=5, blocks_per_level=2, norm="batch", projection_width=32):
        super().__init__()
        if projection_width < 1:
            raise ValueError("projection_width must be >= 1")
        self.fpn = Vox2VecFpn(in_channels, base_channels, levels, blocks_per_level, norm)
        self.level_projections = nn.ModuleList([nn.Conv3d(c, projection_width, 1) for c in self.fpn.output_channels])
        self.in_channels = in_channels
        self.output_channels = (projection_width,) * levels

    def forward(self, x):
        return [p(d) for p, d in zip(self.level_projections, self.fpn(x))]

    def finest(self, x):
        """(projected pyramid, un-projected finest decoder level) — the reconstruction head's input."""
        d = self.fpn(x)
        return [p(t) for p, t in zip(self.level_projections, d)], d[0]
