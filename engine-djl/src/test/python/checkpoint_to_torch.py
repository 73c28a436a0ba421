#!/usr/bin/env python3
"""Reads a Stride checkpoint of an `mlp` model with nothing but json, struct and numpy, loads it into
the equivalent torch.nn.Sequential and measures its accuracy on MNIST's test images.

A Stride checkpoint is a safetensors file: an 8-byte little-endian header length, a JSON header
{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}, then the tensor
bytes (little-endian). The mlp's tensors are model.fc1.weight [h1, 784], model.fc1.bias, ...,
model.fcN.weight [classes, h]: torch.nn.Linear's layout, so

    nn.Sequential(Flatten, Linear(784, h1), ReLU, ..., Linear(h, classes))

takes them as they are under the names 1.weight, 1.bias, 3.weight ... (Flatten is 0, the ReLUs are
the even indices).

usage: /usr/bin/python3 checkpoint_to_torch.py CHECKPOINT MNIST_DIR  -> prints JSON {"accuracy", "correct", "samples"}
"""
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

DTYPES = {'F32': '<f4', 'F64': '<f8', 'I64': '<i8', 'I32': '<i4', 'U8': 'u1'}


def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        begin, end = info['data_offsets']
        tensors[name] = np.frombuffer(data[base + begin:base + end], dtype=DTYPES[info['dtype']]).reshape(info['shape'])
    return tensors, header.get('__metadata__', {})


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    dims = data[3]
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data[4 + 4 * dims:], dtype=np.uint8).reshape(shape)


def find(root, base):
    for name in (base + '.gz', base):
        if os.path.exists(os.path.join(root, name)):
            return os.path.join(root, name)
    raise SystemExit(f'no {base}(.gz) in {root}')


def main():
    checkpoint, mnist = sys.argv[1], sys.argv[2]
    tensors, _ = read_safetensors(checkpoint)
    layers = sorted({int(n[len('model.fc'):].split('.')[0]) for n in tensors if n.startswith('model.fc')})
    modules = [nn.Flatten()]
    state = {}
    for i, layer in enumerate(layers):
        w = tensors[f'model.fc{layer}.weight']
        b = tensors[f'model.fc{layer}.bias']
        modules.append(nn.Linear(w.shape[1], w.shape[0]))
        state[f'{len(modules) - 1}.weight'] = torch.from_numpy(w.copy())
        state[f'{len(modules) - 1}.bias'] = torch.from_numpy(b.copy())
        if i < len(layers) - 1:
            modules.append(nn.ReLU())
    net = nn.Sequential(*modules)
    net.load_state_dict(state, strict=True)
    net.eval()
    images = read_idx(find(mnist, 't10k-images-idx3-ubyte'))
    labels = read_idx(find(mnist, 't10k-labels-idx1-ubyte')).astype(np.int64)
    # the mnist-idx loader's scaling, in float32: pixel / 255 (mean 0, std 1)
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255)).reshape(-1, 1, 28, 28)
    with torch.no_grad():
        predicted = net(x).argmax(1).numpy()
    correct = int((predicted == labels).sum())
    print(json.dumps({'accuracy': correct / len(labels), 'correct': correct, 'samples': len(labels),
                      'layers': [list(m.weight.shape) for m in net if isinstance(m, nn.Linear)]}))


if __name__ == '__main__':
    main()
