"""Builds a backbone from ``backbone.json`` and loads ``backbone.safetensors`` strictly (``BackboneExport.cs``)."""
import json
import os

from .. import safetensors
from ..intensity import CT_WINDOW, model_input  # noqa: F401  (re-exported: the models' input contract)
from .hierarchical import HierarchicalBackbone
from .unet3d import UNet3d
from .vox2vec_fpn import Vox2VecFpn

__all__ = ["build_backbone", "load_backbone", "read_manifest", "model_input", "BACKBONES",
           "WEIGHTS_FILE", "MANIFEST_FILE", "CT_WINDOW"]

WEIGHTS_FILE = "backbone.safetensors"
MANIFEST_FILE = "backbone.json"

# method in backbone.json -> module class (MethodFactory.CreateBackbone)
BACKBONES = {"vox2vec": Vox2VecFpn, "vox2vec-unet": UNet3d, "hierarchical": HierarchicalBackbone}


def read_manifest(path):
    """``backbone.json`` as a dict (a run directory or the file itself)."""
    path = os.fspath(path)
    if os.path.isdir(path):
        path = os.path.join(path, MANIFEST_FILE)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def build_backbone(manifest):
    """A freshly initialised backbone of the architecture ``manifest`` describes."""
    method = manifest.get("method")
    cls = BACKBONES.get(method)
    if cls is None:
        raise ValueError(f"backbone.json: unknown method {method!r}; known: {', '.join(sorted(BACKBONES))}")
    try:
        kw = dict(in_channels=int(manifest["inChannels"]), base_channels=int(manifest["baseChannels"]),
                  levels=int(manifest["levels"]), blocks_per_level=int(manifest["blocksPerLevel"]),
                  norm=str(manifest["norm"]))
    except KeyError as e:
        raise ValueError(f"backbone.json lacks {e.args[0]!r}") from e
    if cls is HierarchicalBackbone:
        kw["projection_width"] = int(manifest["levelProjectionWidth"])
    model = cls(**kw)
    expected = manifest.get("outputChannels")
    if expected is not None and list(expected) != list(model.output_channels):
        raise ValueError(f"backbone.json says output channels {expected}, the {method} module has {list(model.output_channels)}")
    return model


def load_backbone(path, map_location="cpu", eval=True):
    """``(module, manifest)`` from a run directory (or any folder holding backbone.json + backbone.safetensors).

    The weights load with ``strict=True``: every name and shape must match the module, nothing is renamed.
    The module is put in eval mode (BatchNorm uses its running statistics) unless ``eval=False``.
    """
    folder = os.fspath(path)
    manifest = read_manifest(folder)
    model = build_backbone(manifest)
    tensors, meta = safetensors.load_torch(os.path.join(folder, WEIGHTS_FILE))
    model.load_state_dict(tensors, strict=True)
    model.to(map_location)
    if eval:
        model.eval()
    manifest = dict(manifest, safetensorsMetadata=meta)
    return model, manifest
