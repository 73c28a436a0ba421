"""One step of the reference MLP job in plain PyTorch, timed phase by phase.

The same model, data, optimizer and batch as torch_loop.py; STEPS steps over the shuffled
MNIST-10k train set, the first quarter not counted. Prints one line per phase,
  phase=<name> median_us=<..> mean_us=<..>
then total_us=<sum of the phase means>. The phases: gather (the batch from the data set in
memory), forward, loss (cross-entropy), backward, update (torch.optim.SGD), zero_grad, read (the
loss as a Python float). bench/peers/phases runs it beside StepPhases.java (the same step through
DJL's libtorch) to show where the time per step goes on each side.
  python3 step_phases.py --data-root data/mnist-10k [--threads 1] [--steps 2000]
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import common  # noqa: E402

PHASES = ('gather', 'forward', 'loss', 'backward', 'update', 'zero_grad', 'read')


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data-root', required=True)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--steps', type=int, default=2000)
    args = p.parse_args()
    common.setup_torch(args.threads, 42)
    x, y = common.load_split(args.data_root, 'train')
    model = common.build_mlp('stride')
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    g = torch.Generator().manual_seed(42)
    per_epoch = len(y) // 64
    times = [[0] * args.steps for _ in PHASES]
    order = None
    for it in range(args.steps):
        i = it % per_epoch
        if i == 0:
            order = torch.randperm(len(y), generator=g)
        idx = order[i * 64:(i + 1) * 64]
        t = [time.perf_counter_ns()]
        xb, yb = x[idx], y[idx]
        t.append(time.perf_counter_ns())
        out = model(xb)
        t.append(time.perf_counter_ns())
        loss = F.cross_entropy(out, yb)
        t.append(time.perf_counter_ns())
        loss.backward()
        t.append(time.perf_counter_ns())
        opt.step()
        t.append(time.perf_counter_ns())
        opt.zero_grad()
        t.append(time.perf_counter_ns())
        loss.item()
        t.append(time.perf_counter_ns())
        for k in range(len(PHASES)):
            times[k][it] = t[k + 1] - t[k]
    print(f'torch {torch.__version__}, threads {torch.get_num_threads()}, BLAS {common.blas_in_use()}, steps {args.steps}')
    total = 0.0
    for k, name in enumerate(PHASES):
        kept = sorted(times[k][args.steps // 4:])
        mean = sum(kept) / len(kept) / 1e3
        total += mean
        print(f'phase={name} median_us={kept[len(kept) // 2] / 1e3:.1f} mean_us={mean:.1f}')
    print(f'total_us={total:.1f}')


if __name__ == '__main__':
    main()
