"""The contract every backbone keeps (``FeatureExtractor.cs``): (N, C, D, H, W) in, a pyramid of feature maps out,
finest first, level l with stride 2^l; a voxel's representation is every level's features at that voxel."""
import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ["DenseBackbone", "voxel_features"]


class DenseBackbone(nn.Module):
    in_channels = 1
    output_channels = ()

    @property
    def representation_dim(self):
        return sum(self.output_channels)

    @property
    def max_stride(self):
        """Patch extents must be multiples of this (2^(levels-1)) to keep every level aligned."""
        return 1 << (len(self.output_channels) - 1)

    def check_input(self, x):
        if x.dim() != 5 or x.shape[1] != self.in_channels:
            raise ValueError(f"{type(self).__name__} takes (N, {self.in_channels}, D, H, W), got {tuple(x.shape)}")

    def features(self, x):
        """(N, representation_dim, D, H, W): every level upsampled (nearest) to the input size and concatenated, as
        ``Embedder.cs`` computes a window's voxel features."""
        return voxel_features(self(x), x.shape[2:])


def voxel_features(pyramid, size):
    """Concatenates the pyramid's levels at full resolution ``size`` (D, H, W), nearest upsampling."""
    size = tuple(int(s) for s in size)
    return torch.cat([p if tuple(p.shape[2:]) == size else F.interpolate(p, size=size, mode="nearest") for p in pyramid], 1)
