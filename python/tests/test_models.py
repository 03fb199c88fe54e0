import os
import tempfile
import unittest

import numpy as np
import torch

from streaming_bridge import safetensors
from streaming_bridge.models import (HierarchicalBackbone, UNet3d, Vox2VecFpn, build_backbone, load_backbone, model_input,
                                     voxel_features)

MANIFEST = {"method": "vox2vec", "inChannels": 1, "baseChannels": 2, "levels": 3, "blocksPerLevel": 1, "norm": "batch",
            "levelProjectionWidth": 4, "outputChannels": [2, 4, 8], "representationDim": 14, "step": 3}


def export(folder, model, manifest):
    """What BackboneExport.Write produces, from Python (state_dict names as they are)."""
    import json
    safetensors.save_torch(os.path.join(folder, "backbone.safetensors"), model.state_dict(), {"format": "pt"})
    with open(os.path.join(folder, "backbone.json"), "w") as f:
        json.dump(manifest, f)


class ModelTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def test_state_dict_names_are_the_exported_names(self):
        # The names backbone.safetensors holds (see ExportTests.BackboneExport_UsesPyTorchStyleNames_AndRoundTrips);
        # the old bench mirror called these stem / widen / enc / dec and needed them renamed.
        keys = set(build_backbone(MANIFEST).state_dict())
        for name in ["encoder.stem.weight", "encoder.widen.0.weight", "encoder.blocks.0.0.conv1.weight",
                     "encoder.blocks.1.0.norm1.running_var", "encoder.blocks.2.0.norm2.num_batches_tracked",
                     "narrow.0.weight", "narrow.1.bias", "decoder.0.0.conv2.weight", "decoder.1.0.norm1.weight"]:
            self.assertIn(name, keys)
        h = build_backbone(dict(MANIFEST, method="hierarchical", norm="group", outputChannels=[4, 4, 4]))
        self.assertIn("fpn.encoder.blocks.0.0.norm1.weight", h.state_dict())
        self.assertIn("level_projections.2.weight", h.state_dict())
        self.assertNotIn("fpn.encoder.blocks.0.0.norm1.running_mean", h.state_dict())   # GroupNorm: no statistics
        u = build_backbone(dict(MANIFEST, method="vox2vec-unet"))
        self.assertEqual((2, 6, 1, 1, 1), tuple(u.state_dict()["fuse.0.weight"].shape))   # [skip 2 + up 4] -> 2

    def test_load_is_strict_and_restores_every_tensor(self):
        torch.manual_seed(0)
        m = build_backbone(MANIFEST)
        with torch.no_grad():
            for b in m.buffers():
                b.add_(1)
        export(self.dir.name, m, MANIFEST)
        loaded, manifest = load_backbone(self.dir.name)
        self.assertFalse(loaded.training)
        self.assertEqual({"format": "pt"}, manifest["safetensorsMetadata"])
        for k, t in m.state_dict().items():
            self.assertTrue(torch.equal(t, loaded.state_dict()[k]), k)
        # A renamed tensor (as the old mirror needed) no longer loads silently.
        sd = m.state_dict()
        sd["enc.0.0.conv1.weight"] = sd.pop("encoder.blocks.0.0.conv1.weight")
        safetensors.save_torch(os.path.join(self.dir.name, "backbone.safetensors"), sd)
        with self.assertRaises(RuntimeError) as e:
            load_backbone(self.dir.name)
        self.assertIn("encoder.blocks.0.0.conv1.weight", str(e.exception))

    def test_manifest_is_checked(self):
        with self.assertRaises(ValueError) as e:
            build_backbone(dict(MANIFEST, method="simclr"))
        self.assertIn("hierarchical", str(e.exception))
        with self.assertRaises(ValueError):
            build_backbone(dict(MANIFEST, outputChannels=[2, 4, 16]))
        with self.assertRaises(ValueError):
            build_backbone({k: v for k, v in MANIFEST.items() if k != "levels"})

    def test_format_2_manifest_builds_the_same_module(self):
        # backbone.json format 2 (with the input contract): architecture in the resolved "model" section.
        v2 = {"formatVersion": 2, "method": "hierarchical", "step": 3,
              "features": {"inChannels": 1, "representationDim": 12,
                           "levels": [{"channels": 4, "stride": [1, 1, 1]}, {"channels": 4, "stride": [2, 2, 2]},
                                      {"channels": 4, "stride": [4, 4, 4]}]},
              "input": {"scaling": {"kind": "window", "lower": -1350, "upper": 1000}, "patchShape": [16, 16, 8]},
              "model": {"inChannels": 1, "baseChannels": 2, "levels": 3, "blocksPerLevel": 1, "norm": "group",
                        "levelProjectionWidth": 4, "headHidden": 0, "headOut": 128}}
        v1 = dict(MANIFEST, method="hierarchical", norm="group", outputChannels=[4, 4, 4])
        self.assertEqual(set(build_backbone(v1).state_dict()), set(build_backbone(v2).state_dict()))
        with self.assertRaises(ValueError):
            build_backbone(dict(v2, features=dict(v2["features"], levels=v2["features"]["levels"][:2])))

    def test_pyramid_and_voxel_features_have_the_documented_shapes(self):
        torch.manual_seed(1)
        for m, dims in [(Vox2VecFpn(1, 2, 3, 1), 14), (UNet3d(1, 2, 3, 1), 14), (HierarchicalBackbone(1, 2, 3, 1, "group", 5), 15)]:
            m.eval()
            x = torch.rand(2, 1, 8, 12, 16)
            p = m(x)
            self.assertEqual([(8, 12, 16), (4, 6, 8), (2, 3, 4)], [tuple(t.shape[2:]) for t in p])
            self.assertEqual(dims, m.representation_dim)
            self.assertEqual(4, m.max_stride)
            f = m.features(x)
            self.assertEqual((2, dims, 8, 12, 16), tuple(f.shape))
            # voxel (z, y, x) gets level l's feature at (z, y, x) // 2^l
            z, y, xx = 5, 7, 9
            want = torch.cat([t[0, :, z >> l, y >> l, xx >> l] for l, t in enumerate(p)])
            self.assertTrue(torch.allclose(want, f[0, :, z, y, xx]))
            self.assertTrue(torch.equal(f, voxel_features(p, x.shape[2:])))
        with self.assertRaises(ValueError):
            Vox2VecFpn(1, 2, 3, 1)(torch.rand(1, 2, 8, 8, 8))                        # wrong channel count

    def test_model_input_windows_ct_and_keeps_mr(self):
        hu = np.array([-2000, -1350, -175, 1000, 3000], np.int16)
        np.testing.assert_allclose([0, 0, 0.5, 1, 1], model_input(hu, "CT"), atol=1e-6)
        np.testing.assert_allclose([0, 0, 0.5, 1, 1], model_input(torch.from_numpy(hu), "CT").numpy(), atol=1e-6)
        mr = np.array([0.25, 0.75], np.float32)
        np.testing.assert_array_equal(mr, model_input(mr, "MR"))
        with self.assertRaises(ValueError):
            model_input(hu, "PET")


if __name__ == "__main__":
    unittest.main()
