"""Arrow IPC *file* reading with Zstd buffer compression, in pure Python (numpy + zstandard, no pyarrow).

Only what Streaming's shards use, checked rather than assumed: flat (childless) columns of fixed-width integers,
floats and booleans, no nulls, no dictionaries, little-endian, ``BUFFER`` compression with ZSTD (or none).
Anything else raises ``ArrowFormatError`` naming what was found.

Layout (arrow.apache.org/docs/format/Columnar.html, "IPC File Format"):
``ARROW1\\0\\0``, the stream's messages, the Footer flatbuffer, its int32 length, ``ARROW1``. The Footer holds the
schema and a Block (offset, metaDataLength, bodyLength) per record batch, so one batch is read with one positioned
read of ``metaDataLength + bodyLength`` bytes at ``offset``. A message there is 0xFFFFFFFF, an int32 length, the
Message flatbuffer (padded); its body follows at ``offset + metaDataLength``. With compression, each buffer is an
int64 uncompressed length (-1: stored raw) followed by one Zstd frame.
"""
import struct
from dataclasses import dataclass

import numpy as np

from . import _flatbuf

__all__ = ["ArrowFormatError", "Field", "Block", "Footer", "read_footer", "decode_batch", "MAGIC"]

MAGIC = b"ARROW1"
_CONTINUATION = 0xFFFFFFFF

# Schema.fbs enums (the values are part of the format).
_TYPE_INT, _TYPE_FLOAT, _TYPE_BOOL = 2, 3, 6
_HEADER_RECORD_BATCH = 3
_CODEC_ZSTD = 1
_FLOAT_DTYPES = {0: "<f2", 1: "<f4", 2: "<f8"}


class ArrowFormatError(ValueError):
    """The bytes are not an Arrow IPC file of the supported kind."""


@dataclass(frozen=True)
class Field:
    name: str
    dtype: str          # numpy dtype string ('<i2', '<f4', '|u1', ...) or 'bool' (bit-packed)
    nullable: bool


@dataclass(frozen=True)
class Block:
    offset: int
    meta_length: int
    body_length: int


@dataclass(frozen=True)
class Footer:
    fields: tuple
    metadata: dict      # schema custom_metadata, str -> str
    batches: tuple      # Block per record batch, in file order


def read_footer(read_at, size):
    """Parses the footer of an IPC file of ``size`` bytes; ``read_at(offset, n)`` returns exactly n bytes."""
    if size < 2 * len(MAGIC) + 8 + 4:
        raise ArrowFormatError(f"{size} bytes is too short for an Arrow IPC file")
    if read_at(0, 6) != MAGIC:
        raise ArrowFormatError("no ARROW1 magic at the start")
    tail = read_at(size - 10, 10)
    if tail[4:] != MAGIC:
        raise ArrowFormatError("no ARROW1 magic at the end (truncated file?)")
    n = struct.unpack_from("<i", tail, 0)[0]
    if n <= 0 or n > size - 18:
        raise ArrowFormatError(f"footer length {n} does not fit the {size}-byte file")
    try:
        footer = _flatbuf.root(read_at(size - 10 - n, n))
        schema = footer.table(1)
        if schema is None:
            raise ArrowFormatError("footer has no schema")
        if schema.scalar(0, "h") != 0:
            raise ArrowFormatError("big-endian Arrow files are not supported")
        fields = tuple(_field(f) for f in schema.tables(1))
        if footer.structs(2, "qi4xq"):
            raise ArrowFormatError("dictionary batches are not supported")
        batches = tuple(Block(o, m, b) for o, m, b in footer.structs(3, "qi4xq"))
        return Footer(fields, _key_values(schema.tables(2)), batches)
    except ValueError as e:
        if isinstance(e, ArrowFormatError):
            raise
        raise ArrowFormatError(f"damaged footer: {e}") from e


def decode_batch(data, fields, decompress):
    """Decodes one record batch from ``data`` = the block's ``metaDataLength + bodyLength`` bytes.

    Returns ``(rows, [values bytes per field])``; ``decompress(frame, n)`` inflates one Zstd frame to n bytes.
    """
    mv = memoryview(data)
    if len(mv) < 8:
        raise ArrowFormatError("record batch block is shorter than a message prefix")
    first, second = struct.unpack_from("<Ii", mv, 0)
    meta_start, meta_len = (8, second) if first == _CONTINUATION else (4, first)  # pre-0.15 files lack the marker
    if meta_len <= 0 or meta_start + meta_len > len(mv):
        raise ArrowFormatError(f"message metadata length {meta_len} is out of range")
    try:
        msg = _flatbuf.root(mv[meta_start:meta_start + meta_len])
        if msg.scalar(1, "B") != _HEADER_RECORD_BATCH:
            raise ArrowFormatError(f"message is not a record batch (header type {msg.scalar(1, 'B')})")
        rb = msg.table(2)
        body_len = msg.scalar(3, "q")
        rows = rb.scalar(0, "q")
        nodes = rb.structs(1, "qq")
        buffers = rb.structs(2, "qq")
        comp = rb.table(3)
    except ValueError as e:
        if isinstance(e, ArrowFormatError):
            raise
        raise ArrowFormatError(f"damaged message metadata: {e}") from e
    body_start = len(mv) - body_len
    if body_start < meta_start + meta_len:
        raise ArrowFormatError(f"message body of {body_len} bytes does not fit the block")
    if comp is not None and (comp.scalar(0, "b") != _CODEC_ZSTD or comp.scalar(1, "b") != 0):
        raise ArrowFormatError(f"compression codec {comp.scalar(0, 'b')} is not ZSTD per buffer")
    if len(nodes) != len(fields) or len(buffers) != 2 * len(fields):
        raise ArrowFormatError(f"{len(nodes)} field nodes and {len(buffers)} buffers for {len(fields)} flat columns")
    body = mv[body_start:]
    columns = []
    for i, f in enumerate(fields):
        length, nulls = nodes[i]
        if length != rows:
            raise ArrowFormatError(f"column '{f.name}' has {length} values in a batch of {rows} rows")
        if nulls:
            raise ArrowFormatError(f"column '{f.name}' has {nulls} nulls; shards never do")
        columns.append(_buffer(body, *buffers[2 * i + 1], comp is not None, decompress, f.name))
    return rows, columns


def _buffer(body, offset, length, compressed, decompress, name):
    if offset < 0 or length < 0 or offset + length > len(body):
        raise ArrowFormatError(f"column '{name}': buffer [{offset}, +{length}) is outside the {len(body)}-byte body")
    raw = body[offset:offset + length]
    if not compressed or length == 0:
        return bytes(raw)
    if length < 8:
        raise ArrowFormatError(f"column '{name}': compressed buffer of {length} bytes lacks its length prefix")
    n = struct.unpack_from("<q", raw, 0)[0]
    if n == -1:
        return bytes(raw[8:])
    if n < 0:
        raise ArrowFormatError(f"column '{name}': negative uncompressed length {n}")
    out = decompress(raw[8:], n)
    if len(out) != n:
        raise ArrowFormatError(f"column '{name}': Zstd frame inflated to {len(out)} bytes, header says {n}")
    return out


def _field(t):
    name = t.string(0) or ""
    if t.tables(5):
        raise ArrowFormatError(f"column '{name}' is nested; only flat columns are supported")
    if t.table(4) is not None:
        raise ArrowFormatError(f"column '{name}' is dictionary-encoded; not supported")
    kind, typ = t.scalar(2, "B"), t.table(3)
    if kind == _TYPE_BOOL:
        dtype = "bool"
    elif kind == _TYPE_INT and typ is not None:
        bits, signed = typ.scalar(0, "i"), typ.scalar(1, "?")
        if bits not in (8, 16, 32, 64):
            raise ArrowFormatError(f"column '{name}': {bits}-bit integers are not supported")
        dtype = np.dtype(("i" if signed else "u") + str(bits // 8)).newbyteorder("<").str
    elif kind == _TYPE_FLOAT and typ is not None:
        dtype = _FLOAT_DTYPES.get(typ.scalar(0, "h"))
        if dtype is None:
            raise ArrowFormatError(f"column '{name}': unknown float precision")
    else:
        raise ArrowFormatError(f"column '{name}' has Arrow type {kind}; only Int, FloatingPoint and Bool are supported")
    return Field(name, dtype, bool(t.scalar(1, "?")))


def _key_values(tables):
    return {kv.string(0): kv.string(1) for kv in tables}
