"""Installs the Python bridge: ``pip install -e python/`` (or nothing at all: ``PYTHONPATH=python``).

A plain setup.py (no pyproject.toml) on purpose: pip then builds in the current environment, so an editable
install works offline with Debian's setuptools; a PEP 517 build would first download setuptools into an isolated
environment, which machines without PyPI access cannot do.
"""
from setuptools import setup

setup(
    name="streaming-bridge",
    version="0.1.0",
    description="Read Streaming's shard cache with numpy, train PyTorch on it, load Streaming's backbones",
    python_requires=">=3.9",
    packages=["streaming_bridge", "streaming_bridge.data", "streaming_bridge.models"],
    # Debian 12: python3-numpy, python3-zstandard (scripts/setup.sh installs them). No pyarrow.
    install_requires=["numpy>=1.21", "zstandard>=0.15"],
    extras_require={
        "torch": ["torch>=1.12"],    # streaming_bridge.data, streaming_bridge.models
        "nifti": ["nibabel>=3"],     # VolumeData.to_nifti
        "fast": ["xxhash>=2"],       # C-speed chunk checksums (Debian: python3-xxhash)
    },
)
