#!/usr/bin/python3
"""Table of scripts/context3d-results.sh: mean kNN Dice per descriptor and number of atlases, mean ± sd over seeds.

Reads OUT/eval-<method>-seed<s>.json (evaluate --json); each arm's meanDice is the mean over the held-out volumes
of both folds. Usage: context3d-table.py OUT
"""
import glob, json, os, re, statistics, sys

ROWS = [("HEATMAP", "context2d-heatmap", "pretrained"), ("REG2D", "context2d-reg2d", "pretrained"),
        ("DOERSCH", "doersch3d", "pretrained"), ("GVDIFF (grey-value differences)", "context2d-heatmap", "gvdiff"),
        ("XAVIER (random init)", "context2d-heatmap", "random-init"), ("vox2vec", "vox2vec", "pretrained"),
        ("hierarchical", "hierarchical", "pretrained")]
out = sys.argv[1]
dice = {}  # (method, backbone, shots) -> {seed: dice}
shots_seen = set()
for path in glob.glob(os.path.join(out, "eval-*-seed*.json")):
    method, seed = re.match(r"eval-(.+)-seed(\d+)\.json", os.path.basename(path)).groups()
    with open(path) as f:
        report = json.load(f)
    for arm in report["arms"]:
        m = re.match(r"knn/(.+)-(\d+)shot", arm["arm"])
        if m is None or arm["meanDice"] is None:
            continue
        shots_seen.add(int(m.group(2)))
        dice.setdefault((method, m.group(1), int(m.group(2))), {})[int(seed)] = arm["meanDice"]
shots = sorted(shots_seen)
print("| descriptor | " + " | ".join(f"{s} atlas{'es' if s > 1 else ''}" for s in shots) + " | seeds |")
print("|---|" + "---|" * len(shots) + "---|")
for label, method, backbone in ROWS:
    cells, seeds = [], set()
    for s in shots:
        v = dice.get((method, backbone, s), {})
        seeds |= set(v)
        vals = list(v.values())
        cells.append("n/a" if not vals else f"{statistics.mean(vals):.3f} ± {statistics.stdev(vals):.3f}" if len(vals) > 1 else f"{vals[0]:.3f}")
    print(f"| {label} | " + " | ".join(cells) + f" | {','.join(map(str, sorted(seeds)))} |")
