#!/usr/bin/env python3
"""For app's LoadFromPyTorchIT: weights trained in PyTorch for a TorchScript model, saved the way a
PyTorch user saves them (torch.save of a DataParallel-style state_dict, keys "module.<name>"), and
the model's eval-mode figures on MNIST's first N test images with those weights.

The weights are the file's after a few SGD steps on MNIST's first training images (train mode, so the
BatchNorm statistics move too).

usage: /usr/bin/python3 pytorch_weights.py MODEL.pt MNIST_DIR OUT.pth N  -> prints JSON {"loss", "accuracy", "samples"}
"""
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch


def read_idx(root, base):
    path = os.path.join(root, base + '.gz')
    opener = gzip.open if os.path.exists(path) else open
    with opener(path if os.path.exists(path) else os.path.join(root, base), 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data[4 + 4 * dims:], dtype=np.uint8).reshape(shape)


def images(root, split, n):
    x = read_idx(root, f'{split}-images-idx3-ubyte')[:n].astype(np.float32) / np.float32(255)
    y = read_idx(root, f'{split}-labels-idx1-ubyte')[:n].astype(np.int64)
    return torch.from_numpy(x).reshape(-1, 1, 28, 28), torch.from_numpy(y)


def main():
    model_file, mnist, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    torch.manual_seed(0)
    model = torch.jit.load(model_file)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, y = images(mnist, 'train', 640)
    for i in range(0, 640, 64):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x[i:i + 64]), y[i:i + 64]).backward()
        opt.step()
    torch.save({'module.' + k: v for k, v in model.state_dict().items()}, out)
    model.eval()
    tx, ty = images(mnist, 't10k', n)
    with torch.no_grad():
        logits = model(tx)
    print(json.dumps({'loss': torch.nn.functional.cross_entropy(logits, ty).item(),
                      'accuracy': (logits.argmax(1) == ty).double().mean().item(), 'samples': n}))


if __name__ == '__main__':
    main()
