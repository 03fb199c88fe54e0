import os
import unittest

import nibabel as nib
import numpy as np

import streaming_bridge as sb
from streaming_bridge.geometry import Geometry

from . import fixture


class AffineTests(unittest.TestCase):
    """The RAS affine puts every cached voxel where the source NIfTI (read by nibabel) has it."""

    @classmethod
    def setUpClass(cls):
        cls.cache = sb.open_cache(fixture.build()["ct"])
        cls.vid = "FLARE/FLARE_Tr_0001"
        cls.vol = cls.cache.read(cls.vid)
        cls.src = nib.load(cls.cache.record(cls.vid)["labelPath"])

    def agreement(self, affine_xyz):
        """Fraction of cached labeled voxels whose label equals the source label at the same RAS point."""
        labels = self.vol.labels.transpose()                                # (x, y, z)
        idx = np.argwhere(labels > 0)[::7]
        world = np.c_[idx, np.ones(len(idx))] @ affine_xyz.T
        src_idx = np.rint((world @ np.linalg.inv(self.src.affine).T)[:, :3]).astype(int)
        inside = np.all((src_idx >= 0) & (src_idx < self.src.shape), axis=1)
        src = np.asarray(self.src.dataobj)
        got = np.zeros(len(idx), bool)
        got[inside] = src[tuple(src_idx[inside].T)] == labels[tuple(idx[inside].T)]
        return got.mean()

    def test_cached_labels_land_on_the_source_labels(self):
        # Labels were resampled by nearest neighbour (~3.2 mm to 3 mm); measured agreement is 1.0, a one-voxel shift
        # of the affine gives 0.93.
        self.assertGreater(self.agreement(self.vol.geometry.affine_ras()), 0.99)

    def test_the_lps_affine_used_as_ras_would_be_wrong(self):
        self.assertLess(self.agreement(self.vol.geometry.affine_lps()), 0.5)

    def test_zyx_affine_maps_the_array_indices_to_the_same_points(self):
        g = self.vol.geometry
        z, y, x = 5, 7, 11
        np.testing.assert_allclose(g.affine_ras("zyx") @ [z, y, x, 1], g.affine_ras() @ [x, y, z, 1])
        np.testing.assert_allclose(g.index_to_lps([x, y, z]), (np.diag([-1, -1, 1, 1]) @ g.affine_ras() @ [x, y, z, 1])[:3])

    def test_to_nifti_round_trips_through_nibabel(self):
        path = os.path.join(fixture.scratch(), "ct.nii.gz")
        nib.save(self.vol.to_nifti(), path)
        back = nib.load(path)
        np.testing.assert_allclose(back.affine, self.vol.geometry.affine_ras(), atol=1e-4)
        self.assertEqual(tuple(self.vol.geometry.shape), back.shape)
        np.testing.assert_array_equal(self.vol.image.transpose(), np.asarray(back.dataobj))
        self.assertEqual(np.int16, back.get_data_dtype())
        labels = nib.Nifti1Image.from_bytes(self.vol.to_nifti("labels").to_bytes())
        np.testing.assert_array_equal(self.vol.labels.transpose(), np.asarray(labels.dataobj))

    def test_canonical_grid_is_lps_aligned_so_nibabel_calls_it_LPS(self):
        self.assertEqual(("L", "P", "S"), nib.aff2axcodes(self.vol.geometry.affine_ras()))

    def test_geometry_record_is_checked(self):
        with self.assertRaises(ValueError):
            Geometry.from_record({"shape": [1, 2], "spacing": [1, 1, 1], "origin": [0, 0, 0], "direction": [1, 0, 0, 0, 1, 0, 0, 0, 1]})
        g = Geometry.from_record({"shape": [4, 5, 6], "spacing": [1, 2, 3], "origin": [10, 20, 30], "direction": [0, 1, 0, 1, 0, 0, 0, 0, 1]})
        # direction columns are the axes: x runs along LPS y, y along LPS x
        np.testing.assert_allclose(g.index_to_lps([1, 0, 0]), [10, 21, 30])
        np.testing.assert_allclose(g.index_to_lps([0, 1, 0]), [12, 20, 30])
        self.assertEqual((6, 5, 4), g.array_shape)


if __name__ == "__main__":
    unittest.main()
