#!/usr/bin/env python3
"""Writes the TorchScript functions engine-djl runs (src/main/resources/dev/stride/engine/djl/optim/):
torch.optim's update steps and torch's fused cross-entropy.

DJL exposes no tensor op with PyTorch's `alpha` (add(x, alpha=a) is one fused multiply-add per
element), `addcmul` or `addcdiv`, and its own fused SGD and Adam updates are MXNet's, not
torch.optim's. So Stride's SGD and Adam steps are torch.optim's single-tensor loops (as in torch
1.13) written in TorchScript: one native call updates every parameter, reading each gradient where
autograd left it, with the very ATen kernels torch.optim runs; one more zeroes the gradients. Run it again only when the step changes:

    /usr/bin/python3 engine-djl/src/main/python/optim_steps.py

(Debian's python3-torch; the file is checked in, so builds need no Python.) A scripted module saved
by torch 1.13 loads in the libtorch that DJL bundles (2.7.1).
"""

import math
import os
from typing import List

import torch


class SgdStep(torch.nn.Module):
    """torch.optim.SGD's _single_tensor_sgd (maximize off) over every parameter that has a gradient,
    in place; returns how many it updated."""

    def forward(self, params: List[torch.Tensor], momentum_buffers: List[torch.Tensor], lr: float, momentum: float,
                dampening: float, weight_decay: float, nesterov: bool, first: bool) -> int:
        updated = 0
        for i in range(len(params)):
            grad = params[i].grad
            if grad is None:
                continue
            d_p = grad
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
            updated += 1
        return updated


class AdamStep(torch.nn.Module):
    """torch.optim.Adam's / AdamW's _single_tensor_adam (torch 1.13; amsgrad and maximize off) over
    every parameter that has a gradient, in place; returns how many it updated. `step` is the step
    being taken, counted from 1."""

    def forward(self, params: List[torch.Tensor], exp_avgs: List[torch.Tensor], exp_avg_sqs: List[torch.Tensor],
                step: int, lr: float, beta1: float, beta2: float, eps: float, weight_decay: float,
                decoupled: bool) -> int:
        updated = 0
        for i in range(len(params)):
            param = params[i]
            grad = param.grad
            if grad is None:
                continue
            if weight_decay != 0.0:
                if decoupled:
                    param.mul_(1.0 - lr * weight_decay)
                else:
                    grad = grad.add(param, alpha=weight_decay)
            exp_avgs[i].mul_(beta1).add_(grad, alpha=1.0 - beta1)
            exp_avg_sqs[i].mul_(beta2).addcmul_(grad, grad, value=1.0 - beta2)
            bias_correction1 = 1.0 - beta1 ** step
            bias_correction2 = 1.0 - beta2 ** step
            step_size = lr / bias_correction1
            bias_correction2_sqrt = math.sqrt(bias_correction2)
            denom = (exp_avg_sqs[i].sqrt() / bias_correction2_sqrt).add_(eps)
            param.addcdiv_(exp_avgs[i], denom, value=-step_size)
            updated += 1
        return updated


class ZeroGrad(torch.nn.Module):
    """optimizer.zero_grad(set_to_none=False): every gradient zeroed in place, its memory kept;
    returns how many there were."""

    def forward(self, params: List[torch.Tensor]) -> int:
        zeroed = 0
        for p in params:
            grad = p.grad
            if grad is not None:
                grad.zero_()
                zeroed += 1
        return zeroed


class CrossEntropy(torch.nn.Module):
    """torch.nn.CrossEntropyLoss() on logits [n, classes] and int64 labels [n]: ATen's
    cross_entropy_loss (log_softmax and nll_loss, mean over the batch, ignore_index -100, no label
    smoothing), one op forward and two backward, where DJL composes five."""

    def forward(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return torch._C._nn.cross_entropy_loss(logits, labels, None, 1, -100, 0.0)


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'dev', 'stride', 'engine', 'djl',
                       'optim')
    for name, module in (('sgd_step.pt', SgdStep()), ('adam_step.pt', AdamStep()), ('zero_grad.pt', ZeroGrad()),
                         ('cross_entropy.pt', CrossEntropy())):
        path = os.path.normpath(os.path.join(out, name))
        torch.jit.script(module).save(path)
        print(f'wrote {path} with torch {torch.__version__}')


if __name__ == '__main__':
    main()
