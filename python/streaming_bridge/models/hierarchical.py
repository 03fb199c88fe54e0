"""Hierarchical dense SSL backbone (``HierarchicalBackbone.cs``): an FPN whose every level is projected to one width."""
import torch.nn as nn

from .dense_backbone import DenseBackbone
from .vox2vec_fpn import Vox2VecFpn

__all__ = ["HierarchicalBackbone"]


class HierarchicalBackbone(DenseBackbone):
    """FPN (base 32, 5 levels by default) + a trained 1x1 convolution per decoder level to ``projection_width``
    channels, so each scale weighs the same in the representation the loss sees (5 x 32 = 160 dims).

    ``readout="raw"`` (default, as the paper's probes) returns the FPN's decoder levels as they are;
    ``readout="projected"`` returns the projections. The weights are the same either way."""

    def __init__(self, in_channels=1, base_channels=32, levels=5, blocks_per_level=2, norm="batch", projection_width=32,
                 readout="raw"):
        super().__init__()
        if projection_width < 1:
            raise ValueError("projection_width must be >= 1")
        self.fpn = Vox2VecFpn(in_channels, base_channels, levels, blocks_per_level, norm)
        self.level_projections = nn.ModuleList([nn.Conv3d(c, projection_width, 1) for c in self.fpn.output_channels])
        if readout not in ("raw", "projected"):
            raise ValueError(f"readout must be raw or projected, not {readout!r}")
        self.in_channels = in_channels
        self.readout = readout
        self.output_channels = tuple(self.fpn.output_channels) if readout == "raw" else (projection_width,) * levels

    @property
    def max_stride(self):
        return self.fpn.max_stride

    def forward(self, x):
        d = self.fpn(x)
        return d if self.readout == "raw" else [p(t) for p, t in zip(self.level_projections, d)]

    def finest(self, x):
        """(projected pyramid, un-projected finest decoder level) — the reconstruction head's input."""
        d = self.fpn(x)
        return [p(t) for p, t in zip(self.level_projections, d)], d[0]
