#!/usr/bin/python3
"""PyTorch baseline for `streaming bench pretrain`: one full vox2vec FPN training step on CPU or CUDA.

The backbone is python/streaming_bridge/models (the PyTorch twin of src/Streaming.Training/Models, checked against
it by PythonFeatureParityTests); head, gather and loss mirror ProjectionHead, VoxelGather and Methods/Vox2VecMethod.cs:
base 16 channels, 6 levels, two pre-activation residual blocks (BatchNorm) per level,
max-pool down + 1x1 convolution for the channel change, top-down decoder (nearest upsampling, 1x1 convolution,
lateral add, two residual blocks), 1008-dim concatenation, head 1008-1008-1008-128 (Linear+BN+ReLU x2, Linear),
L2 normalisation, symmetric InfoNCE (t = 0.1) over the 2N voxels, Adam(3e-4, betas 0.9/0.999), grad clip 1.0.
Input: 1 pair = 2 patches 1x32x128x128 (z, y, x), 1000 positions per pair.

Runs on Debian 12's python3-torch (1.13.1, CPU) and on a CUDA PyTorch (--device cuda; scripts/gpu-check.sh runs it
beside `streaming pretrain` on the same GPU). On CUDA a timed step includes the host-to-device copy of the batch from
pinned memory (as the trainer's), and ends with torch.cuda.synchronize(). --amp bf16 runs the backbone under
torch.autocast(bfloat16) and the head and loss in float32 (what model.precision: bf16 does with explicit casts).
--profile times the phases (h2d, forward, infonce, backward, clip, optimizer) with a synchronize at each boundary.
Prints a markdown table; --json prints the rows as JSON too, --json-out writes them to a file.
"""
import argparse
import contextlib
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# The backbone is the Python bridge's (python/streaming_bridge/models), whose names are backbone.safetensors' names.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from streaming_bridge.models import Vox2VecFpn  # noqa: E402


class Head(nn.Module):
    def __init__(self, dim, hidden, out):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.BatchNorm1d(hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.BatchNorm1d(hidden), nn.ReLU(),
                                 nn.Linear(hidden, out))

    def forward(self, x):
        return F.normalize(self.mlp(x), p=2, dim=1)


def gather(pyramid, pos):
    """pos (B, M, 3) (z, y, x) -> (B*M, sum C): level l read at pos // 2^l, clamped, finest first."""
    b, m, _ = pos.shape
    parts = []
    for l, f in enumerate(pyramid):
        _, c, d, h, w = f.shape
        s = torch.div(pos, 1 << l, rounding_mode="floor")
        z, y, x = s[..., 0].clamp(0, d - 1), s[..., 1].clamp(0, h - 1), s[..., 2].clamp(0, w - 1)
        lin = (z * (h * w) + y * w + x).unsqueeze(1).expand(b, c, m)
        g = f.reshape(b, c, d * h * w).gather(2, lin)
        parts.append(g.permute(0, 2, 1).reshape(b * m, c))
    return torch.cat(parts, 1)


def info_nce(z, t):
    """Symmetric InfoNCE: row i's positive is row (i + V) mod 2V, self excluded."""
    rows = z.shape[0]
    s = (z @ z.t()) / t
    s = s.masked_fill(torch.eye(rows, dtype=torch.bool, device=z.device), float("-inf"))
    target = (torch.arange(rows, device=z.device) + rows // 2) % rows
    return F.cross_entropy(s, target)


def make_batch(gen, pairs, shape, positions, max_shift=3):
    """Two noisy views of a random volume, offset by up to max_shift voxels; positions inside the overlap."""
    zd, yd, xd = shape
    views_a, views_b, pos_a, pos_b = [], [], [], []
    for _ in range(pairs):
        sz, sy, sx = (int(torch.randint(0, max_shift + 1, (1,), generator=gen)) for _ in range(3))
        vol = torch.randn(1, zd + sz, yd + sy, xd + sx, generator=gen)
        views_a.append(vol[:, :zd, :yd, :xd] + 0.02 * torch.randn(1, zd, yd, xd, generator=gen))
        views_b.append(vol[:, sz:sz + zd, sy:sy + yd, sx:sx + xd] * 1.1 + 0.02 * torch.randn(1, zd, yd, xd, generator=gen))
        p = torch.stack([torch.randint(sz, zd, (positions,), generator=gen), torch.randint(sy, yd, (positions,), generator=gen),
                         torch.randint(sx, xd, (positions,), generator=gen)], 1)
        pos_a.append(p)
        pos_b.append(p - torch.tensor([sz, sy, sx]))
    x = torch.stack(views_a + views_b)               # (2N, 1, Z, Y, X): A views then B views
    pos = torch.stack(pos_a + pos_b)                 # (2N, M, 3)
    return x, pos


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10   # Linux: KiB


class Phases:
    """Per-phase wall time with a device synchronize at each boundary (only with --profile)."""

    def __init__(self, device, on):
        self.device, self.on, self.sums, self.t = device, on, {}, 0.0

    def sync(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)

    def start(self):
        if self.on:
            self.sync()
            self.t = time.perf_counter()

    def mark(self, phase):
        if self.on:
            self.sync()
            now = time.perf_counter()
            self.sums[phase] = self.sums.get(phase, 0.0) + (now - self.t) * 1000
            self.t = now


def run(threads, args):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    backbone = Vox2VecFpn(1, args.base, args.levels, args.blocks)
    dim = backbone.representation_dim
    head = Head(dim, dim, 128)
    model = nn.ModuleDict({"backbone": backbone, "head": head}).to(device).train()
    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=3e-4, betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(1)
    cuda = device.type == "cuda"
    # A few distinct batches made up front and cycled, so batch generation (CPU) stays out of the timing; pinned on CUDA.
    batches = [make_batch(gen, args.pairs, (args.z, args.y, args.x), args.positions) for _ in range(max(1, args.batches))]
    if cuda:
        batches = [(x.pin_memory(), p.pin_memory()) for x, p in batches]
        torch.cuda.reset_peak_memory_stats(device)
    amp = torch.autocast(device.type, dtype=torch.bfloat16) if args.amp == "bf16" else contextlib.nullcontext()
    phases = Phases(device, args.profile)
    times, losses = [], []
    loss = float("nan")
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            phases.sums = {}
        xh, ph = batches[step % len(batches)]
        if cuda:
            torch.cuda.synchronize(device)
        t0 = time.perf_counter()
        phases.start()
        opt.zero_grad(set_to_none=False)
        phases.mark("zero_grad")
        x, pos = xh.to(device, non_blocking=True), ph.to(device, non_blocking=True)
        phases.mark("h2d")
        with amp:
            pyramid = backbone(x)
        z = head(gather([f.float() for f in pyramid], pos))
        phases.mark("forward")
        l = info_nce(z, 0.1)
        phases.mark("infonce")
        l.backward()
        phases.mark("backward")
        nn.utils.clip_grad_norm_(params, 1.0)
        phases.mark("clip")
        opt.step()
        phases.mark("optimizer")
        loss = l.item()
        if cuda:
            torch.cuda.synchronize(device)
        if step >= args.warmup:
            times.append(time.perf_counter() - t0)
        losses.append(loss)
    row = {
        "device": str(device), "amp": args.amp, "threads": threads, "mean_s": sum(times) / len(times), "min_s": min(times),
        "steps": len(times), "steps_per_s": len(times) / sum(times), "dims": dim, "parameters": sum(p.numel() for p in params),
        "backbone_parameters": sum(p.numel() for p in backbone.parameters()), "last_loss": loss, "losses": losses,
        "peak_rss_mib": peak_rss_mib(), "torch": torch.__version__,
    }
    if args.profile:
        row["step_ms"] = {k: v / len(times) for k, v in phases.sums.items()}
    if cuda:
        row["gpu_max_allocated_mib"] = torch.cuda.max_memory_allocated(device) >> 20
        row["gpu_max_reserved_mib"] = torch.cuda.max_memory_reserved(device) >> 20
        row["gpu_name"] = torch.cuda.get_device_name(device)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", default="1,2", help="comma-separated torch.set_num_threads values")
    ap.add_argument("--steps", type=int, default=3, help="timed steps per thread count")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--pairs", type=int, default=1)
    ap.add_argument("--positions", type=int, default=1000)
    ap.add_argument("--base", type=int, default=16)
    ap.add_argument("--levels", type=int, default=6)
    ap.add_argument("--blocks", type=int, default=2)
    ap.add_argument("--x", type=int, default=128)
    ap.add_argument("--y", type=int, default=128)
    ap.add_argument("--z", type=int, default=32)
    ap.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    ap.add_argument("--amp", choices=["none", "bf16"], default="none", help="bf16: backbone under autocast(bfloat16)")
    ap.add_argument("--profile", action="store_true", help="per-phase times (synchronizes at each phase boundary)")
    ap.add_argument("--batches", type=int, default=2, help="distinct batches generated up front and cycled")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--json-out", help="also write the rows as JSON to this file")
    args = ap.parse_args()
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit(f"--device {args.device}: this PyTorch ({torch.__version__}) sees no CUDA device")
    rows = [run(int(t), args) for t in args.threads.split(",")]
    print(f"PyTorch {torch.__version__} on {args.device}{' (bf16 autocast)' if args.amp == 'bf16' else ''}, vox2vec FPN {args.base}x{args.levels}, "
          f"{args.pairs} pair(s) = {2 * args.pairs} patches {args.x}x{args.y}x{args.z}, {args.positions} positions/pair")
    print("| threads | mean s/step | min s/step | steps | dims | parameters | peak RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['threads']} | {r['mean_s']:.3f} | {r['min_s']:.3f} | {r['steps']} | {r['dims']} | {r['parameters']:,} | {r['peak_rss_mib']} |")
    if args.json:
        print(json.dumps(rows))
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(rows, f)


if __name__ == "__main__":
    main()
