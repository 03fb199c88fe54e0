import os
import shutil
import unittest

import numpy as np

import streaming_bridge as sb
from streaming_bridge import arrow_ipc

from . import fixture


class ShardReadTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        f = fixture.build()
        cls.ct, cls.mr = sb.open_cache(f["ct"]), sb.open_cache(f["mr"])

    def test_ct_is_int16_hu_with_labels_and_a_body_mask(self):
        labeled = [i for i in self.ct.ids if self.ct.record(i)["hasLabels"]]
        self.assertEqual(2, len(labeled))
        v = self.ct.read(labeled[0])
        rec = self.ct.record(labeled[0])
        self.assertEqual(np.int16, v.image.dtype)
        self.assertEqual(tuple(rec["finalGeometry"]["shape"][::-1]), v.image.shape)
        self.assertEqual(np.bool_, v.body.dtype)
        self.assertEqual(rec["bodyVoxels"], int(v.body.sum()))          # the writer's own count
        self.assertGreaterEqual(int(v.image.min()), -1024)               # the spec's clipMin
        self.assertEqual(np.uint8, v.labels.dtype)
        self.assertGreater(int((v.labels > 0).sum()), 1000)
        self.assertLess(float(v.image[v.body].mean()), float(rec["stats"]["bodyMean"]) + 1)   # stats of the HU, rounded
        self.assertGreater(float(v.image[v.body].mean()), float(rec["stats"]["bodyMean"]) - 1)

    def test_unlabeled_ct_has_no_labels(self):
        unlabeled = [i for i in self.ct.ids if not self.ct.record(i)["hasLabels"]]
        self.assertEqual(["FLARE/FLARE_Va_0001"], unlabeled)
        self.assertIsNone(self.ct.read(unlabeled[0]).labels)

    def test_mr_is_float32_scaled_to_unit_range_with_labels(self):
        (vid,) = self.mr.ids
        v = self.mr.read(vid)
        self.assertEqual("MR", self.mr.record(vid)["modality"])
        self.assertEqual(np.float32, v.image.dtype)
        self.assertGreaterEqual(float(v.image.min()), 0.0)
        self.assertLessEqual(float(v.image.max()), 1.0)
        self.assertIsNotNone(v.labels)
        self.assertEqual(self.mr.record(vid)["bodyVoxels"], int(v.body.sum()))

    def test_region_reads_decode_only_the_chunks_they_touch(self):
        vid = self.ct.ids[0]
        with self.ct.open(vid) as s:
            footer_bytes = s.total.file_bytes_read
            full = s.read()
            cz, cy, cx = s.chunk_shape[::-1]
            z, y, x = s.geometry.array_shape
            cases = [((0, 0, 0), (1, 1, 1), 1),                      # one voxel: one chunk
                     ((0, 0, 0), (cz, cy, cx), 1),                   # exactly chunk 0
                     ((cz - 1, cy - 1, cx - 1), (2, 2, 2), 8),       # a corner shared by 8 chunks
                     ((1, 1, 1), (cz, cy, cx), 8),                   # chunk-sized but misaligned
                     ((z - 1, y - 1, x - 1), (1, 1, 1), 1)]          # the last, clipped chunk
            for start, size, chunks in cases:
                before = s.total.file_bytes_read
                r = s.read_region(start, size)
                touched = s.chunks_overlapping(start, size)
                self.assertEqual(chunks, len(touched), (start, size))
                self.assertEqual(chunks, r.stats.chunks_decoded, (start, size))
                blocks = [s._blocks[i] for i in touched]
                # bytes read from the file = exactly those batches' blocks, nothing else
                self.assertEqual(sum(b.meta_length + b.body_length for b in blocks), s.total.file_bytes_read - before)
                self.assertEqual(r.stats.file_bytes_read, s.total.file_bytes_read - before)
                sl = tuple(slice(a, a + n) for a, n in zip(start, size))
                np.testing.assert_array_equal(full.image[sl], r.image)
                np.testing.assert_array_equal(full.body[sl], r.body)
                np.testing.assert_array_equal(full.labels[sl], r.labels)
            self.assertGreater(footer_bytes, 0)
            self.assertLess(footer_bytes, s.file_bytes // 20)          # opening reads the footer, not the file

    def test_patch_of_the_training_size_touches_at_most_27_chunks(self):
        with self.ct.open(self.ct.ids[0]) as s:
            z, y, x = s.geometry.array_shape
            size = (min(32, z), min(64, y), min(64, x))                  # 2x2x2 chunks of 16x32x32 at most
            worst = max(len(s.chunks_overlapping((a, b, c), size))
                        for a in range(0, z - size[0] + 1, 5) for b in range(0, y - size[1] + 1, 7) for c in range(0, x - size[2] + 1, 7))
            self.assertLessEqual(worst, 27)
            self.assertEqual(27, worst)

    def test_lru_hits_are_not_counted_as_decodes(self):
        with sb.Shard(self.ct.shard_path(self.ct.ids[0]), cached_chunks=27) as s:
            corner = tuple(c - 2 for c in s.chunk_shape[::-1])
            a = s.read_region(corner, (4, 4, 4))                           # 8 chunks around a corner
            b = s.read_region(tuple(c + 1 for c in corner), (3, 3, 3))     # the same 8: all cache hits
            self.assertEqual(8, a.stats.chunks_decoded)
            self.assertEqual(0, b.stats.chunks_decoded)
            self.assertEqual(8, s.total.chunks_decoded)
            with sb.Shard(s.path) as plain:
                np.testing.assert_array_equal(plain.read_region(tuple(c + 1 for c in corner), (3, 3, 3)).image, b.image)

    def test_regions_outside_the_volume_are_rejected(self):
        with self.ct.open(self.ct.ids[0]) as s:
            z, y, x = s.geometry.array_shape
            for start, size in [((-1, 0, 0), (2, 2, 2)), ((0, 0, 0), (z + 1, 1, 1)), ((0, 0, 0), (0, 1, 1)), ((z, 0, 0), (1, 1, 1))]:
                with self.assertRaises(ValueError, msg=(start, size)):
                    s.read_region(start, size)

    def test_reading_works_in_a_forked_child_with_its_own_descriptor(self):
        with self.ct.open(self.ct.ids[0]) as s:
            want = s.read_region((0, 0, 0), (4, 4, 4)).image
            want_child = s.read_region((4, 4, 4), (4, 4, 4)).image
            r, w = os.pipe()
            pid = os.fork()
            parent_fd = s._fd
            if pid == 0:   # child: must reopen (its pid differs), read, close its copies, and report
                try:
                    os.close(r)
                    got = s.read_region((4, 4, 4), (4, 4, 4)).image
                    ok = np.array_equal(got, want_child) and s._pid == os.getpid() and s._fd is not None
                    s.close()
                    os.write(w, b"ok" if ok else b"bad")
                finally:
                    os._exit(0)
            os.close(w)
            msg = os.read(r, 10)
            os.waitpid(pid, 0)
            os.close(r)
            self.assertEqual(b"ok", msg)
            # the child's close did not take the parent's descriptor with it
            self.assertEqual(parent_fd, s._fd)
            np.testing.assert_array_equal(want, s.read_region((0, 0, 0), (4, 4, 4)).image)


class ShardDamageTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ct = sb.open_cache(fixture.build()["ct"])

    def copy(self):
        vid = next(i for i in self.ct.ids if self.ct.record(i)["hasLabels"])
        dst = os.path.join(fixture.scratch(), "shard.arrow")
        shutil.copy(self.ct.shard_path(vid), dst)
        return dst, self.ct.record(vid)

    def test_a_flipped_byte_fails_that_chunk_only(self):
        path, _ = self.copy()
        with sb.Shard(path) as s:
            chunk = s.chunk_count // 2
            block = s._blocks[chunk]
        at = block.offset + block.meta_length + block.body_length // 2   # inside the chunk's compressed buffers
        with open(path, "r+b") as f:
            f.seek(at)
            byte = f.read(1)[0]
            f.seek(at)
            f.write(bytes([byte ^ 0x01]))
        with sb.Shard(path) as s:
            self.assertEqual([chunk], [c for c, _ in s.verify_chunks()])
            start = s.chunk_box(chunk)[0][::-1]
            with self.assertRaises(sb.ChunkCorruptError) as e:
                s.read_region(start, (1, 1, 1))
            self.assertEqual(chunk, e.exception.chunk)
            self.assertIn(path, str(e.exception))
            s.read_region((0, 0, 0), (1, 1, 1))                          # other chunks still read

    def test_a_wrong_recorded_checksum_is_caught_after_a_clean_decode(self):
        path, rec = self.copy()
        chunk = 3
        good = rec["chunkChecksums"][chunk]
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        with open(path, "rb") as f:
            data = f.read()
        self.assertEqual(2, data.count(good.encode()))                   # schema message and footer copies
        with open(path, "wb") as f:
            f.write(data.replace(good.encode(), bad.encode()))
        with sb.Shard(path) as s:
            start = s.chunk_box(chunk)[0][::-1]
            with self.assertRaises(sb.ChunkCorruptError) as e:
                s.read_region(start, (1, 1, 1))
            self.assertEqual(chunk, e.exception.chunk)
            self.assertIn(f"checksum {good} != recorded {bad}", e.exception.reason)
            self.assertEqual([(chunk, f"shard checksum {bad} differs from catalog {good}")],
                             [p for p in s.verify_chunks(rec["chunkChecksums"]) if "catalog" in p[1]])
        with sb.Shard(path, verify=False) as s:                          # opting out reads the (intact) voxels
            with sb.Shard(self.ct.shard_path(rec["id"])) as ref:
                np.testing.assert_array_equal(ref.read_region(start, (2, 2, 2)).image, s.read_region(start, (2, 2, 2)).image)

    def test_a_truncated_file_is_not_a_shard(self):
        path, _ = self.copy()
        with open(path, "r+b") as f:
            f.truncate(os.path.getsize(path) - 100)
        with self.assertRaises(sb.ShardError) as e:
            sb.Shard(path)
        self.assertIn(path, str(e.exception))

    def test_a_file_that_is_not_arrow_is_named_in_the_error(self):
        path = os.path.join(fixture.scratch(), "x.arrow")
        with open(path, "wb") as f:
            f.write(b"not an arrow file at all, just text" * 3)
        with self.assertRaises(sb.ShardError) as e:
            sb.Shard(path)
        self.assertIn("x.arrow", str(e.exception))

    def test_footer_parses_to_the_documented_schema(self):
        path, rec = self.copy()
        with open(path, "rb") as f:
            data = f.read()
        footer = arrow_ipc.read_footer(lambda o, n: data[o:o + n], len(data))
        self.assertEqual([("image", "<i2"), ("body", "bool"), ("labels", "|u1")], [(f.name, f.dtype) for f in footer.fields])
        self.assertEqual("1", footer.metadata["streaming.format_version"])
        # The catalog's chunkOffsets (diagnostics only; readers use the footer) are the footer's batch offsets.
        # Caches written before the fix have chunkOffsets[0] = 8, the schema message's start: the schema is emitted
        # lazily with the first batch.
        self.assertEqual([b.offset for b in footer.batches], rec["chunkOffsets"])
        self.assertGreater(rec["chunkOffsets"][0], 8)
        self.assertEqual(len(rec["chunkChecksums"]), len(footer.batches))


if __name__ == "__main__":
    unittest.main()
