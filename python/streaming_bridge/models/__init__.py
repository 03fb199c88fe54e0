"""PyTorch definitions of Streaming's backbones whose state_dict names are those of ``backbone.safetensors``.

    from streaming_bridge.models import load_backbone
    model, manifest = load_backbone("runs/vox2vec-ct")     # strict load, eval mode
    pyramid = model(x)                                      # x: (N, 1, D, H, W) = (N, 1, z, y, x), finest level first
    feats = model.features(x)                               # (N, representationDim, D, H, W)
"""
from .blocks import Encoder3d, ResidualBlock3d, group_count, norm3d
from .dense_backbone import DenseBackbone, voxel_features
from .top_down import TopDownBackbone
from .hierarchical import HierarchicalBackbone
from .loading import (BACKBONES, CT_WINDOW, MANIFEST_FILE, WEIGHTS_FILE, build_backbone, load_backbone,
                      model_input, read_manifest)
from .unet3d import UNet3d
from .vox2vec_fpn import Vox2VecFpn

__all__ = ["Encoder3d", "ResidualBlock3d", "group_count", "norm3d", "DenseBackbone", "voxel_features", "TopDownBackbone",
           "HierarchicalBackbone", "UNet3d", "Vox2VecFpn", "BACKBONES", "CT_WINDOW", "MANIFEST_FILE", "WEIGHTS_FILE",
           "build_backbone", "load_backbone", "model_input", "read_manifest"]
