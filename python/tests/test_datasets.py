import unittest

import numpy as np
import torch
from torch.utils.data import DataLoader

import streaming_bridge as sb
from streaming_bridge.data import PAD_VALUES, CachedVolumes, RandomPatches
from streaming_bridge.models import Vox2VecFpn

from . import fixture

LABELED = ["FLARE/FLARE_Tr_0001", "FLARE/FLARE_Tr_0002"]


class CachedVolumesTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ct = sb.open_cache(fixture.build()["ct"])

    def test_items_are_dicts_of_channel_first_tensors_with_meta(self):
        ds = CachedVolumes(self.ct, ids=LABELED)
        self.assertEqual(2, len(ds))
        item = ds[1]
        v = self.ct.read(LABELED[1])
        self.assertEqual((1,) + v.image.shape, tuple(item["image"].shape))
        self.assertEqual(torch.float32, item["image"].dtype)
        self.assertTrue(torch.equal(item["image"][0], torch.from_numpy(v.image.astype(np.float32))))
        self.assertTrue(torch.equal(item["label"][0], torch.from_numpy(v.labels)))
        self.assertTrue(torch.equal(item["mask"][0], torch.from_numpy(v.body.astype(np.uint8))))
        self.assertEqual(LABELED[1], item["id"])
        self.assertEqual("CT", item["modality"])
        np.testing.assert_allclose(item["affine"].numpy(), v.geometry.affine_ras("zyx"))

    def test_labels_auto_leaves_them_out_when_a_volume_has_none_and_true_names_it(self):
        self.assertNotIn("label", CachedVolumes(self.ct)[0])
        with self.assertRaises(ValueError) as e:
            CachedVolumes(self.ct, labels=True)
        self.assertIn("FLARE/FLARE_Va_0001", str(e.exception))

    def test_model_intensity_and_xyz_axes(self):
        ds = CachedVolumes(self.ct, ids=LABELED[:1], intensity="model", axes="xyz")
        item = ds[0]
        v = self.ct.read(LABELED[0])
        self.assertEqual((1,) + v.geometry.shape, tuple(item["image"].shape))
        self.assertGreaterEqual(float(item["image"].min()), 0)
        self.assertLessEqual(float(item["image"].max()), 1)
        np.testing.assert_allclose(item["affine"].numpy(), v.geometry.affine_ras("xyz"))

    def test_transform_is_applied_last(self):
        ds = CachedVolumes(self.ct, ids=LABELED, transform=lambda d: dict(d, image=d["image"].flip(-1)))
        self.assertTrue(torch.equal(ds[0]["image"], CachedVolumes(self.ct, ids=LABELED)[0]["image"].flip(-1)))


class RandomPatchesTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        f = fixture.build()
        cls.ct, cls.mr = sb.open_cache(f["ct"]), sb.open_cache(f["mr"])

    def patches(self, **kw):
        args = dict(patch_size=(8, 16, 16), samples=12, ids=LABELED, seed=3)
        args.update(kw)
        return RandomPatches(self.ct, **args)

    def test_same_seed_same_patches_in_any_order_other_seed_or_epoch_other_patches(self):
        a, b = self.patches(), self.patches()
        fwd = [a[i] for i in range(12)]
        back = [b[i] for i in reversed(range(12))][::-1]
        for x, y in zip(fwd, back):
            self.assertEqual(x["id"], y["id"])
            self.assertTrue(torch.equal(x["image"], y["image"]) and torch.equal(x["label"], y["label"]))
        self.assertNotEqual([a.draw(i)[:2] for i in range(12)], [self.patches(seed=4).draw(i)[:2] for i in range(12)])
        b.set_epoch(1)
        self.assertNotEqual([a.draw(i)[:2] for i in range(12)], [b.draw(i)[:2] for i in range(12)])

    def test_patches_are_the_region_of_the_volume_at_start(self):
        ds = self.patches()
        for i in range(4):
            item = ds[i]
            v = self.ct.read(item["id"])
            z, y, x = item["start"].tolist()
            np.testing.assert_array_equal(v.image[z:z + 8, y:y + 16, x:x + 16], item["image"][0].numpy().astype(np.int16))
            np.testing.assert_array_equal(v.labels[z:z + 8, y:y + 16, x:x + 16], item["label"][0].numpy())
            # the patch's affine maps its voxel (0, 0, 0) to the volume's voxel `start`
            np.testing.assert_allclose(item["affine"].numpy() @ [0, 0, 0, 1], v.geometry.affine_ras("zyx") @ [z, y, x, 1])

    def test_foreground_bias(self):
        always = self.patches(foreground=1.0, samples=40)
        for i in range(40):
            vid, start, fg = always.draw(i)
            self.assertTrue(fg)
        self.assertTrue(all(bool((always[i]["label"] > 0).any()) for i in range(10)))   # centred on a labeled voxel
        third = self.patches(foreground=1 / 3, samples=600)
        share = np.mean([third.draw(i)[2] for i in range(600)])
        self.assertAlmostEqual(1 / 3, share, delta=0.06)
        self.assertEqual(0, sum(self.patches(foreground=0.0).draw(i)[2] for i in range(12)))
        # unlabeled volumes fall back to uniform centres
        unlabeled = RandomPatches(self.ct, (8, 8, 8), 5, ids=["FLARE/FLARE_Va_0001"], foreground=1.0)
        self.assertFalse(any(unlabeled.draw(i)[2] for i in range(5)))
        self.assertNotIn("label", unlabeled[0])

    def test_workers_give_exactly_the_single_process_batches(self):
        ds = self.patches(samples=8, foreground=0.5)
        serial = list(DataLoader(ds, batch_size=2, num_workers=0))
        parallel = list(DataLoader(self.patches(samples=8, foreground=0.5), batch_size=2, num_workers=2))
        self.assertEqual(4, len(parallel))
        for a, b in zip(serial, parallel):
            self.assertEqual(a["id"], b["id"])
            for k in ("image", "label", "mask", "start", "affine"):
                self.assertTrue(torch.equal(a[k], b[k]), k)
        self.assertEqual((2, 1, 8, 16, 16), tuple(parallel[0]["image"].shape))

    def test_a_volume_smaller_than_the_patch_is_padded_with_air(self):
        (vid,) = self.mr.ids
        z, y, x = self.mr.read(vid).image.shape
        ds = RandomPatches(self.mr, (z + 3, 8, 8), 2, seed=1)
        item = ds[0]
        self.assertEqual((1, z + 3, 8, 8), tuple(item["image"].shape))
        self.assertTrue(torch.all(item["image"][0, z:] == PAD_VALUES["MR"]))
        self.assertTrue(torch.all(item["mask"][0, z:] == 0) and torch.all(item["label"][0, z:] == 0))
        self.assertEqual(0, int(item["start"][0]))

    def test_region_reads_stay_local(self):
        ds = self.patches(samples=6)
        for i in range(6):
            ds[i]
        for s in ds.source._shards.values():
            # label indexing reads each volume once; the patches themselves add a handful of chunks each
            self.assertLessEqual(s.total.chunks_decoded, s.chunk_count + 6 * 8)

    def test_a_tiny_segmentation_model_trains_on_patches_through_a_dataloader(self):
        torch.manual_seed(0)
        ds = RandomPatches(self.ct, (16, 32, 32), samples=48, ids=LABELED, seed=5, foreground=0.5, intensity="model")
        loader = DataLoader(ds, batch_size=2, num_workers=2, shuffle=False)
        classes = 1 + max(int(self.ct.read(i).labels.max()) for i in LABELED)
        backbone = Vox2VecFpn(1, 4, 2, 1, norm="group")
        head = torch.nn.Conv3d(backbone.representation_dim, classes, 1)
        opt = torch.optim.Adam(list(backbone.parameters()) + list(head.parameters()), lr=1e-2)
        losses = []
        for batch in loader:
            logits = head(backbone.features(batch["image"]))
            loss = torch.nn.functional.cross_entropy(logits, batch["label"][:, 0].long())
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        self.assertEqual(24, len(losses), losses)
        self.assertTrue(all(np.isfinite(losses)))
        self.assertLess(np.mean(losses[-6:]), 0.8 * np.mean(losses[:3]), losses)   # measured: 1.84 vs 3.22


if __name__ == "__main__":
    unittest.main()
