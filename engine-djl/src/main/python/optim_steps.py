#!/usr/bin/env python3
"""Writes the TorchScript update steps engine-djl runs (src/main/resources/dev/stride/engine/djl/optim/).

DJL exposes no tensor op with PyTorch's `alpha` (add(x, alpha=a) is one fused multiply-add per
element) and its own fused SGD update is MXNet's, not torch.optim's. So Stride's SGD step is
torch.optim.SGD's single-tensor loop written in TorchScript: one native call updates every
parameter, with the very ATen kernels torch.optim runs. Run it again only when the step changes:

    /usr/bin/python3 engine-djl/src/main/python/optim_steps.py

(Debian's python3-torch; the file is checked in, so builds need no Python.) A scripted module saved
by torch 1.13 loads in the libtorch that DJL bundles (2.7.1).
"""

import os
from typing import List

import torch


class SgdStep(torch.nn.Module):
    """torch.optim.SGD's _single_tensor_sgd (maximize off) over every parameter, in place."""

    def forward(self, params: List[torch.Tensor], grads: List[torch.Tensor], momentum_buffers: List[torch.Tensor],
                lr: float, momentum: float, dampening: float, weight_decay: float, nesterov: bool,
                first: bool) -> int:
        for i in range(len(params)):
            d_p = grads[i]
            if weight_decay != 0.0:
                d_p = d_p.add(params[i], alpha=weight_decay)
            if momentum != 0.0:
                buf = momentum_buffers[i]
                if first:
                    buf.copy_(d_p)
                else:
                    buf.mul_(momentum).add_(d_p, alpha=1.0 - dampening)
                if nesterov:
                    d_p = d_p.add(buf, alpha=momentum)
                else:
                    d_p = buf
            params[i].add_(d_p, alpha=-lr)
        return len(params)


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'dev', 'stride', 'engine', 'djl',
                       'optim', 'sgd_step.pt')
    torch.jit.script(SgdStep()).save(os.path.normpath(out))
    print(f'wrote {os.path.normpath(out)} with torch {torch.__version__}')


if __name__ == '__main__':
    main()
