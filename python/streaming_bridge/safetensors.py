"""The safetensors format (github.com/huggingface/safetensors) with numpy only, as ``Safetensors.cs`` writes it.

u64 little-endian header length N, N bytes of UTF-8 JSON ``{name: {"dtype", "shape", "data_offsets": [begin, end]},
"__metadata__": {str: str}}`` (padded with spaces), then the raw little-endian, row-major tensor bytes.
Debian 12 has no python3-safetensors, hence this reader/writer; the files are the standard format, so the
``safetensors`` package reads them where it is installed. bfloat16 has no numpy dtype: ``read`` returns its uint16
bit patterns (``load_torch`` converts them).
"""
import json
import os
import struct

import numpy as np

__all__ = ["read", "write", "load_torch", "save_torch", "SafetensorsError"]

_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
           "I8": "|i1", "U8": "|u1", "BOOL": "|b1"}
_CODES = {np.dtype(v).str: k for k, v in _DTYPES.items() if k != "BF16"}


class SafetensorsError(ValueError):
    """Not a valid safetensors file (the message names the file)."""


def read(path):
    """``({name: np.ndarray}, {metadata})`` in file order. BF16 tensors come back as uint16 bit patterns."""
    path = os.fspath(path)
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise SafetensorsError(f"{path}: too short for safetensors")
    n = struct.unpack_from("<Q", data, 0)[0]
    if n > len(data) - 8:
        raise SafetensorsError(f"{path}: header length {n} exceeds the file size")
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"))
    except ValueError as e:
        raise SafetensorsError(f"{path}: header is not JSON ({e})") from e
    meta = header.pop("__metadata__", None) or {}
    start = 8 + n
    tensors = {}
    for name, h in header.items():
        try:
            dtype = np.dtype(_DTYPES[h["dtype"]])
            shape = tuple(int(s) for s in h["shape"])
            begin, end = (int(v) for v in h["data_offsets"])
        except (KeyError, TypeError, ValueError) as e:
            raise SafetensorsError(f"{path}: tensor {name!r} has a bad header entry {h!r}") from e
        count = int(np.prod(shape, dtype=np.int64))
        if begin < 0 or end < begin or start + end > len(data) or end - begin != count * dtype.itemsize:
            raise SafetensorsError(f"{path}: tensor {name!r} offsets [{begin}, {end}) do not fit its {h['dtype']} {list(shape)}")
        tensors[name] = np.frombuffer(data, dtype, count, start + begin).reshape(shape).copy()
        if h["dtype"] == "BF16":
            tensors[name] = _Bf16(tensors[name])
    return tensors, meta


class _Bf16(np.ndarray):
    """uint16 bits of a bfloat16 tensor (a marker subclass so ``load_torch`` and ``write`` keep the dtype)."""

    def __new__(cls, bits):
        return np.asarray(bits, np.uint16).view(cls)


def write(path, tensors, metadata=None):
    """Writes ``{name: np.ndarray}`` (atomically: temp file, fsync, rename). Dtypes: the ones ``Safetensors.cs`` reads."""
    path = os.fspath(path)
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, a in tensors.items():
        if name == "__metadata__" or name in header:
            raise ValueError(f"duplicate or reserved tensor name {name!r}")
        code = "BF16" if isinstance(a, _Bf16) else _CODES.get(np.asarray(a).dtype.newbyteorder("<").str)
        if code is None:
            raise ValueError(f"tensor {name!r}: dtype {np.asarray(a).dtype} has no safetensors code")
        b = np.ascontiguousarray(a, dtype=np.dtype(_DTYPES[code])).tobytes()
        header[name] = {"dtype": code, "shape": list(np.shape(a)), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    js = json.dumps(header, separators=(",", ":")).encode("utf-8")
    js += b" " * (-len(js) % 8)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(struct.pack("<Q", len(js)))
            f.write(js)
            for b in blobs:
                f.write(b)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load_torch(path):
    """``({name: torch.Tensor}, metadata)``, e.g. for ``module.load_state_dict(tensors, strict=True)``."""
    import torch
    arrays, meta = read(path)
    out = {}
    for name, a in arrays.items():
        if isinstance(a, _Bf16):
            out[name] = torch.from_numpy(np.asarray(a).view(np.int16)).view(torch.bfloat16)
        else:
            out[name] = torch.from_numpy(np.asarray(a))
    return out, meta


def save_torch(path, tensors, metadata=None):
    """Writes ``{name: torch.Tensor}`` (e.g. a ``state_dict()``) so that ``BackboneExport.Read`` can load it."""
    import torch
    arrays = {}
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        arrays[name] = _Bf16(t.view(torch.int16).numpy().view(np.uint16)) if t.dtype == torch.bfloat16 else t.numpy()
    write(path, arrays, metadata)
