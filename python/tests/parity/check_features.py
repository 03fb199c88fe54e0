#!/usr/bin/python3
"""Cross-language check run by tests/Streaming.Training.Tests/PythonFeatureParityTests.cs.

Each FOLDER holds backbone.json + backbone.safetensors exported by C#, input.npy and level{l}.npy (C#'s eval-mode
pyramid for that input). Loads each backbone strictly, runs the input and prints one JSON line per folder with the
largest absolute difference per level; exits 1 when a load fails or a level differs by more than --tolerance.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

from streaming_bridge.models import load_backbone


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
