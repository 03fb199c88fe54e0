"""Python bridge to Streaming's outputs: read its shard cache with numpy, feed it to PyTorch, load its backbones.

    import streaming_bridge as sb
    cache = sb.open_cache("cache", spec="ct-1x1x2")        # a cache root (or one key folder)
    vol = cache.read(cache.ids[0])                          # image, body, labels as [z, y, x] numpy arrays + geometry
    nib_img = vol.to_nifti()                                # RAS affine, (x, y, z) order, as nibabel expects

Torch-dependent parts live in ``streaming_bridge.data`` (Datasets) and ``streaming_bridge.models`` (backbones);
importing this package needs only numpy and zstandard.
"""
from .catalog import Cache, CacheKey, CatalogError, CatalogProblem, list_keys, open_cache, read_json_lines
from .checksum import ENGINE as CHECKSUM_ENGINE
from .geometry import Geometry
from .shard import ChunkCorruptError, ReadStats, RegionData, Shard, ShardError, VolumeData

__version__ = "0.1.0"

__all__ = ["Cache", "CacheKey", "CatalogError", "CatalogProblem", "list_keys", "open_cache", "read_json_lines", "Geometry",
           "Shard", "ShardError", "ChunkCorruptError", "ReadStats", "RegionData", "VolumeData", "CHECKSUM_ENGINE"]
