"""Building blocks shared by the backbones, mirroring ``src/Streaming.Training/Models`` name for name.

Attribute names are the state_dict keys ``backbone.safetensors`` uses (``encoder.blocks.0.1.norm1.running_var``),
so ``load_state_dict(strict=True)`` needs no renaming. Change a name here only together with the C# module.
"""
import torch.nn as nn
import torch.nn.functional as F

__all__ = ["norm3d", "group_count", "ResidualBlock3d", "Encoder3d", "level_blocks"]


def group_count(channels):
    """GroupNorm groups: the largest of 8, 4, 2, 1 that divides the channels (``Norms.Groups``)."""
    return next(g for g in (8, 4, 2, 1) if channels % g == 0)


def norm3d(kind, channels):
    """BatchNorm3d (``"batch"``, vox2vec) or GroupNorm (``"group"``), weight 1 and bias 0 as ``Norms.Create3d``."""
    if kind == "batch":
        return nn.BatchNorm3d(channels)
    if kind == "group":
        return nn.GroupNorm(group_count(channels), channels)
    raise ValueError(f"norm must be 'batch' or 'group', not {kind!r}")


class ResidualBlock3d(nn.Module):
    """Pre-activation residual block: x + conv2(relu(norm2(conv1(relu(norm1(x)))))), 3x3x3 convolutions, no bias."""

    def __init__(self, channels, norm="batch"):
        super().__init__()
        self.norm1 = norm3d(norm, channels)
        self.conv1 = nn.Conv3d(channels, channels, 3, padding=1, bias=False)
        self.norm2 = norm3d(norm, channels)
        self.conv2 = nn.Conv3d(channels, channels, 3, padding=1, bias=False)

    def forward(self, x):
        h = self.conv1(F.relu(self.norm1(x)))
        return x + self.conv2(F.relu(self.norm2(h)))


def level_blocks(channels, blocks_per_level, norm):
    """``Encoder3d.Blocks``: a Sequential of residual blocks named 0, 1, ..."""
    return nn.Sequential(*[ResidualBlock3d(channels, norm) for _ in range(blocks_per_level)])


class Encoder3d(nn.Module):
    """3x3x3 stem; per level above 0: max-pool by 2 and a 1x1 ``widen`` convolution; then the level's blocks.

    Returns every level's output, finest first (level l has base * 2^l channels and stride 2^l).
    """

    def __init__(self, in_channels=1, base_channels=16, levels=6, blocks_per_level=2, norm="batch"):
        super().__init__()
        ch = [base_channels << l for l in range(levels)]
        self.stem = nn.Conv3d(in_channels, ch[0], 3, padding=1)
        self.widen = nn.ModuleList([nn.Conv3d(ch[l - 1], ch[l], 1) for l in range(1, levels)])
        self.blocks = nn.ModuleList([level_blocks(c, blocks_per_level, norm) for c in ch])
        self.pool = nn.MaxPool3d(2)
        self.channels = ch

    def forward(self, x):
        outs = [self.blocks[0](self.stem(x))]
        for l in range(1, len(self.blocks)):
            outs.append(self.blocks[l](self.widen[l - 1](self.pool(outs[-1]))))
        return outs
