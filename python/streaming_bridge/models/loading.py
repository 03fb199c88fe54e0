"""Builds a backbone from ``backbone.json`` and loads ``backbone.safetensors`` strictly (``BackboneExport.cs``)."""
import json
import os

from .. import safetensors
from ..intensity import CT_WINDOW, model_input  # noqa: F401  (re-exported: the models' input contract)
from .hierarchical import HierarchicalBackbone
from .unet3d import UNet3d
from .vox2vec_fpn import Vox2VecFpn

__all__ = ["architecture", "build_backbone", "load_backbone", "read_manifest", "model_input", "BACKBONES",
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


def architecture(manifest):
    """The architecture fields of ``backbone.json`` as one flat dict, whatever its format.

    Format 1 keeps them at the top level; format 2 (with the model's input contract) in the method's resolved
    ``model`` section, and the output levels under ``features``.
    """
    try:
        if int(manifest.get("formatVersion", 1)) >= 2:
            m, f = manifest["model"], manifest["features"]
            arch = dict(inChannels=int(m.get("inChannels", f["inChannels"])), baseChannels=int(m["baseChannels"]),
                        levels=int(m["levels"]), blocksPerLevel=int(m["blocksPerLevel"]), norm=str(m["norm"]).lower(),
                        outputChannels=[int(level["channels"]) for level in f["levels"]])
            if "levelProjectionWidth" in m:
                arch["levelProjectionWidth"] = int(m["levelProjectionWidth"])
        else:
            arch = {k: manifest[k] for k in ("inChannels", "baseChannels", "levels", "blocksPerLevel", "norm")}
            for k in ("levelProjectionWidth", "outputChannels"):
                if k in manifest:
                    arch[k] = manifest[k]
    except KeyError as e:
        raise ValueError(f"backbone.json lacks {e.args[0]!r}") from e
    arch["method"] = manifest.get("method")
    return arch


def build_backbone(manifest):
    """A freshly initialised backbone of the architecture ``manifest`` describes (format 1 or 2)."""
    a = architecture(manifest)
    method = a["method"]
    cls = BACKBONES.get(method)
    if cls is None:
        raise ValueError(f"backbone.json: unknown method {method!r}; known: {', '.join(sorted(BACKBONES))}")
    kw = dict(in_channels=int(a["inChannels"]), base_channels=int(a["baseChannels"]), levels=int(a["levels"]),
              blocks_per_level=int(a["blocksPerLevel"]), norm=str(a["norm"]))
    if cls is HierarchicalBackbone:
        if "levelProjectionWidth" not in a:
            raise ValueError("backbone.json lacks 'levelProjectionWidth'")
        kw["projection_width"] = int(a["levelProjectionWidth"])
    model = cls(**kw)
    expected = a.get("outputChannels")
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
    manifest = dict(manifest, **architecture(manifest), safetensorsMetadata=meta)
    return model, manifest
