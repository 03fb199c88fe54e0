import json
import os
import struct
import tempfile
import unittest

import numpy as np
import torch

from streaming_bridge import safetensors as st


class SafetensorsTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "t.safetensors")

    def tearDown(self):
        self.dir.cleanup()

    def test_layout_matches_the_csharp_writer(self):
        # Same bytes as ExportTests.Safetensors_LayoutIsHeaderLengthJsonThenLittleEndianData checks on the C# side.
        st.write(self.path, {"layer.weight": np.array([1.5, -2], np.float32), "layer.count": np.array([[7]], np.int64)}, {"format": "pt"})
        data = open(self.path, "rb").read()
        n = struct.unpack_from("<Q", data)[0]
        self.assertEqual(0, n % 8)
        header = json.loads(data[8:8 + n])
        self.assertEqual({"format": "pt"}, header["__metadata__"])
        self.assertEqual({"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, header["layer.weight"])
        self.assertEqual({"dtype": "I64", "shape": [1, 1], "data_offsets": [8, 16]}, header["layer.count"])
        self.assertEqual(bytes([0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0, 7, 0, 0, 0, 0, 0, 0, 0]), data[8 + n:])

    def test_every_dtype_round_trips(self):
        arrays = {"f64": np.arange(3, dtype=np.float64), "f16": np.array([0.5, 2], np.float16), "i32": np.array([-1], np.int32),
                  "i16": np.array([[1, -2]], np.int16), "i8": np.array([-3], np.int8), "u8": np.array([255], np.uint8),
                  "b": np.array([True, False]), "scalar": np.array(3.25, np.float32), "empty": np.zeros((0, 4), np.float32),
                  "big_endian": np.array([1, 2], ">i4")}
        st.write(self.path, arrays)
        back, meta = st.read(self.path)
        self.assertEqual({}, meta)
        self.assertEqual(list(arrays), list(back))
        for k, a in arrays.items():
            self.assertEqual(a.shape, back[k].shape, k)
            np.testing.assert_array_equal(a, back[k], k)

    def test_torch_state_dicts_round_trip_including_bfloat16(self):
        sd = {"w": torch.randn(3, 2), "n": torch.tensor(5), "h": torch.tensor([1.5, -2.25], dtype=torch.bfloat16)}
        st.save_torch(self.path, sd, {"step": 4})
        back, meta = st.load_torch(self.path)
        self.assertEqual({"step": "4"}, meta)
        for k, t in sd.items():
            self.assertEqual(t.dtype, back[k].dtype, k)
            self.assertTrue(torch.equal(t, back[k]), k)

    def test_damaged_files_are_named(self):
        st.write(self.path, {"w": np.ones(4, np.float32)})
        data = open(self.path, "rb").read()
        with open(self.path, "wb") as f:
            f.write(data[:-3])
        with self.assertRaises(st.SafetensorsError) as e:
            st.read(self.path)
        self.assertIn("t.safetensors", str(e.exception))
        with open(self.path, "wb") as f:
            f.write(struct.pack("<Q", 10 ** 9))
        with self.assertRaises(st.SafetensorsError):
            st.read(self.path)


if __name__ == "__main__":
    unittest.main()
