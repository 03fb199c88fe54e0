"""A read-only FlatBuffers table reader: just what Arrow's IPC metadata (Footer, Message, Schema) needs.

FlatBuffers layout (flatbuffers.dev, "Internals"), all little-endian:
- the buffer starts with a uint32 offset to the root table;
- a table starts with an int32 *soffset*; its vtable lies at ``table - soffset``;
- a vtable is uint16 vtable size, uint16 table size, then one uint16 per field: the field's offset inside the table,
  0 when the field is absent (the reader then uses the schema's default);
- strings, vectors and sub-tables are stored as a uint32 offset relative to where that offset itself is stored;
- a vector (and a string) starts with a uint32 element count; structs are stored inline, tables by offset.

Every read is bounds-checked, so a damaged footer raises ``ValueError`` instead of reading garbage.
"""
import struct

__all__ = ["Table", "root"]


class Table:
    """One table inside ``buf`` at absolute position ``pos``."""

    __slots__ = ("buf", "pos", "_vt", "_vt_len")

    def __init__(self, buf, pos):
        self.buf = buf
        self.pos = pos
        _check(buf, pos, 4)
        vt = pos - struct.unpack_from("<i", buf, pos)[0]
        _check(buf, vt, 4)
        self._vt = vt
        self._vt_len = struct.unpack_from("<H", buf, vt)[0]
        if self._vt_len < 4 or self._vt_len % 2:
            raise ValueError(f"flatbuffer: bad vtable size {self._vt_len} at {vt}")
        _check(buf, vt, self._vt_len)

    def _field(self, index):
        """Absolute position of field ``index`` or None when absent."""
        at = 4 + 2 * index
        if at >= self._vt_len:
            return None
        off = struct.unpack_from("<H", self.buf, self._vt + at)[0]
        return None if off == 0 else self.pos + off

    def scalar(self, index, fmt, default=0):
        p = self._field(index)
        if p is None:
            return default
        _check(self.buf, p, struct.calcsize(fmt))
        return struct.unpack_from("<" + fmt, self.buf, p)[0]

    def _indirect(self, p):
        _check(self.buf, p, 4)
        return p + struct.unpack_from("<I", self.buf, p)[0]

    def table(self, index):
        p = self._field(index)
        return None if p is None else Table(self.buf, self._indirect(p))

    def string(self, index):
        p = self._field(index)
        if p is None:
            return None
        s = self._indirect(p)
        _check(self.buf, s, 4)
        n = struct.unpack_from("<I", self.buf, s)[0]
        _check(self.buf, s + 4, n)
        return bytes(self.buf[s + 4:s + 4 + n]).decode("utf-8")

    def _vector(self, index):
        p = self._field(index)
        if p is None:
            return None, 0
        v = self._indirect(p)
        _check(self.buf, v, 4)
        return v + 4, struct.unpack_from("<I", self.buf, v)[0]

    def tables(self, index):
        """A vector of tables (empty when absent)."""
        start, n = self._vector(index)
        _check(self.buf, start or 0, 4 * n)
        return [Table(self.buf, self._indirect(start + 4 * i)) for i in range(n)]

    def structs(self, index, fmt):
        """A vector of structs, each unpacked with ``fmt`` (little-endian, explicit padding)."""
        start, n = self._vector(index)
        size = struct.calcsize("<" + fmt)
        _check(self.buf, start or 0, size * n)
        return [struct.unpack_from("<" + fmt, self.buf, start + size * i) for i in range(n)]


def root(buf):
    """The root table of a FlatBuffer held in ``buf`` (bytes or memoryview)."""
    _check(buf, 0, 4)
    return Table(buf, struct.unpack_from("<I", buf, 0)[0])


def _check(buf, pos, size):
    if pos < 0 or size < 0 or pos + size > len(buf):
        raise ValueError(f"flatbuffer: read of {size} bytes at {pos} is outside the {len(buf)}-byte buffer")
