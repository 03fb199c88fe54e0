"""Random access to one shard file (format: ``src/Streaming.Shards/Format/README.md``), like ``ShardVolume.cs``.

A shard is an Arrow IPC file with one record batch per chunk of ``chunkShape`` voxels (chunk (cx, cy, cz) has index
``cx + gx*(cy + gy*cz)``, edge chunks clipped, voxels x-fastest inside a chunk), Zstd-compressed buffers, columns
``image`` (int16 CT / float32 MR), ``body`` (bit-packed bool) and ``labels`` (uint8, optional), and the JSON volume
record in the schema metadata. A region read fetches and decodes only the batches it overlaps (one positioned read
each) and checks every decoded chunk against its recorded XXH64 before using it.

Arrays are indexed [z, y, x]; regions are given as ``start_zyx``/``size_zyx`` in that order too (the catalog's
``shape``/``spacing``/``origin`` stay (x, y, z), as Streaming writes them). Not thread-safe: use one ``Shard`` per
thread. After ``fork`` (DataLoader workers) a ``Shard`` reopens its file in the child on first use.
"""
import json
import os
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import zstandard

from . import arrow_ipc
from .checksum import chunk_checksum
from .geometry import Geometry

__all__ = ["Shard", "ShardError", "ChunkCorruptError", "ReadStats", "VolumeData", "RegionData", "FORMAT_VERSION"]

FORMAT_VERSION = 1
_IMAGE_DTYPES = {"CT": "<i2", "MR": "<f4"}


class ShardError(ValueError):
    """The file is not a readable shard of this format version (the message names the file)."""


class ChunkCorruptError(ShardError):
    """A chunk failed to decode or its checksum differs; like ``ChunkCorruptException`` on the C# side."""

    def __init__(self, path, chunk, reason):
        super().__init__(f"{path}: chunk {chunk}: {reason}")
        self.path, self.chunk, self.reason = path, chunk, reason


@dataclass
class ReadStats:
    """What reads cost: chunks actually decoded (cache hits excluded), their uncompressed bytes, file bytes read."""
    chunks_decoded: int = 0
    bytes_decoded: int = 0
    file_bytes_read: int = 0

    def __iadd__(self, other):
        self.chunks_decoded += other.chunks_decoded
        self.bytes_decoded += other.bytes_decoded
        self.file_bytes_read += other.file_bytes_read
        return self


@dataclass
class RegionData:
    """A region [start, start + size) of a volume, arrays indexed [z, y, x]."""
    image: np.ndarray
    body: np.ndarray
    labels: object              # np.ndarray (uint8) or None
    start_zyx: tuple
    stats: ReadStats


@dataclass
class VolumeData:
    """A whole cached volume: image (int16 HU for CT, float32 for MR), body mask (bool), labels (uint8 or None)."""
    id: str
    image: np.ndarray
    body: np.ndarray
    labels: object
    geometry: Geometry
    record: dict = field(repr=False)

    def to_nifti(self, what="image"):
        """A nibabel image of ``image``, ``body`` or ``labels`` in (x, y, z) order with the RAS affine."""
        import nibabel as nib
        data = {"image": self.image, "body": self.body, "labels": self.labels}[what]
        if data is None:
            raise ValueError(f"{self.id} has no labels")
        if data.dtype == np.bool_:
            data = data.astype(np.uint8)
        img = nib.Nifti1Image(data.transpose(), self.geometry.affine_ras())
        img.header.set_xyzt_units("mm")
        img.header.set_sform(img.affine, code=1)
        img.header.set_qform(img.affine, code=1)
        return img


class Shard:
    """One open shard. ``cached_chunks`` > 0 keeps that many decoded chunks (LRU) for overlapping reads."""

    def __init__(self, path, cached_chunks=0, verify=True):
        self.path = os.fspath(path)
        self.verify = verify
        self.total = ReadStats()
        self._fd, self._pid = None, None
        self._lru = OrderedDict() if cached_chunks > 0 else None
        self._lru_size = cached_chunks
        self._zstd = zstandard.ZstdDecompressor()
        try:
            size = os.fstat(self._file()).st_size
            footer = arrow_ipc.read_footer(self._read_at, size)
        except arrow_ipc.ArrowFormatError as e:
            self.close()
            raise ShardError(f"{self.path}: not a readable Arrow IPC file ({e})") from e
        except BaseException:
            self.close()
            raise
        try:
            self._init_layout(footer)
        except BaseException:
            self.close()
            raise
        self.file_bytes = size

    def _init_layout(self, footer):
        meta = footer.metadata
        version = meta.get("streaming.format_version")
        if version is None:
            raise ShardError(f"{self.path}: no 'streaming.format_version' metadata; not a Streaming shard")
        if version != str(FORMAT_VERSION):
            raise ShardError(f"{self.path}: shard format version {version}, this reader needs {FORMAT_VERSION}")
        try:
            record = json.loads(meta["streaming.volume"])
        except (KeyError, ValueError) as e:
            raise ShardError(f"{self.path}: no valid 'streaming.volume' record in the metadata ({e})") from e
        if not isinstance(record.get("chunkShape"), list) or len(record["chunkShape"]) != 3 \
                or record.get("chunkChecksums") is None or record.get("finalGeometry") is None:
            raise ShardError(f"{self.path}: volume record lacks chunk shape, checksums or final geometry")
        self.record = record
        self.id = record.get("id", "")
        self.modality = record.get("modality")
        self.has_labels = bool(record.get("hasLabels"))
        self.geometry = Geometry.from_record(record["finalGeometry"])
        self.chunk_shape = tuple(int(v) for v in record["chunkShape"])          # (x, y, z)
        if min(self.chunk_shape) < 1 or min(self.geometry.shape) < 1:
            raise ShardError(f"{self.path}: chunk shape {self.chunk_shape} / shape {self.geometry.shape} must be positive")
        self.grid = tuple(-(-s // c) for s, c in zip(self.geometry.shape, self.chunk_shape))  # (gx, gy, gz)
        expected = [("image", _IMAGE_DTYPES.get(self.modality)), ("body", "bool")] + ([("labels", "|u1")] if self.has_labels else [])
        found = [(f.name, f.dtype) for f in footer.fields]
        if found != expected:
            raise ShardError(f"{self.path}: columns {found}, expected {expected} for a {self.modality} volume")
        self._fields = footer.fields
        self._image_dtype = np.dtype(expected[0][1])
        self._blocks = footer.batches
        count = self.grid[0] * self.grid[1] * self.grid[2]
        if len(self._blocks) != count:
            raise ShardError(f"{self.path}: {len(self._blocks)} record batches but the chunk grid {self.grid} needs {count}")
        try:
            self._checksums = [int(h, 16) for h in record["chunkChecksums"]]
        except (TypeError, ValueError) as e:
            raise ShardError(f"{self.path}: bad chunk checksum ({e})") from e
        if len(self._checksums) != count:
            raise ShardError(f"{self.path}: {len(self._checksums)} chunk checksums for {count} chunks")

    # --- file access: positioned reads, reopened after fork so each DataLoader worker has its own descriptor ---

    def _file(self):
        if self._fd is not None and self._pid != os.getpid():
            os.close(self._fd)       # this process's copy of the parent's descriptor; the parent keeps its own
            self._fd = None
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            self._pid = os.getpid()
        return self._fd

    def _read_at(self, offset, n):
        data = os.pread(self._file(), n, offset)
        self.total.file_bytes_read += len(data)
        if len(data) != n:
            raise arrow_ipc.ArrowFormatError(f"short read: {len(data)} of {n} bytes at {offset} (truncated file?)")
        return data

    def close(self):
        if self._fd is not None:
            os.close(self._fd)       # after fork this closes only this process's copy
        self._fd = None
        if self._lru is not None:
            self._lru.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __getstate__(self):
        # Picklable for spawn-start DataLoader workers: the child reopens the file.
        state = self.__dict__.copy()
        state.update(_fd=None, _pid=None, _zstd=None, _lru=OrderedDict() if self._lru is not None else None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._zstd = zstandard.ZstdDecompressor()

    # --- chunk grid ---

    @property
    def chunk_count(self):
        return len(self._blocks)

    def chunk_index(self, cx, cy, cz):
        return cx + self.grid[0] * (cy + self.grid[1] * cz)

    def chunk_box(self, index):
        """(start_xyz, extent_xyz) of chunk ``index``; edge chunks are clipped to the volume."""
        gx, gy, _ = self.grid
        c = (index % gx, index // gx % gy, index // (gx * gy))
        start = tuple(ci * s for ci, s in zip(c, self.chunk_shape))
        return start, tuple(min(s, n - a) for s, n, a in zip(self.chunk_shape, self.geometry.shape, start))

    def chunks_overlapping(self, start_zyx, size_zyx):
        """Indices of the chunks a region touches, in file order."""
        lo = [a // c for a, c in zip(start_zyx[::-1], self.chunk_shape)]
        hi = [(a + s - 1) // c + 1 for a, s, c in zip(start_zyx[::-1], size_zyx[::-1], self.chunk_shape)]
        return [self.chunk_index(x, y, z) for z in range(lo[2], hi[2]) for y in range(lo[1], hi[1]) for x in range(lo[0], hi[0])]

    # --- decoding ---

    def _decode(self, index, stats):
        """Reads, decodes and verifies chunk ``index``: (image, body, labels) arrays shaped (ez, ey, ex), read-only."""
        _, ext = self.chunk_box(index)
        n = ext[0] * ext[1] * ext[2]
        block = self._blocks[index]
        before = self.total.file_bytes_read
        try:
            data = self._read_at(block.offset, block.meta_length + block.body_length)
            rows, cols = arrow_ipc.decode_batch(data, self._fields, self._inflate)
        except (arrow_ipc.ArrowFormatError, zstandard.ZstdError) as e:
            raise ChunkCorruptError(self.path, index, f"cannot decode record batch: {e}") from e
        finally:
            stats.file_bytes_read += self.total.file_bytes_read - before
        if rows != n:
            raise ChunkCorruptError(self.path, index, f"batch has {rows} rows, chunk has {n} voxels")
        image, bits = cols[0], cols[1]
        labels = cols[2] if self.has_labels else None
        if len(image) != n * self._image_dtype.itemsize:
            raise ChunkCorruptError(self.path, index, f"image column has {len(image)} bytes, expected {n} x {self._image_dtype}")
        if len(bits) < (n + 7) // 8:
            raise ChunkCorruptError(self.path, index, "body column is not a boolean bitmap of the chunk's length")
        if labels is not None and len(labels) != n:
            raise ChunkCorruptError(self.path, index, "labels column has the wrong length")
        if self.verify:
            got = chunk_checksum(image, bits, n, labels)
            if got != self._checksums[index]:
                raise ChunkCorruptError(self.path, index, f"checksum {got:016x} != recorded {self._checksums[index]:016x}")
        shape = ext[::-1]
        arrays = (np.frombuffer(image, self._image_dtype).reshape(shape),
                  np.unpackbits(np.frombuffer(bits, np.uint8), count=n, bitorder="little").view(np.bool_).reshape(shape),
                  None if labels is None else np.frombuffer(labels, np.uint8).reshape(shape))
        stats.chunks_decoded += 1
        stats.bytes_decoded += len(image) + (n + 7) // 8 + (0 if labels is None else n)
        return arrays

    def _inflate(self, frame, n):
        return self._zstd.decompress(frame, max_output_size=n)

    def _chunk(self, index, stats):
        if self._lru is not None and index in self._lru:
            self._lru.move_to_end(index)
            return self._lru[index]
        arrays = self._decode(index, stats)
        if self._lru is not None:
            self._lru[index] = arrays
            if len(self._lru) > self._lru_size:
                self._lru.popitem(last=False)
        return arrays

    # --- public reads ---

    def read_region(self, start_zyx, size_zyx, labels=True):
        """Voxels [start, start + size) (z, y, x), decoding only the chunks the region touches."""
        start = tuple(int(v) for v in start_zyx)
        size = tuple(int(v) for v in size_zyx)
        shape = self.geometry.array_shape
        if len(start) != 3 or len(size) != 3 or min(size) < 1 or min(start) < 0 \
                or any(a + s > n for a, s, n in zip(start, size, shape)):
            raise ValueError(f"{self.path}: region {start}+{size} (z, y, x) is not inside volume {shape}")
        want_labels = labels and self.has_labels
        image = np.empty(size, self._image_dtype)
        body = np.empty(size, np.bool_)
        lab = np.empty(size, np.uint8) if want_labels else None
        stats = ReadStats()
        for index in self.chunks_overlapping(start, size):
            ci, cb, cl = self._chunk(index, stats)
            cstart = self.chunk_box(index)[0][::-1]
            lo = [max(a, c) for a, c in zip(start, cstart)]
            hi = [min(a + s, c + e) for a, s, c, e in zip(start, size, cstart, ci.shape)]
            dst = tuple(slice(l - a, h - a) for l, h, a in zip(lo, hi, start))
            src = tuple(slice(l - c, h - c) for l, h, c in zip(lo, hi, cstart))
            image[dst] = ci[src]
            body[dst] = cb[src]
            if lab is not None:
                lab[dst] = cl[src]
        self.total.chunks_decoded += stats.chunks_decoded
        self.total.bytes_decoded += stats.bytes_decoded
        return RegionData(image, body, lab, start, stats)

    def read(self, labels=True):
        """The whole volume with its geometry."""
        r = self.read_region((0, 0, 0), self.geometry.array_shape, labels)
        return VolumeData(self.id, r.image, r.body, r.labels, self.geometry, self.record)

    def verify_chunks(self, expected_checksums=None):
        """Decodes every chunk; returns ``[(chunk, reason)]`` for each bad one (empty: intact). Like ``cache verify``."""
        problems = []
        if expected_checksums is not None and len(expected_checksums) != len(self._checksums):
            problems.append((-1, f"catalog lists {len(expected_checksums)} chunk checksums, shard has {len(self._checksums)}"))
        for i in range(self.chunk_count):
            if expected_checksums is not None and i < len(expected_checksums) \
                    and int(expected_checksums[i], 16) != self._checksums[i]:
                problems.append((i, f"shard checksum {self._checksums[i]:016x} differs from catalog {expected_checksums[i]}"))
            try:
                self._decode(i, ReadStats())
            except ChunkCorruptError as e:
                problems.append((i, e.reason))
        return problems
