#!/usr/bin/env python3
"""Converts a PyTorch state_dict saved with torch.save (a .pt/.pth pickle, which Stride does not read)
into a safetensors file, which Stride's load-from reads. Needs torch (to unpickle) and numpy; not the
safetensors package.

    python3 state_dict_to_safetensors.py weights.pth weights.safetensors

The tensor names stay PyTorch's (module.conv1.weight for a model wrapped in DataParallel,
conv1.weight otherwise); rename them in Stride with revise-keys:

    load-from { file = "weights.safetensors", revise-keys = [["^module\\\\.", ""]] }

Accepted inputs: a state_dict (an OrderedDict of tensors), a dict holding one under "state_dict" or
"model" (the usual training checkpoints), or a whole pickled nn.Module (its state_dict is taken).
"""
import argparse
import json
import struct
import sys

import numpy as np
import torch

# torch dtype -> (safetensors dtype, numpy dtype to write the bytes with)
DTYPES = {
    torch.float32: ('F32', '<f4'), torch.float64: ('F64', '<f8'), torch.float16: ('F16', '<f2'),
    torch.bfloat16: ('BF16', '<i2'), torch.int64: ('I64', '<i8'), torch.int32: ('I32', '<i4'),
    torch.int16: ('I16', '<i2'), torch.int8: ('I8', 'i1'), torch.uint8: ('U8', 'u1'), torch.bool: ('BOOL', '?'),
}


def state_dict_of(obj):
    if isinstance(obj, torch.nn.Module):
        return obj.state_dict()
    if isinstance(obj, dict):
        for key in ('state_dict', 'model'):
            if key in obj and isinstance(obj[key], dict):
                return obj[key]
        if all(isinstance(v, torch.Tensor) for v in obj.values()):
            return obj
    raise SystemExit('not a state_dict: a dict of tensors, a dict with one under "state_dict" or "model",'
                     ' or an nn.Module was expected, got ' + type(obj).__name__)


def write_safetensors(tensors, path, metadata=None):
    """The safetensors format: an 8-byte little-endian header length, the JSON header, the bytes."""
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        if t.dtype not in DTYPES:
            raise SystemExit(f'{name}: dtype {t.dtype} has no safetensors equivalent here')
        st, np_dtype = DTYPES[t.dtype]
        if t.dtype == torch.bfloat16:
            t = t.view(torch.int16)
        data = t.numpy().astype(np_dtype, copy=False).tobytes()
        header[name] = {'dtype': st, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header['__metadata__'] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # the data starts 8-byte aligned
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('state_dict', help='a file written by torch.save')
    p.add_argument('out', help='the .safetensors file to write')
    a = p.parse_args()
    obj = torch.load(a.state_dict, map_location='cpu')
    tensors = state_dict_of(obj)
    write_safetensors(tensors, a.out, {'format': 'pt', 'converted_from': a.state_dict})
    print(f'{a.out}: {len(tensors)} tensors', file=sys.stderr)


if __name__ == '__main__':
    main()
