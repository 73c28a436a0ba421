#!/usr/bin/env python3
"""PyTorch's side of engine-djl's PyTorchCrossCheckIT: the same TorchScript file, the same batches,
torch.optim instead of Stride's optimizers; compares with what Stride wrote.

The test directory holds (written by the Java side):
  job.json            {"model": path of the .pt, "frozen": [names], "batches": N, "batch_size": B, "input_shape": [...],
                       "runs": [{"name", "optimizer": "sgd"|"adam"|"adamw", "options": {...}, "steps": S}],
                       "tensors": {name: {"shape", "dtype"}}}
  x_<i>.f32, y_<i>.i64  batch i: float32 inputs [B, *input_shape] and int64 labels [B], little-endian
  forward.f32         Stride's eval-mode output for batch 0 [B, classes]
  <run>/<tensor>.bin  Stride's parameters and buffers after the run's steps (float32 or int64)

Writes result.json: for the forward and for each run, the relative difference: the largest
|stride - torch| over every float tensor divided by the largest |torch| over them (the measure of the
data-parallel equivalence test), also per tensor against its own largest value, and whether the
integer buffers (num_batches_tracked) are equal. Only json and numpy besides torch.

usage: /usr/bin/python3 torchscript_crosscheck.py DIR
"""
import json
import os
import sys

import numpy as np
import torch


def read(path, dtype, shape):
    return torch.from_numpy(np.fromfile(path, dtype=dtype).reshape(shape).copy())


def relative(a, b):
    a = a.double()
    b = b.double()
    scale = b.abs().max().item()
    diff = (a - b).abs().max().item()
    return diff / scale if scale > 0 else diff


def main():
    d = sys.argv[1]
    job = json.load(open(os.path.join(d, 'job.json')))
    torch.manual_seed(0)
    shape = [job['batch_size']] + job['input_shape']
    xs = [read(os.path.join(d, f'x_{i}.f32'), '<f4', shape) for i in range(job['batches'])]
    ys = [read(os.path.join(d, f'y_{i}.i64'), '<i8', [job['batch_size']]) for i in range(job['batches'])]
    result = {'torch': torch.__version__}

    model = torch.jit.load(job['model'])
    model.eval()
    with torch.no_grad():
        out = model(xs[0])
    stride = read(os.path.join(d, 'forward.f32'), '<f4', list(out.shape))
    result['forward'] = relative(stride, out)

    for run in job['runs']:
        model = torch.jit.load(job['model'])
        model.train()
        o = run['options']
        for name, p in model.named_parameters():
            if name in job['frozen']:
                p.requires_grad_(False)
        params = [p for _, p in model.named_parameters() if p.requires_grad]
        if run['optimizer'] == 'sgd':
            opt = torch.optim.SGD(params, lr=o['lr'], momentum=o['momentum'], weight_decay=o['weight-decay'],
                                  nesterov=o['nesterov'])
        elif run['optimizer'] == 'adam':
            opt = torch.optim.Adam(params, lr=o['lr'], weight_decay=o['weight-decay'])
        else:
            opt = torch.optim.AdamW(params, lr=o['lr'], weight_decay=o['weight-decay'])
        loss_fn = torch.nn.CrossEntropyLoss()
        for s in range(run['steps']):
            i = s % job['batches']
            opt.zero_grad()
            loss = loss_fn(model(xs[i]), ys[i])
            loss.backward()
            opt.step()
        state = model.state_dict()
        per_tensor = {}
        diff = 0.0
        scale = 0.0
        integers_equal = True
        for name, info in job['tensors'].items():
            floating = info['dtype'] == 'F32'
            mine = read(os.path.join(d, run['name'], name + '.bin'), '<f4' if floating else '<i8', info['shape'])
            theirs = state[name].detach()
            if floating:
                per_tensor[name] = relative(mine, theirs)
                diff = max(diff, (mine.double() - theirs.double()).abs().max().item())
                scale = max(scale, theirs.double().abs().max().item())
            else:
                integers_equal = integers_equal and bool(torch.equal(mine, theirs))
        result[run['name']] = {'max_relative': diff / scale, 'max_difference': diff, 'max_magnitude': scale,
                               'tensors': per_tensor, 'integers_equal': integers_equal, 'final_loss': loss.item()}
    json.dump(result, open(os.path.join(d, 'result.json'), 'w'), indent=1)
    print(json.dumps({k: (v if not isinstance(v, dict) else v['max_relative']) for k, v in result.items()}))


if __name__ == '__main__':
    main()
