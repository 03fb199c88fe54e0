#!/usr/bin/python3
"""Summarises scripts/sal-study.sh: mean Dice per (M, initialisation) as mean +- sample std over seeds (each seed's
value is its mean over folds, from evaluate-slices' report.json), the paired per-seed differences SAL - PCL and
SAL - random init (same folds, subjects and decoder init within a seed), per-class Dice at the largest M, the
pre-training logs' last WLA / spread values, and the time spent per stage. Standard library only."""
import json, os, statistics, sys

out, seeds = sys.argv[1], sys.argv[2:]
arms = ["random-init", "pcl", "sal"]


def ms(values):
    v = [x for x in values if x == x]
    if not v:
        return "–"
    return f"{statistics.mean(v):.3f} ± {statistics.stdev(v):.3f}" if len(v) > 1 else f"{v[0]:.3f}"


reports = {s: json.load(open(os.path.join(out, f"eval-{s}", "report.json"))) for s in seeds}
ms_values = sorted({int(a["arm"].split("/")[0][2:]) for r in reports.values() for a in r["result"]["arms"]})


def arm(seed, m, name):
    return next(a for a in reports[seed]["result"]["arms"] if a["arm"] == f"M={m}/{name}")


def dice(seed, m, name):
    v = arm(seed, m, name)["meanDice"]["mean"]
    return float("nan") if v is None else v


opts = reports[seeds[0]]["options"]
folds = min(opts["folds"], opts.get("maxFolds") or opts["folds"])
print(f"Seeds: {', '.join(seeds)}. Fine-tuning: {opts['steps']} steps of {opts['batchSize']} crops per arm. Mean Dice over 5 classes")
print(f"(liver, spleen, kidneys, stomach); each seed's value is its mean over {folds} fold(s) of {opts['folds']} (each seed")
print("draws its own split); table: mean ± sample std over seeds.\n")
print("| M | " + " | ".join(arms) + " | SAL − PCL (paired) | SAL − random (paired) | PCL − random (paired) |")
print("|---|" + "---|" * (len(arms) + 3))
for m in ms_values:
    row = [ms([dice(s, m, a) for s in seeds]) for a in arms]
    d_sp = [dice(s, m, "sal") - dice(s, m, "pcl") for s in seeds]
    d_sr = [dice(s, m, "sal") - dice(s, m, "random-init") for s in seeds]
    d_pr = [dice(s, m, "pcl") - dice(s, m, "random-init") for s in seeds]
    print(f"| {m} | " + " | ".join(row) + f" | {ms(d_sp)} | {ms(d_sr)} | {ms(d_pr)} |")

print("\nPer seed (mean Dice, random-init / PCL / SAL):\n")
print("| seed | " + " | ".join(f"M={m}" for m in ms_values) + " |")
print("|---|" + "---|" * len(ms_values))
for s in seeds:
    print(f"| {s} | " + " | ".join("/".join(f"{dice(s, m, a):.3f}" for a in arms) for m in ms_values) + " |")

top = ms_values[-1]
classes = [(c["label"], c["name"]) for c in arm(seeds[0], top, "sal")["classes"]]
print(f"\nPer class at M = {top} (mean ± std over seeds):\n")
print("| class | " + " | ".join(arms) + " |")
print("|---|" + "---|" * len(arms))
for i, (label, name) in enumerate(classes):
    vals = [[arm(s, top, a)["classes"][i]["dice"]["mean"] for s in seeds] for a in arms]
    print(f"| {label} {name} | " + " | ".join(ms([x if x is not None else float('nan') for x in v]) for v in vals) + " |")

print("\nPre-training, last logged step (mean over seeds):\n")
print("| run | GP | WLA | local spread | global spread | local pairs/step |")
print("|---|---|---|---|---|---|")
for name in ["pcl", "sal"]:
    rows = []
    for s in seeds:
        with open(os.path.join(out, "runs", f"{name}-{s}", "metrics.jsonl")) as f:
            rows.append(json.loads(f.readlines()[-1]))
    # loss parts: {"lossParts": {...}} (camelCase metrics) or "loss_PART" keys (runs written before)
    g = lambda k: statistics.mean(r["lossParts"][k] if "lossParts" in r else r["loss_" + k] for r in rows)
    print(f"| {name} | {g('gp'):.3f} | {g('wla'):.4f} | {g('local_spread'):.3f} | {g('global_spread'):.3f} | {g('local_pairs'):.1f} |")

print("\nTime per stage (wall and CPU seconds on this machine; wall times on a shared VM are pessimistic):\n")
print("| stage | wall s | CPU s | peak RSS MiB |")
print("|---|---|---|---|")
tw = tc = 0.0
with open(os.path.join(out, "times.tsv")) as f:
    next(f)
    for line in f:
        st, wall, cpu, rss = line.rstrip("\n").split("\t")
        tw += float(wall); tc += float(cpu)
        print(f"| {st} | {float(wall):.0f} | {float(cpu):.0f} | {int(rss) // 1024} |")
print(f"| **total** | **{tw:.0f}** | **{tc:.0f}** | |")
