#!/usr/bin/env python3
"""Writes data/mnist-10k (IDX, gzipped) as grey 8-bit PNG files in one folder per class.

  <out>/train/<digit>/<index>.png   8,000 images from train-{images-idx3,labels-idx1}-ubyte.gz
  <out>/test/<digit>/<index>.png    2,000 images from t10k-{images-idx3,labels-idx1}-ubyte.gz

<index> is the sample's position in its IDX file, 5 digits with leading zeros (00000-07999,
00000-01999), so the IDX order can be rebuilt by sorting on the file name. Pixels are copied
unchanged (PIL mode "L", 28x28, 0 = black background, 255 = ink, as in the IDX files).
Existing train/ and test/ folders are replaced.

usage: /usr/bin/python3 data/mnist-png/make_mnist_png.py [--idx DIR] [--out DIR]
"""

import argparse
import gzip
import os
import shutil
import struct

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_IDX = os.path.join(HERE, os.pardir, 'mnist-10k')


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack('>HBB', data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f'{path}: not an unsigned-byte IDX file')
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f'{path}: {arr.size} bytes of data for dims {dims}')
    return arr.reshape(dims)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--idx', default=DEFAULT_IDX, help='folder with the gzipped IDX files (default ../mnist-10k)')
    p.add_argument('--out', default=HERE)
    a = p.parse_args()
    total = 0
    for split, prefix in (('train', 'train'), ('test', 't10k')):
        images = read_idx(os.path.join(a.idx, f'{prefix}-images-idx3-ubyte.gz'))
        labels = read_idx(os.path.join(a.idx, f'{prefix}-labels-idx1-ubyte.gz'))
        assert images.ndim == 3 and images.shape[1:] == (28, 28), images.shape
        assert len(images) == len(labels)
        root = os.path.join(a.out, split)
        if os.path.isdir(root):
            shutil.rmtree(root)
        for d in range(10):
            os.makedirs(os.path.join(root, str(d)))
        counts = [0] * 10
        for i, (img, lab) in enumerate(zip(images, labels)):
            path = os.path.join(root, str(int(lab)), f'{i:05d}.png')
            Image.fromarray(np.ascontiguousarray(img), mode='L').save(path, format='PNG')
            counts[int(lab)] += 1
        # read back one file per class to check the round trip
        for d in range(10):
            i = int(np.flatnonzero(labels == d)[0])
            back = np.asarray(Image.open(os.path.join(root, str(d), f'{i:05d}.png')))
            assert back.dtype == np.uint8 and np.array_equal(back, images[i]), (split, d, i)
        total += len(images)
        print(f'{split}: {len(images)} PNGs in {root}  per digit: {counts}')
    print(f'total {total} PNGs')


if __name__ == '__main__':
    main()
