"""Shared pieces of the demo-model generators: deterministic seeding, tracing
with the input description the C++ side reads (extra file tao.json), and a
small safetensors writer for demo inputs."""
import json
import os
import struct

import torch

DTYPES = {torch.float32: "F32", torch.int64: "I64", torch.float64: "F64", torch.int32: "I32"}


def seed(n):
    torch.manual_seed(n)
    torch.set_num_threads(1)


def save_traced(model, example, names, path, specs, check_trace=True):
    """Traces `model` on `example` (a tuple) and saves it atomically with tao.json."""
    model.eval()
    with torch.no_grad():
        traced = torch.jit.trace(model, example, check_trace=check_trace)
    extra = {"tao.json": json.dumps({"inputs": specs})}
    tmp = path + ".tmp"
    torch.jit.save(traced, tmp, _extra_files=extra)
    os.replace(tmp, path)


def write_safetensors(path, tensors):
    """Writes {name: tensor} in the safetensors layout (header length, JSON, data)."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)
