"""The encoder + top-down decoder the FPN and the UNet share (``Vox2VecFpn.cs``, ``UNet3d.cs``)."""
import torch.nn as nn
import torch.nn.functional as F

from .blocks import Encoder3d, level_blocks
from .dense_backbone import DenseBackbone

__all__ = ["TopDownBackbone"]


class TopDownBackbone(DenseBackbone):
    """Encoder levels f[0..L-1]; decoder d[L-1] = f[L-1], then d[l] = decoder[l](merge(l, f[l], up(d[l+1]))) with
    nearest upsampling to f[l]'s size. Subclasses create their merge layers, then call ``_add_decoder()`` so the
    state_dict keeps the C# modules' order (encoder, merge layers, decoder)."""

    def __init__(self, in_channels, base_channels, levels, blocks_per_level, norm):
        super().__init__()
        self.encoder = Encoder3d(in_channels, base_channels, levels, blocks_per_level, norm)
        self.in_channels = in_channels
        self.output_channels = tuple(self.encoder.channels)
        self._blocks_per_level, self._norm = blocks_per_level, norm

    def _add_decoder(self):
        ch = self.output_channels
        self.decoder = nn.ModuleList([level_blocks(ch[l], self._blocks_per_level, self._norm) for l in range(len(ch) - 1)])

    def merge(self, level, skip, up):
        raise NotImplementedError

    def forward(self, x):
        self.check_input(x)
        f = self.encoder(x)
        d = [None] * len(f)
        d[-1] = f[-1]
        for l in range(len(f) - 2, -1, -1):
            up = F.interpolate(d[l + 1], size=f[l].shape[2:], mode="nearest")
            d[l] = self.decoder[l](self.merge(l, f[l], up))
        return d
