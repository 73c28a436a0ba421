#!/usr/bin/env python3
"""LeNet's layers one by one in PyTorch, as DjlOps.java times them through DJL's libtorch.

Each layer of examples/mnist/lenet_iter.conf's LeNet (batch 64) alone: its forward (autograd
recording, as in training) and its forward plus backward (with a gradient of ones), medians over STEPS
after a quarter as warm-up. Prints "op=<layer> fwd_us=<median> step_us=<median>" per layer and
"op=all" with their sums. bench/peers/ops runs it against DjlOps.java, interleaved.
  python3 op_times.py [--threads N] [--steps STEPS]
"""
import argparse
import statistics
import time

import torch
from torch import nn


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--steps', type=int, default=400)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    layers = [('conv1', nn.Conv2d(1, 6, 5, padding=2), (64, 1, 28, 28), False),
              ('relu1', nn.ReLU(), (64, 6, 28, 28), True),
              ('pool1', nn.MaxPool2d(2, 2), (64, 6, 28, 28), True),
              ('conv2', nn.Conv2d(6, 16, 5), (64, 6, 14, 14), True),
              ('relu2', nn.ReLU(), (64, 16, 10, 10), True),
              ('pool2', nn.MaxPool2d(2, 2), (64, 16, 10, 10), True),
              ('fc1', nn.Linear(400, 120), (64, 400), True),
              ('fc2', nn.Linear(120, 84), (64, 120), True),
              ('fc3', nn.Linear(84, 10), (64, 84), True)]
    print(f'torch {torch.__version__}, threads {torch.get_num_threads()}, steps {args.steps}')
    fwd_sum = step_sum = 0.0
    for name, layer, shape, grad in layers:
        x = torch.relu(torch.randn(*shape)).requires_grad_(grad)  # as after a ReLU: many zeros
        fwd, step = [], []
        for i in range(-(args.steps // 4), args.steps):
            t0 = time.perf_counter()
            y = layer(x)
            t1 = time.perf_counter()
            y.backward(torch.ones_like(y))  # as DJL's backward(y): a contiguous gradient of ones
            t2 = time.perf_counter()
            if i >= 0:
                fwd.append(t1 - t0)
                step.append(t2 - t0)
        f, s = statistics.median(fwd) * 1e6, statistics.median(step) * 1e6
        fwd_sum += f
        step_sum += s
        print(f'op={name} fwd_us={f:.1f} step_us={s:.1f}')
    print(f'op=all fwd_us={fwd_sum:.1f} step_us={step_sum:.1f}')


if __name__ == '__main__':
    main()
