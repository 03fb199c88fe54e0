"""A preprocessed cache (layout: ``src/Streaming.Shards/Cache/README.md``), read-only, like ``Catalog.cs``.

``<root>/<key>/spec.json``, ``shards/<fingerprint>.arrow``, ``catalog/*.jsonl`` (one volume record per line; one file
per ingest partition plus ``merged.jsonl``), ``failures/*.jsonl``. The catalog view is the union of every catalog
file — ``merged.jsonl`` first, then the others by name — keeping the latest record per volume id by ``createdUtc``
(ties go to the record read last). A line counts only once its ``\\n`` is written: an unterminated last line is the
torn tail of a killed (or still running) worker and is ignored; a malformed complete line is an error naming
``file:line``.
"""
import datetime
import json
import os
import re
from dataclasses import dataclass

from .shard import Shard

__all__ = ["Cache", "CacheKey", "CatalogError", "CatalogProblem", "open_cache", "list_keys", "read_json_lines"]

_MERGED = "merged.jsonl"


class CatalogError(ValueError):
    """A catalog line or cache folder is malformed (the message names the file and line)."""


@dataclass(frozen=True)
class CacheKey:
    """One key folder of a cache root, as ``streaming cache ls`` lists it."""
    key: str
    path: str
    spec_name: str
    modality: str
    volumes: int
    failures: int          # inputs whose latest state is failed (``Cache.current_failures()``), not failure lines
    problems: int = 0      # unreadable catalog lines (``Cache.problems``)


@dataclass(frozen=True)
class CatalogProblem:
    """A complete catalog line that could not be read: left out of the view, as C#'s ``Catalog.Problems``."""
    file: str
    line: int
    reason: str
    text: str

    def __str__(self):
        return f"{self.file}:{self.line}: unreadable catalog line, ignored ({self.reason})"


def _complete_lines(path):
    """``(line_number, text)`` of a JSON-lines file's complete, non-blank lines (a torn tail is skipped)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return
    for number, raw in enumerate(data.split(b"\n")[:-1], 1):   # the last piece is "" or the unterminated tail
        text = raw.decode("utf-8", errors="replace").rstrip("\r")
        if text.strip():
            yield number, text


def read_json_lines(path):
    """``[(line_number, object)]`` of a JSON-lines file's complete lines; blank lines and a torn tail are skipped, a
    malformed complete line raises ``CatalogError`` naming ``file:line``."""
    out = []
    for number, text in _complete_lines(path):
        try:
            out.append((number, json.loads(text)))
        except ValueError as e:
            raise CatalogError(f"{path}:{number}: invalid JSON line ({e})") from e
    return out


_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def _utc_key(text, where):
    """Sortable UTC instant of a .NET round-trip DateTimeOffset (7 fractional digits, which datetime cannot hold)."""
    m = _TIME.match(text or "")
    if not m:
        raise CatalogError(f"{where}: createdUtc {text!r} is not an ISO 8601 time")
    y, mo, d, h, mi, s = (int(v) for v in m.groups()[:6])
    frac = int(((m.group(7) or "") + "0000000")[:7])
    zone = m.group(8)
    shift = 0 if zone == "Z" else (1 if zone[0] == "+" else -1) * (int(zone[1:3]) * 60 + int(zone[4:6]))
    days = (datetime.date(y, mo, d) - datetime.date(1970, 1, 1)).days
    seconds = days * 86400 + h * 3600 + (mi - shift) * 60 + s
    return seconds * 10_000_000 + frac


class Cache:
    """One cache key folder: its spec, catalog view and shards."""

    def __init__(self, key_dir):
        self.path = os.path.abspath(os.fspath(key_dir))
        self.key = os.path.basename(self.path)
        spec_file = os.path.join(self.path, "spec.json")
        if not os.path.isfile(spec_file):
            raise CatalogError(f"{self.path}: no spec.json; not a cache key folder")
        with open(spec_file, encoding="utf-8") as f:
            self.spec = json.load(f)
        self.refresh()

    def refresh(self):
        """Re-reads every catalog file (workers may still be appending). A complete line that cannot be read is left
        out of the view and listed in ``problems`` (its volume counts as absent), as on the C# side."""
        latest, problems = {}, []
        for path in self.catalog_files():
            for number, text in _complete_lines(path):
                try:
                    rec = json.loads(text)
                    if not isinstance(rec, dict) or not isinstance(rec.get("id"), str) or "sourceFingerprint" not in rec:
                        raise CatalogError("not a volume record (needs id and sourceFingerprint)")
                    t = _utc_key(rec.get("createdUtc"), "createdUtc")
                except ValueError as e:                  # json's errors and CatalogError alike
                    problems.append(CatalogProblem(path, number, str(e), text))
                    continue
                old = latest.get(rec["id"])
                if old is None or t >= old[0]:
                    latest[rec["id"]] = (t, rec)
        self._records = {k: v[1] for k, v in sorted(latest.items())}
        self.problems = problems
        return self

    def catalog_files(self):
        d = os.path.join(self.path, "catalog")
        if not os.path.isdir(d):
            return []
        names = sorted(n for n in os.listdir(d) if n.endswith(".jsonl"))
        return [os.path.join(d, n) for n in sorted(names, key=lambda n: (n != _MERGED, n))]

    @property
    def spec_name(self):
        return self.spec.get("name", "")

    @property
    def modality(self):
        return self.spec.get("modality", "")

    @property
    def ids(self):
        """Volume ids, sorted (ordinal)."""
        return list(self._records)

    @property
    def records(self):
        """The latest volume record per id (dicts, camelCase as in the catalog), sorted by id."""
        return list(self._records.values())

    def __len__(self):
        return len(self._records)

    def __contains__(self, volume_id):
        return volume_id in self._records

    def record(self, volume_id):
        try:
            return self._records[volume_id]
        except KeyError:
            raise KeyError(f"{volume_id!r} is not in the catalog of {self.path}") from None

    def shard_path(self, volume_id):
        return os.path.join(self.path, "shards", self.record(volume_id)["sourceFingerprint"] + ".arrow")

    def open(self, volume_id, cached_chunks=0, verify=True):
        """The volume's ``Shard`` (close it, or use ``with``)."""
        return Shard(self.shard_path(volume_id), cached_chunks=cached_chunks, verify=verify)

    def read(self, volume_id, labels=True):
        """The whole volume as numpy arrays with its geometry (``VolumeData``)."""
        with self.open(volume_id) as s:
            return s.read(labels=labels)

    def failures(self):
        """Every failure record ({file, stage, reason, time, id}) of every partition, oldest first; lines that cannot
        be read are left out (a rerun reports the failure again)."""
        d = os.path.join(self.path, "failures")
        names = sorted(n for n in os.listdir(d) if n.endswith(".jsonl")) if os.path.isdir(d) else []
        out = []
        for n in names:
            for _, text in _complete_lines(os.path.join(d, n)):
                try:
                    rec = json.loads(text)
                    out.append((_utc_key(rec.get("time"), "time"), rec))
                except (ValueError, AttributeError):
                    continue
        return [rec for _, rec in sorted(out, key=lambda tr: tr[0])]

    def current_failures(self):
        """Inputs whose latest state is failed, as ``streaming cache ls`` counts them: the newest failure per volume
        id (or file, when no id) that no newer catalog record supersedes; notes (stage ``*-note``) are not failures."""
        newest = {}
        for rec in self.failures():
            if str(rec.get("stage", "")).endswith("-note"):
                continue
            who = rec.get("id") or rec.get("file")
            newest[who] = rec                             # failures() is oldest first
        out = []
        for who, f in sorted(newest.items(), key=lambda kv: str(kv[0])):
            r = self._records.get(f.get("id")) if f.get("id") else None
            if r is None or _utc_key(r["createdUtc"], "createdUtc") < _utc_key(f["time"], "time"):
                out.append(f)
        return out

    def verify(self):
        """``{volume id: [(chunk, reason)]}`` for every damaged or missing shard, plus ``{"file:line": [(-1, reason)]}``
        for every unreadable catalog line, as ``streaming cache verify`` reports them (empty: all intact)."""
        bad = {f"{p.file}:{p.line}": [(-1, str(p))] for p in self.problems}
        for vid, rec in self._records.items():
            path = self.shard_path(vid)
            if not os.path.isfile(path):
                bad[vid] = [(-1, f"{path}: shard missing")]
                continue
            problems = []
            size = os.path.getsize(path)
            if rec.get("shardBytes") and size != rec["shardBytes"]:
                problems.append((-1, f"{path}: file has {size} bytes, catalog says {rec['shardBytes']}"))
            try:
                with Shard(path) as s:
                    problems += s.verify_chunks(rec.get("chunkChecksums"))
            except ValueError as e:
                problems.append((-1, str(e)))
            if problems:
                bad[vid] = problems
        return bad

    def __repr__(self):
        return f"Cache({self.path!r}, spec={self.spec_name!r}, volumes={len(self)})"


def list_keys(root):
    """Every key folder under a cache root (folders holding spec.json), sorted by key."""
    root = os.fspath(root)
    if not os.path.isdir(root):
        raise CatalogError(f"{root}: no such cache root")
    out = []
    for name in sorted(os.listdir(root)):
        p = os.path.join(root, name)
        if os.path.isfile(os.path.join(p, "spec.json")):
            c = Cache(p)
            out.append(CacheKey(c.key, c.path, c.spec_name, c.modality, len(c), len(c.current_failures()), len(c.problems)))
    return out


def open_cache(root, spec=None):
    """A ``Cache``: ``root`` may be a key folder, or a cache root with ``spec`` = key or spec name (optional when
    the root holds one key)."""
    root = os.fspath(root)
    if os.path.isfile(os.path.join(root, "spec.json")):
        return Cache(root)
    keys = list_keys(root)
    if spec is not None:
        match = [k for k in keys if spec in (k.key, k.spec_name)]
        if len(match) == 1:
            return Cache(match[0].path)
        found = ", ".join(f"{k.key} ({k.spec_name})" for k in keys) or "none"
        raise CatalogError(f"{root}: {len(match)} cache keys match {spec!r}; keys: {found}")
    if len(keys) == 1:
        return Cache(keys[0].path)
    found = ", ".join(f"{k.key} ({k.spec_name})" for k in keys) or "none"
    raise CatalogError(f"{root}: {len(keys)} cache keys, pass spec= (a key or spec name); keys: {found}")
