import os
import random
import unittest

from streaming_bridge import checksum

# XXH64, seed 0 (reference values from the xxHash project and python-xxhash's README).
VECTORS = [(b"", 0xEF46DB3751D8E999), (b"a", 0xD24EC4F1A98C6E5B), (b"abc", 0x44BC2CF5AD770999),
           (b"Nobody inspects the spammish repetition", 0xFBCEA83C8A378BF1)]


class Xxh64Tests(unittest.TestCase):
    def test_reference_vectors_in_both_engines(self):
        for data, want in VECTORS:
            self.assertEqual(want, checksum.xxh64_python(data), data)
            self.assertEqual(want, checksum.xxh64(data), data)

    def test_python_engine_agrees_with_xxhash_on_every_tail_length(self):
        try:
            import xxhash
        except ImportError:
            self.skipTest("python3-xxhash is not installed (scripts/setup.sh installs it); the vectors above still ran")
        rng = random.Random(5)
        for n in list(range(0, 80)) + [1000, 4099]:   # every stripe/8/4/1-byte tail combination
            data = bytes(rng.getrandbits(8) for _ in range(n))
            self.assertEqual(xxhash.xxh64_intdigest(data), checksum.xxh64_python(data), n)

    def test_chunk_checksum_ignores_unused_bitmap_bits_and_covers_labels(self):
        image, labels = os.urandom(2 * 13), os.urandom(13)
        bits = bytes([0xFF, 0x0A])             # 13 voxels: 8 + 5 bits used, top 3 of the last byte unused
        base = checksum.chunk_checksum(image, bits, 13, labels)
        self.assertEqual(base, checksum.chunk_checksum(image, bytes([0xFF, 0xEA, 0x77]), 13, labels))
        self.assertNotEqual(base, checksum.chunk_checksum(image, bytes([0xFF, 0x0B]), 13, labels))
        self.assertNotEqual(base, checksum.chunk_checksum(image, bits, 13, None))
        self.assertEqual(checksum.xxh64(image + bytes([0xFF, 0x0A]) + labels), base)


if __name__ == "__main__":
    unittest.main()
