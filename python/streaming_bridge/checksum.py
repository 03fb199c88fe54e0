"""XXH64 (seed 0) of a shard chunk, as ``ChunkChecksum.cs`` computes it.

The chunk's bytes are hashed in order: image values (little-endian), the body bitmap's ceil(n/8) bytes with the
unused high bits of the last byte masked to 0, then labels when present.

Engine: Debian's ``python3-xxhash`` (C, several GB/s) when installed — ``scripts/setup.sh`` installs it — else a
pure-Python XXH64 (about 15 MB/s, see docs/python.md) so the reader still needs only numpy + zstandard. XXH64 is
sequential over 32-byte stripes, so numpy cannot vectorise one hash (1 MB/s stripe by stripe; 60 MB/s only when
hashing 64 chunks side by side); plain Python ints are the fastest simple fallback.
``ENGINE`` names the one in use.
"""
try:
    import xxhash as _xxhash
except ImportError:  # pragma: no cover - exercised where python3-xxhash is absent
    _xxhash = None

import struct

__all__ = ["xxh64", "xxh64_python", "chunk_checksum", "ENGINE"]

ENGINE = "xxhash" if _xxhash is not None else "python"

_M = (1 << 64) - 1
P1, P2, P3, P4, P5 = (0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                      0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5)


def xxh64(data):
    """XXH64 with seed 0 of a bytes-like object, as an int."""
    if _xxhash is not None:
        return _xxhash.xxh64_intdigest(data)
    return xxh64_python(data)


def chunk_checksum(image_bytes, body_bits, voxels, label_bytes=None):
    """The recorded checksum of one chunk (see module doc); ``body_bits`` may be longer than ceil(n/8)."""
    full, rest = divmod(voxels, 8)
    parts = [image_bytes, body_bits[:full]]
    if rest:
        parts.append(bytes([body_bits[full] & ((1 << rest) - 1)]))
    if label_bytes is not None:
        parts.append(label_bytes)
    if _xxhash is not None:
        h = _xxhash.xxh64()
        for p in parts:
            h.update(p)
        return h.intdigest()
    return xxh64_python(b"".join(bytes(p) for p in parts))


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & _M


def xxh64_python(data, seed=0):
    """Reference XXH64 (github.com/Cyan4973/xxHash, xxhash.h) in plain Python ints."""
    data = bytes(data)
    n = len(data)
    stripes = n // 32
    if stripes:
        v1, v2, v3, v4 = (seed + P1 + P2) & _M, (seed + P2) & _M, seed, (seed - P1) & _M
        m, p1, p2 = _M, P1, P2  # locals: faster than globals in the hot loop
        lanes = struct.unpack_from(f"<{4 * stripes}Q", data)
        it = iter(lanes)
        for a, b, c, d in zip(it, it, it, it):  # inlined rounds, local constants: ~3x faster than calling _round
            x = (v1 + a * p2) & m
            v1 = (((x << 31) & m) | (x >> 33)) * p1 & m
            x = (v2 + b * p2) & m
            v2 = (((x << 31) & m) | (x >> 33)) * p1 & m
            x = (v3 + c * p2) & m
            v3 = (((x << 31) & m) | (x >> 33)) * p1 & m
            x = (v4 + d * p2) & m
            v4 = (((x << 31) & m) | (x >> 33)) * p1 & m
        h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & _M
        for v in (v1, v2, v3, v4):
            h = ((h ^ _round(0, v)) * P1 + P4) & _M
    else:
        h = (seed + P5) & _M
    h = (h + n) & _M
    p = 32 * stripes
    while p + 8 <= n:
        h ^= _round(0, struct.unpack_from("<Q", data, p)[0])
        h = (_rotl(h, 27) * P1 + P4) & _M
        p += 8
    if p + 4 <= n:
        h ^= (struct.unpack_from("<I", data, p)[0] * P1) & _M
        h = (_rotl(h, 23) * P2 + P3) & _M
        p += 4
    while p < n:
        h ^= (data[p] * P5) & _M
        h = (_rotl(h, 11) * P1) & _M
        p += 1
    h ^= h >> 33
    h = (h * P2) & _M
    h ^= h >> 29
    h = (h * P3) & _M
    return h ^ (h >> 32)


def _round(acc, lane):
    return (_rotl((acc + lane * P2) & _M, 31) * P1) & _M
