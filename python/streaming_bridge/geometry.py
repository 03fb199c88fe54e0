"""Where a cached volume sits in patient space, and the affines that nibabel, MONAI and TorchIO expect.

Streaming records geometry with ITK/DICOM conventions (``GeometryRecord.cs``): ``shape``, ``spacing`` and the
voxel index are (x, y, z); ``origin`` is the centre of voxel (0, 0, 0) in LPS millimetres; ``direction`` is a
row-major 3x3 matrix whose *columns* are the LPS directions of the x, y and z voxel axes, so
``lps = origin + direction @ (spacing * index)``. Ingest reorients to the canonical grid (identity direction).

Arrays from this package are indexed ``[z, y, x]`` (C order of the shard's x-fastest voxels; the layout the
backbones take as (N, C, D, H, W)). nibabel indexes ``[i, j, k] = [x, y, z]`` and maps them to RAS:
``affine_ras()`` is that matrix, for ``array.transpose()``; ``affine_ras("zyx")`` maps the ``[z, y, x]`` array's
own indices, for tensors kept in this package's order (MONAI/TorchIO only need the affine to match the axes).
"""
from dataclasses import dataclass

import numpy as np

__all__ = ["Geometry", "LPS_TO_RAS"]

LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])
_ZYX_TO_XYZ = np.array([[0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]], dtype=float)


@dataclass(frozen=True)
class Geometry:
    shape: tuple        # (x, y, z) voxels
    spacing: tuple      # (x, y, z) mm
    origin: tuple       # LPS mm of voxel (0, 0, 0)
    direction: tuple    # row-major 3x3; columns = LPS directions of the x, y, z axes

    @classmethod
    def from_record(cls, g):
        """From a ``GeometryRecord`` JSON object (``finalGeometry`` of a catalog line or shard)."""
        try:
            shape, spacing, origin, direction = g["shape"], g["spacing"], g["origin"], g["direction"]
        except (KeyError, TypeError) as e:
            raise ValueError(f"geometry record needs shape, spacing, origin and direction: {g!r}") from e
        if len(shape) != 3 or len(spacing) != 3 or len(origin) != 3 or len(direction) != 9:
            raise ValueError(f"geometry record needs shape[3], spacing[3], origin[3] and direction[9]: {g!r}")
        return cls(tuple(int(v) for v in shape), tuple(float(v) for v in spacing),
                   tuple(float(v) for v in origin), tuple(float(v) for v in direction))

    @property
    def array_shape(self):
        """(z, y, x): the shape of the arrays this package returns."""
        return self.shape[::-1]

    @property
    def direction_matrix(self):
        return np.array(self.direction, dtype=float).reshape(3, 3)

    def affine_lps(self, axes="xyz"):
        """4x4 from voxel index to LPS mm (ITK/SimpleITK convention)."""
        a = np.eye(4)
        a[:3, :3] = self.direction_matrix * np.asarray(self.spacing)[None, :]
        a[:3, 3] = self.origin
        return a @ _axes(axes)

    def affine_ras(self, axes="xyz"):
        """4x4 from voxel index to RAS mm: nibabel's affine for ``array.transpose()`` (axes="xyz")."""
        return LPS_TO_RAS @ self.affine_lps(axes)

    def index_to_lps(self, index_xyz):
        """LPS mm of (x, y, z) voxel indices (..., 3)."""
        ijk = np.asarray(index_xyz, dtype=float)
        a = self.affine_lps()
        return ijk @ a[:3, :3].T + a[:3, 3]


def _axes(axes):
    if axes == "xyz":
        return np.eye(4)
    if axes == "zyx":
        return _ZYX_TO_XYZ
    raise ValueError(f"axes must be 'xyz' or 'zyx', not {axes!r}")
