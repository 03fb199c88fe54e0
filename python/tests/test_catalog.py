import json
import os
import shutil
import unittest

import streaming_bridge as sb

from . import fixture


class CatalogTests(unittest.TestCase):
    def setUp(self):
        self.key = fixture.copy_key("ct")
        self.cache = sb.open_cache(self.key)
        self.catalog = os.path.join(self.key, "catalog")

    def append(self, name, text):
        with open(os.path.join(self.catalog, name), "a", encoding="utf-8") as f:
            f.write(text)

    def test_the_view_is_the_union_of_the_partition_catalogs(self):
        self.assertEqual(["part-0000-of-0002.jsonl", "part-0001-of-0002.jsonl"], [os.path.basename(p) for p in self.cache.catalog_files()])
        self.assertEqual(["FLARE/FLARE_Tr_0001", "FLARE/FLARE_Tr_0002", "FLARE/FLARE_Va_0001"], self.cache.ids)
        per_file = [len(sb.read_json_lines(p)) for p in self.cache.catalog_files()]
        self.assertEqual(3, sum(per_file))
        self.assertTrue(all(n >= 1 for n in per_file))
        self.assertEqual("ct-demo-3mm", self.cache.spec_name)
        self.assertEqual("CT", self.cache.modality)

    def test_a_torn_last_line_is_ignored_and_a_malformed_complete_line_is_left_out_and_reported(self):
        self.append("part-0000-of-0002.jsonl", '{"id": "FLARE/killed", "sourceFingerprint": "ab')
        self.assertEqual(3, len(self.cache.refresh()))
        self.assertEqual([], self.cache.problems)
        self.append("part-0001-of-0002.jsonl", "{not json}\n")
        self.append("part-0001-of-0002.jsonl", json.dumps(dict(self.cache.record("FLARE/FLARE_Tr_0001"), createdUtc="yesterday")) + "\n")
        lines = len(open(os.path.join(self.catalog, "part-0001-of-0002.jsonl")).read().splitlines())
        # As C#'s Catalog.Problems: the view keeps every readable record; each bad line is named file:line.
        self.assertEqual(3, len(self.cache.refresh()))
        self.assertEqual([lines - 1, lines], [p.line for p in self.cache.problems])
        self.assertIn(f"part-0001-of-0002.jsonl:{lines - 1}: unreadable catalog line, ignored (", str(self.cache.problems[0]))
        self.assertIn("createdUtc 'yesterday'", self.cache.problems[1].reason)
        self.assertEqual("{not json}", self.cache.problems[0].text)
        bad = self.cache.verify()                                   # like `cache verify`: not OK
        self.assertEqual([f"{self.cache.problems[0].file}:{lines - 1}", f"{self.cache.problems[0].file}:{lines}"], list(bad))
        root = fixture.scratch("root-")
        shutil.copytree(self.key, os.path.join(root, self.cache.key))
        self.assertEqual(2, sb.list_keys(root)[0].problems)

    def test_the_latest_record_wins_by_instant_and_ties_go_to_the_file_read_last(self):
        old = self.cache.record("FLARE/FLARE_Tr_0001")
        self.assertRegex(old["createdUtc"], r"\.\d{1,7}\+00:00$")         # .NET JSON: up to 7 fractional digits, trailing zeros dropped
        # 10:00:00Z +-100 ns written in other offsets: read naively, "older" (11:00) would win; truncated to 6 digits
        # (Python's datetime) they tie and the later line, "older", would win. Only 7 digits + offset get it right.
        newer = dict(old, sourceFingerprint="newer", createdUtc="2030-01-01T09:00:00.0000006-01:00")
        older = dict(old, sourceFingerprint="older", createdUtc="2030-01-01T11:00:00.0000004+01:00")
        self.append("part-0005.jsonl", json.dumps(newer) + "\n" + json.dumps(older) + "\n")
        self.assertEqual("newer", self.cache.refresh().record("FLARE/FLARE_Tr_0001")["sourceFingerprint"])
        # merged.jsonl is read first: on an equal instant the partitions' record wins.
        self.append("merged.jsonl", json.dumps(dict(newer, sourceFingerprint="merged")) + "\n")
        self.assertEqual("merged.jsonl", os.path.basename(self.cache.catalog_files()[0]))
        self.assertEqual("newer", self.cache.refresh().record("FLARE/FLARE_Tr_0001")["sourceFingerprint"])
        self.append("part-0006.jsonl", json.dumps(dict(newer, sourceFingerprint="tie-later")) + "\n")
        self.assertEqual("tie-later", self.cache.refresh().record("FLARE/FLARE_Tr_0001")["sourceFingerprint"])

    def test_verify_names_missing_and_resized_shards(self):
        self.assertEqual({}, self.cache.verify())
        with open(self.cache.shard_path("FLARE/FLARE_Tr_0001"), "ab") as f:
            f.write(b"\0")
        os.remove(self.cache.shard_path("FLARE/FLARE_Tr_0002"))
        bad = self.cache.verify()
        self.assertEqual(["FLARE/FLARE_Tr_0001", "FLARE/FLARE_Tr_0002"], list(bad))
        # the grown file: its size, then its footer (the magic is no longer at the end)
        self.assertEqual([-1, -1], [c for c, _ in bad["FLARE/FLARE_Tr_0001"]])
        self.assertIn("bytes, catalog says", bad["FLARE/FLARE_Tr_0001"][0][1])
        self.assertIn("ARROW1", bad["FLARE/FLARE_Tr_0001"][1][1])
        self.assertIn("missing", bad["FLARE/FLARE_Tr_0002"][0][1])

    def test_failures_are_listed_and_counted_as_cache_ls_counts_them(self):
        self.assertEqual([], self.cache.failures())
        os.makedirs(os.path.join(self.key, "failures"), exist_ok=True)
        recs = [{"file": "/data/x.nii.gz", "stage": "read", "reason": "truncated gzip", "time": "2026-01-01T00:00:00Z", "id": "x"},
                {"file": "/data/x.nii.gz", "stage": "read", "reason": "truncated gzip", "time": "2026-01-02T00:00:00+00:00", "id": "x"},
                {"file": "/data/odd.dcm", "stage": "discover-note", "reason": "SR object skipped", "time": "2026-01-01T12:00:00Z"},
                {"file": "/data/y.nii.gz", "stage": "preprocess", "reason": "NaN voxels", "time": "2000-01-01T00:00:00Z",
                 "id": "FLARE/FLARE_Tr_0001"}]                  # older than that volume's record: fixed since
        with open(os.path.join(self.key, "failures", "part-0000-of-0002.jsonl"), "a") as f:
            f.write("".join(json.dumps(r) + "\n" for r in reversed(recs)) + "{damaged\n")
        self.assertEqual([recs[3], recs[0], recs[2], recs[1]], self.cache.failures())     # oldest first, damaged line left out
        self.assertEqual([recs[1]], self.cache.current_failures())                      # x once, its newest failure
        root = fixture.scratch("root-")
        shutil.copytree(self.key, os.path.join(root, self.cache.key))
        self.assertEqual(1, sb.list_keys(root)[0].failures)

    def test_unknown_volume_is_a_key_error_naming_the_cache(self):
        with self.assertRaises(KeyError) as e:
            self.cache.record("nope")
        self.assertIn(self.key, str(e.exception))


class CacheRootTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = fixture.build()["root"]

    def test_keys_are_listed_like_cache_ls(self):
        keys = sb.list_keys(self.root)
        self.assertEqual({("ct-demo-3mm", "CT", 3), ("mr-test-4mm", "MR", 1)}, {(k.spec_name, k.modality, k.volumes) for k in keys})
        self.assertEqual(sorted(k.key for k in keys), [k.key for k in keys])

    def test_a_root_with_several_keys_needs_a_spec_name_or_key(self):
        with self.assertRaises(sb.CatalogError) as e:
            sb.open_cache(self.root)
        self.assertIn("ct-demo-3mm", str(e.exception))
        by_name = sb.open_cache(self.root, spec="mr-test-4mm")
        self.assertEqual(by_name.path, sb.open_cache(self.root, spec=by_name.key).path)
        self.assertEqual(by_name.path, sb.open_cache(by_name.path).path)
        with self.assertRaises(sb.CatalogError):
            sb.open_cache(self.root, spec="nope")

    def test_a_root_with_one_key_opens_without_a_name(self):
        root = fixture.scratch("root-")
        shutil.copytree(fixture.build()["mr"], os.path.join(root, "0123456789abcdef"))
        self.assertEqual(1, len(sb.open_cache(root)))


if __name__ == "__main__":
    unittest.main()
