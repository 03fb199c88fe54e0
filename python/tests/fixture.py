"""A small real cache for the Python tests, made the way users make one: ``streaming synth`` + ``streaming ingest``.

Built once per test process (about 10 s on 2 cores) into a temporary folder, removed at exit:
- CT (``pipelines/ct-demo-3mm.yaml``, int16, chunks 32x32x16): 3 FLARE phantoms ingested as 2 partitions
  (``--partition 0/2`` and ``1/2``: per-partition catalogs); one case's label file removed first (an unlabeled CT);
- MR (float32, 4 mm, chunks 16x16x8, spec written here): 1 AMOS MR phantom with labels.
The CLI is ``$STREAMING_CLI`` when set, else ``scripts/streaming.sh`` (which builds it once). Without ``dotnet``
the tests that need the cache skip with that reason.
"""
import atexit
import glob
import json
import os
import shlex
import shutil
import subprocess
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

MR_SPEC = """name: mr-test-4mm
modality: MR
targetSpacing: [4.0, 4.0, 4.0]
intensity:
  percentileLow: 0.5
  percentileHigh: 99.5
body:
  airThreshold: 0.3
  fill: axialSlices
  minBodyMl: 20
crop:
  minShape: [16, 16, 8]
  margin: 0
shard:
  chunkShape: [16, 16, 8]
  zstdLevel: 1
"""

_state = {}


def cli():
    env = os.environ.get("STREAMING_CLI")
    if env:
        return shlex.split(env)
    if shutil.which("dotnet") is None:
        raise unittest.SkipTest("dotnet is not installed: the shard fixtures come from `streaming synth` + `ingest`")
    return [os.path.join(REPO, "scripts", "streaming.sh")]


def run(*args):
    """Runs the CLI with --json and returns its summary line."""
    p = subprocess.run(cli() + list(args) + ["--json"], cwd=REPO, capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise RuntimeError(f"streaming {' '.join(args)} exited {p.returncode}:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def build():
    """``{"root", "data", "ct", "mr"}``: cache root, synth data folder and the two key folders."""
    if "error" in _state:
        raise _state["error"]
    if "root" in _state:
        return _state
    tmp = tempfile.mkdtemp(prefix="streaming-py-")
    atexit.register(shutil.rmtree, tmp, True)
    try:
        data, root = os.path.join(tmp, "data"), os.path.join(tmp, "cache")
        run("synth", "--out", data, "--layout", "flare", "--count", "3", "--size", "small", "--seed", "7", "--workers", "2")
        labels = sorted(glob.glob(os.path.join(data, "FLARE", "labels*", "*.nii.gz")))
        os.remove(labels[-1])                                   # FLARE_Va_0001: an unlabeled CT
        run("synth", "--out", data, "--layout", "amos", "--modality", "mr", "--count", "1", "--size", "small", "--seed", "8")
        spec = os.path.join(tmp, "mr-test-4mm.yaml")
        with open(spec, "w") as f:
            f.write(MR_SPEC)
        flare = "flare=" + os.path.join(data, "FLARE")
        procs = [subprocess.Popen(cli() + ["ingest", "--spec", "pipelines/ct-demo-3mm.yaml", "--source", flare, "--cache", root,
                                           "--workers", "1", "--partition", f"{i}/2", "--json"],
                                  cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
        for p in procs:
            out, err = p.communicate(timeout=600)
            if p.returncode != 0:
                raise RuntimeError(f"streaming ingest exited {p.returncode}:\n{err[-3000:]}")
        run("ingest", "--spec", spec, "--source", "amos=" + os.path.join(data, "AMOS"), "--cache", root, "--workers", "1")
        keys = {}
        for name in os.listdir(root):
            with open(os.path.join(root, name, "spec.json")) as f:
                keys[json.load(f)["name"]] = os.path.join(root, name)
        _state.update(root=root, data=data, ct=keys["ct-demo-3mm"], mr=keys["mr-test-4mm"], tmp=tmp)
        return _state
    except BaseException as e:
        _state["error"] = e
        raise


def scratch(prefix="case-"):
    """A fresh folder under the fixture's temporary root (removed at exit)."""
    return tempfile.mkdtemp(prefix=prefix, dir=build()["tmp"])


def copy_key(which="ct"):
    """A private copy of a key folder, for tests that damage or extend it."""
    dst = os.path.join(scratch("key-"), os.path.basename(build()[which]))
    shutil.copytree(build()[which], dst)
    return dst
