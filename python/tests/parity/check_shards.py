#!/usr/bin/python3
"""Cross-language check run by tests/Streaming.Shards.Tests/Format/PythonReaderParityTests.cs.

MANIFEST (JSON, written by the C# test) names a cache root, its keys, the catalog lines C# could not read, and per
volume the C# reader's arrays (.npy, [z, y, x]), geometry and region reads with the chunks and bytes C# decoded; plus
a shard copy with one flipped byte and the chunk C# found corrupt. Prints one JSON line; exits 1 on the first disagreement class found.
"""
import json
import sys

import numpy as np

import streaming_bridge as sb


def main(path):
    with open(path) as f:
        m = json.load(f)
    problems = []

    def expect(cond, what):
        if not cond:
            problems.append(what)

    keys = sb.list_keys(m["root"])
    expect([(k.key, k.spec_name) for k in keys] == [(k["key"], k["spec"]) for k in m["keys"]], f"keys {keys} != {m['keys']}")
    caches = {k.key: sb.open_cache(m["root"], spec=k.key) for k in keys}
    for key, cache in caches.items():
        want = [(v["id"], v["fingerprint"]) for v in m["volumes"] if v["key"] == key]
        got = [(r["id"], r["sourceFingerprint"]) for r in cache.records]
        expect(got == want, f"{key}: catalog view {got} != C# {want}")
        want = [(q["file"], q["line"]) for q in m.get("catalogProblems", []) if q["key"] == key]
        got = [(q.file, q.line) for q in cache.problems]
        expect(got == want, f"{key}: unreadable catalog lines {got} != C# {want}")

    voxels = regions = 0
    for v in m["volumes"]:
        cache = caches[v["key"]]
        with cache.open(v["id"]) as s:
            data = s.read()
            g = data.geometry
            expect(list(g.shape) == v["shape"] and list(g.spacing) == v["spacing"] and list(g.origin) == v["origin"]
                   and list(g.direction) == v["direction"], f"{v['id']}: geometry {g} differs")
            ref_image = np.load(v["image"])
            expected_dtype = np.int16 if v["modality"] == "CT" else np.float32
            expect(data.image.dtype == expected_dtype, f"{v['id']}: image dtype {data.image.dtype}")
            expect(data.image.shape == ref_image.shape, f"{v['id']}: shape {data.image.shape} != {ref_image.shape}")
            # Exact: int16 widens to float exactly; MR floats compare bit for bit.
            expect(np.array_equal(data.image.astype(np.float32).view(np.uint32), ref_image.view(np.uint32)), f"{v['id']}: image differs")
            expect(np.array_equal(data.body, np.load(v["body"]).astype(bool)), f"{v['id']}: body mask differs")
            if v["labels"]:
                expect(data.labels is not None and np.array_equal(data.labels, np.load(v["labels"])), f"{v['id']}: labels differ")
            else:
                expect(data.labels is None, f"{v['id']}: labels where C# has none")
            voxels += data.image.size
            for r in v["regions"]:
                start, size = r["origin"][::-1], r["size"][::-1]
                got = s.read_region(start, size)
                sl = tuple(slice(a, a + n) for a, n in zip(start, size))
                expect(np.array_equal(got.image, data.image[sl]) and np.array_equal(got.body, data.body[sl])
                       and (got.labels is None) == (data.labels is None)
                       and (got.labels is None or np.array_equal(got.labels, data.labels[sl])), f"{v['id']}: region {r} differs")
                expect(got.stats.chunks_decoded == r["chunks"], f"{v['id']}: region {r}: decoded {got.stats.chunks_decoded} chunks, C# {r['chunks']}")
                expect(got.stats.bytes_decoded == r["bytes"], f"{v['id']}: region {r}: decoded {got.stats.bytes_decoded} bytes, C# {r['bytes']}")
                regions += 1

    c = m["corrupt"]
    with sb.Shard(c["path"]) as s:
        found = [chunk for chunk, _ in s.verify_chunks()]
        expect(found == [c["chunk"]], f"corrupt copy: verify_chunks found {found}, C# found [{c['chunk']}]")
        cx, cy, cz = c["chunk"] % 3, c["chunk"] // 3 % 3, c["chunk"] // 9
        sx, sy, sz = c["chunkShape"]
        try:
            s.read_region((cz * sz, cy * sy, cx * sx), (1, 1, 1))
            problems.append("corrupt copy: reading the damaged chunk raised nothing")
        except sb.ChunkCorruptError as e:
            expect(e.chunk == c["chunk"] and c["path"] in str(e), f"corrupt copy: error {e} names the wrong chunk or file")
        other = s.read_region((0, 0, 0), (1, 1, 1))   # chunk 0 is intact and still reads
        expect(other.stats.chunks_decoded == 1, "corrupt copy: an intact chunk did not read")

    print(json.dumps({"volumes": len(m["volumes"]), "catalogProblems": sum(len(c.problems) for c in caches.values()),
                      "voxels": voxels, "regions": regions, "corruptChunk": c["chunk"],
                      "checksumEngine": sb.CHECKSUM_ENGINE, "problems": problems, "ok": not problems}))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
