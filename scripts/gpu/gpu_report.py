#!/usr/bin/env python3
"""Turns the outputs of scripts/gpu-check.sh into its one table (table.md) and results.json.

Reads from WORK/OUT (as gpu-check.sh leaves them): runs/{fp32,bf16,profile}/metrics.jsonl and *.json summaries of
`streaming pretrain`, pytorch-{fp32,bf16,profile}.json of scripts/bench/vox2vec_fpn_step.py, sample.json of
`streaming bench sample`, smi-*.csv (nvidia-smi per-process memory, sampled every 0.5 s), meta.json. Any missing
input leaves its cells as "not run" with the reason from meta.json. Standard library only.

usage: gpu_report.py OUT_DIR [--warmup STEPS]
"""
import json
import os
import sys

TARGET_STEPS = 100_000


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def last_json_line(path):
    try:
        with open(path) as f:
            lines = [l for l in f.read().splitlines() if l.strip().startswith("{")]
        return json.loads(lines[-1]) if lines else None
    except (OSError, ValueError):
        return None


# metrics.jsonl keys are camelCase; runs written before used these snake_case names, which the report reads.
SNAKE = {"stepsPerSecond": "steps_per_s", "dataWaitFraction": "data_wait_fraction", "rssMb": "rss_mb",
         "peakRssMb": "peak_rss_mb", "gpuMb": "gpu_mb", "gpuPeakMb": "gpu_peak_mb", "elapsedSeconds": "elapsed_s",
         "stepMs": "step_ms"}


def metrics(path):
    try:
        with open(path) as f:
            return [{SNAKE.get(k, k): v for k, v in json.loads(l).items()} for l in f if l.strip()]
    except (OSError, ValueError):
        return []


def ts_run(out, name, warmup):
    """Steps/s, data wait, GPU memory and losses of one `streaming pretrain` run, after `warmup` steps."""
    rows = metrics(os.path.join(out, "runs", name, "metrics.jsonl"))
    if not rows:
        return None
    after = [r for r in rows if r["step"] > warmup] or rows
    first = [r for r in rows if r["step"] <= warmup]
    t0, s0 = (first[-1]["elapsed_s"], first[-1]["step"]) if first else (0.0, 0)
    t1, s1 = after[-1]["elapsed_s"], after[-1]["step"]
    sps = (s1 - s0) / (t1 - t0) if t1 > t0 else None
    # data wait: time-weighted over the windows after warm-up
    span = [(r, (r["elapsed_s"] - p["elapsed_s"])) for p, r in zip(rows, rows[1:]) if r["step"] > warmup]
    wait = (sum(r["data_wait_fraction"] * d for r, d in span) / sum(d for _, d in span)) if span and sum(d for _, d in span) > 0 else after[-1]["data_wait_fraction"]
    phases = {}
    timed = [r["step_ms"] for r in after if "step_ms" in r]
    for p in {k for t in timed for k in t}:
        phases[p] = sum(t.get(p, 0.0) for t in timed) / len(timed)
    return {
        "steps": s1, "steps_per_s": sps, "data_wait": wait,
        "gpu_peak_mb": max((r.get("gpu_peak_mb") or 0) for r in rows) or None,
        "losses": [(r["step"], r["loss"]) for r in rows], "step_ms": phases or None,
        "rss_peak_mb": max(r.get("peak_rss_mb", 0) for r in rows),
    }


def smi_peak(out, name):
    """Largest per-process GPU memory (MiB) nvidia-smi saw during a run."""
    try:
        with open(os.path.join(out, f"smi-{name}.csv")) as f:
            vals = [int(l.split(",")[1]) for l in f if l.count(",") == 1 and l.split(",")[1].strip().isdigit()]
        return max(vals) if vals else None
    except OSError:
        return None


def fmt(v, spec, unit=""):
    return "–" if v is None else (format(v, spec) + unit)


def hours(sps):
    return None if not sps else TARGET_STEPS / sps / 3600


def curve_gap(a, b):
    """Largest |loss_a - loss_b| over the logged windows both runs have, and the last window's losses."""
    if not a or not b:
        return None
    da, db = dict(a), dict(b)
    common = sorted(set(da) & set(db))
    if not common:
        return None
    return max(abs(da[s] - db[s]) for s in common), da[common[-1]], db[common[-1]], common[-1]


def main(argv):
    out = argv[1]
    warmup = int(argv[argv.index("--warmup") + 1]) if "--warmup" in argv else 20
    meta = load_json(os.path.join(out, "meta.json")) or {}
    skipped = meta.get("skipped", {})
    ts = {n: ts_run(out, n, warmup) for n in ("fp32", "bf16", "profile")}
    py = {}
    for n in ("fp32", "bf16", "profile"):
        rows = load_json(os.path.join(out, f"pytorch-{n}.json"))
        py[n] = rows[0] if rows else None
    sample = last_json_line(os.path.join(out, "sample.json"))
    sampler = None
    if sample:
        for r in sample.get("rows", []):
            name = r.get("name") or r.get("Name") or ""
            if name.startswith("prefetch,") and "worker" in name:
                sampler = (name, r.get("value") if "value" in r else r.get("Value"))
    cols = [("TorchSharp fp32", ts["fp32"], py["fp32"]), ("TorchSharp bf16", ts["bf16"], py["bf16"]),
            ("PyTorch fp32", py["fp32"], None), ("PyTorch bf16 (autocast)", py["bf16"], None)]

    def why(key):
        return f"not run: {skipped[key]}" if key in skipped else "not run"

    def cell(i, fn):
        name, mine, _ = cols[i]
        key = ["ts-fp32", "ts-bf16", "py-fp32", "py-bf16"][i]
        return fn(mine) if mine else why(key)

    sps = [c[1]["steps_per_s"] if c[1] else None for c in cols]
    lines = []
    dev = meta.get("gpu") or meta.get("device", "?")
    lines.append(f"GPU check: {dev}; PyTorch {meta.get('torch', '?')}; TorchSharp 0.107.0 glue: {meta.get('glue', '?')}; "
                 f"config {meta.get('config', '?')} ({meta.get('steps', '?')} steps, first {warmup} not timed); commit {meta.get('commit', '?')}")
    lines.append("")
    lines.append("| measure | " + " | ".join(c[0] for c in cols) + " |")
    lines.append("|---|" + "---:|" * len(cols))
    lines.append("| steps/s (after warm-up) | " + " | ".join(cell(i, lambda m, i=i: fmt(sps[i], ".3f")) for i in range(4)) + " |")
    ratios = []
    for i in (0, 1):
        a, b = sps[i], sps[i + 2]
        ratios.append(fmt(a / b if a and b else None, ".2f", "x"))
    lines.append("| TorchSharp / PyTorch (same precision) | " + " | ".join(ratios + ["1", "1"]) + " |")
    lines.append("| bf16 / fp32 speed-up | – | " + fmt(sps[1] / sps[0] if sps[0] and sps[1] else None, ".2f", "x") + " | – | "
                 + fmt(sps[3] / sps[2] if sps[2] and sps[3] else None, ".2f", "x") + " |")
    lines.append("| data wait (% of step time) | " + " | ".join(
        [cell(i, lambda m: fmt(100 * m["data_wait"], ".2f", " %")) for i in (0, 1)] + ["– (batches in memory)"] * 2) + " |")
    lines.append("| GPU saturated (data wait < 1 %) | " + " | ".join(
        [cell(i, lambda m: "yes" if m["data_wait"] < 0.01 else "**no**") for i in (0, 1)] + ["–", "–"]) + " |")
    mem = [smi_peak(out, "ts-fp32"), smi_peak(out, "ts-bf16"), smi_peak(out, "py-fp32"), smi_peak(out, "py-bf16")]
    lines.append("| GPU memory, process peak (nvidia-smi) | " + " | ".join(fmt(m, ",d", " MiB") for m in mem) + " |")
    lines.append("| GPU memory, allocator peak | – | – | " + " | ".join(
        fmt(p.get("gpu_max_allocated_mib") if p else None, ",d", " MiB") for p in (py["fp32"], py["bf16"])) + " |")
    lines.append("| projected 100K steps (wall) | " + " | ".join(fmt(hours(s), ".1f", " h") for s in sps) + " |")
    # loss curves over the same steps
    gap_ts = curve_gap(ts["fp32"]["losses"] if ts["fp32"] else None, ts["bf16"]["losses"] if ts["bf16"] else None)
    pl = lambda r: list(enumerate(r["losses"], 1)) if r else None
    gap_py = curve_gap(pl(py["fp32"]), pl(py["bf16"]))
    lines.append("| loss at the last logged step | " + " | ".join(
        [cell(i, lambda m: fmt(m["losses"][-1][1], ".4f")) for i in (0, 1)]
        + [cell(i, lambda m: fmt(m["last_loss"], ".4f")) for i in (2, 3)]) + " |")
    lines.append("| bf16 vs fp32 loss curve: largest gap (same steps) | – | "
                 + ("–" if not gap_ts else f"{gap_ts[0]:.4f} over {gap_ts[3]} steps") + " | – | "
                 + ("–" if not gap_py else f"{gap_py[0]:.4f} over {gap_py[3]} steps") + " |")
    # where the step time goes (profiled runs: a synchronize at every phase boundary)
    tsp = ts["profile"]["step_ms"] if ts["profile"] else None
    pyp = py["profile"].get("step_ms") if py["profile"] else None
    for label, keys in (("h2d copies", ["h2d"]), ("forward (backbone, gather, head)", ["forward"]), ("InfoNCE", ["infonce"]),
                        ("backward", ["backward"]), ("optimizer (zero_grad + clip + Adam)", ["zero_grad", "clip", "optimizer"]),
                        ("other", ["other"])):
        a = sum(tsp.get(k, 0.0) for k in keys) if tsp else None
        b = sum(pyp.get(k, 0.0) for k in keys) if pyp else None
        lines.append(f"| step ms, fp32 profiled: {label} | {fmt(a, '.1f')} | – | {fmt(b, '.1f')} | – |")
    if sampler:
        need = sps[0]
        head = f"{sampler[1]:.2f} batches/s ({sampler[0]})" + (f"; {sampler[1] / need:.1f}x the fp32 step rate" if need else "")
    else:
        head = why("sampler")
    lines.append(f"| sampler with {meta.get('workers', '?')} workers (bench sample) | {head} | | | |")
    lines.append(f"| phantoms: synth + ingest | {meta.get('data', 'not run')} | | | |")
    table = "\n".join(lines)
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write(table + "\n")
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"meta": meta, "torchsharp": ts, "pytorch": py, "sampler": sampler, "table": table}, f, indent=1, default=str)
    print(table)


if __name__ == "__main__":
    main(sys.argv)
