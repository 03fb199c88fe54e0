#!/usr/bin/python3
"""Cross-language check run by tests/Streaming.Training.Tests/PythonFeatureParityTests.cs.

Each FOLDER holds backbone.json + backbone.safetensors exported by C#, input.npy and level{l}.npy (C#'s eval-mode
pyramid for that input). Loads each backbone strictly, runs the input and prints one JSON line per folder with the
largest absolute difference per level; exits 1 when a load fails or a level differs by more than --tolerance.
It also writes the loaded module back (state_dict() + the same backbone.json) to FOLDER/from-python, which the C#
test loads with BackboneExport.Read: a backbone fine-tuned in PyTorch goes back to `streaming embed`/`evaluate`.
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import torch

from streaming_bridge import safetensors
from streaming_bridge.models import MANIFEST_FILE, WEIGHTS_FILE, load_backbone


def check(folder, tolerance):
    model, manifest = load_backbone(folder)        # strict=True inside
    norms = [m for n, m in model.named_modules() if n.split(".")[-1].startswith("norm")]
    # The C# test randomises every norm's weights; identity values here would mean they were not loaded.
    checked = bool(norms) and all(not torch.all(m.weight == 1) for m in norms)
    x = torch.from_numpy(np.load(os.path.join(folder, "input.npy")))
    with torch.no_grad():
        pyramid = model(x)
    diffs = []
    for l, p in enumerate(pyramid):
        ref = np.load(os.path.join(folder, f"level{l}.npy"))
        if ref.shape != tuple(p.shape):
            return {"method": manifest["method"], "error": f"level {l}: PyTorch shape {tuple(p.shape)}, C# {ref.shape}", "ok": False}
        diffs.append(float(np.abs(p.numpy() - ref).max()))
    ok = checked and all(d <= tolerance for d in diffs) and len(pyramid) == len(manifest["outputChannels"])
    back = os.path.join(folder, "from-python")
    os.makedirs(back, exist_ok=True)
    safetensors.save_torch(os.path.join(back, WEIGHTS_FILE), model.state_dict(), manifest["safetensorsMetadata"])
    shutil.copy(os.path.join(folder, MANIFEST_FILE), back)
    return {"method": manifest["method"], "norm": manifest["norm"], "levels": len(pyramid), "maxAbsDiff": diffs,
            "normalisationChecked": checked, "ok": ok}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    a = ap.parse_args()
    torch.set_num_threads(1)
    results = [check(f, a.tolerance) for f in a.folders]
    for r in results:
        print(json.dumps(r))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
