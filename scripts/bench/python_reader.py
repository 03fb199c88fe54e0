#!/usr/bin/python3
"""Python bridge reader benchmark: decode speed of whole shards, checksum engines, 128x128x32 patch reads, and the
C# reader (`streaming cache verify`) on the same cache in the same run.

    /usr/bin/python3 scripts/bench/python_reader.py --cache CACHE_ROOT --spec ct-1x1x2 [--patches 40] [--json]

Times are process CPU seconds (steadier than wall time on a shared machine), best of 2 after a warm-up pass;
MB = 10^6 bytes of decoded voxels (image + body bitmap + labels), the bytes the checksums cover. The C# figure is
the `cache verify` process's CPU minus that of `cache ls` (start-up, catalog), best of 2.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import streaming_bridge as sb  # noqa: E402
from streaming_bridge import checksum  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def cpu():
    return time.process_time()


def full_reads(cache, verify, engine=None):
    """Decoded MB per CPU second over every volume, read whole."""
    saved = checksum._xxhash
    if engine == "python":
        checksum._xxhash = None
    try:
        decoded, t = 0, cpu()
        for vid in cache.ids:
            with cache.open(vid, verify=verify) as s:
                s.read()
                decoded += s.total.bytes_decoded
        return decoded / 1e6 / (cpu() - t), decoded
    finally:
        checksum._xxhash = saved


def patch_reads(cache, n, size_zyx=(32, 128, 128), seed=0):
    rng = np.random.default_rng(seed)
    times, chunks, ratios, file_bytes = [], [], [], []
    shards = {vid: cache.open(vid) for vid in cache.ids}
    try:
        for _ in range(n):
            s = shards[cache.ids[rng.integers(len(cache.ids))]]
            shape = s.geometry.array_shape
            size = tuple(min(a, b) for a, b in zip(size_zyx, shape))
            start = tuple(int(rng.integers(0, n_ - k + 1)) for n_, k in zip(shape, size))
            t = cpu()
            r = s.read_region(start, size)
            times.append(cpu() - t)
            chunks.append(r.stats.chunks_decoded)
            patch = int(np.prod(size)) * (s._image_dtype.itemsize + 1 / 8 + (1 if s.has_labels else 0))
            ratios.append(r.stats.bytes_decoded / patch)
            file_bytes.append(r.stats.file_bytes_read)
    finally:
        for s in shards.values():
            s.close()
    return {"mean_ms": 1e3 * float(np.mean(times)), "median_ms": 1e3 * float(np.median(times)),
            "chunks_mean": float(np.mean(chunks)), "chunks_max": int(max(chunks)), "decoded_ratio_max": float(max(ratios)),
            "file_kb_mean": float(np.mean(file_bytes)) / 1e3, "size_zyx": list(size_zyx)}


def csharp_cpu(args):
    """CPU seconds (user + sys) of one `streaming` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["dotnet", os.path.join(REPO, "src/Streaming.Cli/bin/Release/net10.0/streaming.dll")] + args,
                   cwd=REPO, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", required=True, help="cache root")
    ap.add_argument("--spec", help="spec name or key (when the root holds several)")
    ap.add_argument("--patches", type=int, default=40)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    cache = sb.open_cache(a.cache, spec=a.spec)
    full_reads(cache, verify=False)                   # warm-up: page cache, allocator, imports
    plain, decoded = max(full_reads(cache, verify=False) for _ in range(2))
    fast, _ = max(full_reads(cache, verify=True) for _ in range(2))
    slow, _ = full_reads(cache, verify=True, engine="python")
    t = cpu()
    bad = cache.verify()
    py_verify = decoded / 1e6 / (cpu() - t)
    rows = {"volumes": len(cache), "decoded_mb": decoded / 1e6, "decode_only_mbs": plain, "decode_xxhash_mbs": fast,
            "decode_python_xxh64_mbs": slow, "python_verify_mbs": py_verify, "verify_problems": len(bad),
            "patch": patch_reads(cache, a.patches)}
    try:
        startup = min(csharp_cpu(["cache", "ls", "--cache", a.cache]) for _ in range(2))
        verify = min(csharp_cpu(["cache", "verify", "--cache", a.cache]) for _ in range(2))
        rows["csharp_verify_mbs"] = decoded / 1e6 / max(verify - startup, 1e-9)
        rows["csharp_startup_cpu_s"] = startup
        if len(sb.list_keys(a.cache)) > 1:
            rows["note"] = "C# verify covers every key of the root; use a root holding one key for a fair ratio"
    except (OSError, subprocess.CalledProcessError) as e:
        rows["csharp_verify_mbs"] = None
        rows["note"] = f"C# baseline not measured: {e}"
    p = rows["patch"]
    print(f"Python bridge reader, {rows['volumes']} volumes of {cache.spec_name} ({rows['decoded_mb']:.0f} MB decoded), "
          f"checksum engine {checksum.ENGINE}, numpy {np.__version__}")
    print("| what | value | unit | baseline | ratio |")
    print("|---|---:|---|---|---:|")
    print(f"| whole-volume read, decode only (verify=False) | {plain:.0f} | MB/s CPU | | |")
    print(f"| whole-volume read + XXH64 (python3-xxhash) | {fast:.0f} | MB/s CPU | decode only | {fast / plain:.2f}x |")
    print(f"| whole-volume read + XXH64 (pure-Python fallback) | {slow:.1f} | MB/s CPU | python3-xxhash | {slow / fast:.3f}x |")
    if rows.get("csharp_verify_mbs"):
        c = rows["csharp_verify_mbs"]
        print(f"| verify every chunk: Python `Cache.verify()` | {py_verify:.0f} | MB/s CPU | C# `cache verify` {c:.0f} MB/s | {py_verify / c:.2f}x |")
    print(f"| {'x'.join(map(str, p['size_zyx'][::-1]))} patch read (x,y,z) | {p['mean_ms']:.1f} | ms CPU (median {p['median_ms']:.1f}) | | |")
    print(f"| chunks decoded per patch | {p['chunks_mean']:.1f} | mean (max {p['chunks_max']}) | | |")
    print(f"| decoded bytes / patch bytes | {p['decoded_ratio_max']:.2f} | max | | |")
    if a.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
