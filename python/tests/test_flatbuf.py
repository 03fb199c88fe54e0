import struct
import unittest

from streaming_bridge import _flatbuf


def table(fields):
    """A hand-built flatbuffer: root offset, vtable, then a table whose fields are int32 values (None = absent)."""
    present = [f for f in fields if f is not None]
    vt_size = 4 + 2 * len(fields)
    tbl_size = 4 + 4 * len(present)
    offs, k = [], 0
    for f in fields:
        offs.append(0 if f is None else 4 + 4 * k)
        k += f is not None
    vtable = struct.pack(f"<HH{len(fields)}H", vt_size, tbl_size, *offs)
    table_pos = 4 + len(vtable)
    body = struct.pack("<i", table_pos - 4) + b"".join(struct.pack("<i", v) for v in present)
    return struct.pack("<I", table_pos) + vtable + body


class FlatbufTests(unittest.TestCase):
    def test_reads_present_fields_and_defaults_for_absent_ones(self):
        t = _flatbuf.root(table([7, None, -3]))
        self.assertEqual(7, t.scalar(0, "i"))
        self.assertEqual(42, t.scalar(1, "i", default=42))
        self.assertEqual(-3, t.scalar(2, "i"))
        self.assertEqual(5, t.scalar(9, "i", default=5))   # beyond the vtable: an older writer's schema

    def test_out_of_range_offsets_raise_instead_of_reading_garbage(self):
        buf = bytearray(table([7]))
        buf[0:4] = struct.pack("<I", 1000)
        with self.assertRaises(ValueError):
            _flatbuf.root(bytes(buf))
        with self.assertRaises(ValueError):
            _flatbuf.root(b"\x01")


if __name__ == "__main__":
    unittest.main()
