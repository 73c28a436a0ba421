#!/usr/bin/env python3
"""Data-parallel PyTorch on this machine: the peer of Stride's Spark runs (2 ranks, loopback).

What a PyTorch user runs instead of `./stride train <job> --set dist.type=spark --set
dist.workers=2`: N processes (torch.multiprocessing), gloo over 127.0.0.1, one intra-op thread
per rank (as Stride gives each Spark rank), the job's model, optimizer and batch per rank
(the MLP reference job or LeNet; global batch = batch x ranks, each epoch's seeded permutation
cut into global batches, rank r taking the r-th part of each; the MLP job's step schedule), 4 epochs
by default.

Two ways to all-reduce the gradients (--mode):
- manual (default): after backward, the gradients are copied into one flat buffer, summed by
  one dist.all_reduce, divided by the number of ranks and copied back, then SGD steps. This is
  what Stride's gradient-allreduce hook does, so the two are timed alike: `allreduce` runs from
  the copy into the buffer to the end of the copy back (the wait for the slower rank included).
- ddp: torch.nn.parallel.DistributedDataParallel (its buckets are all-reduced by gloo's
  thread while backward still runs); only the iteration is timed.
--split-wait (manual) first all-reduces one float, which returns when both ranks reach it: its
time is the wait for the slower rank, and the gradients' allreduce after it is the transfer.

Rank 0 prints one line:
  ranks=2 mode=manual iters=<n> iter_ms=<median> allreduce_ms=<median> share=<allreduce/iter>
  [wait_ms=<median> transfer_ms=<median>] samples_per_s=<global samples / train seconds>
  acc=<val top-1 after the last epoch>
An iteration runs from the end of the previous one to the end of its SGD step (batch slicing,
forward, loss, backward, allreduce, step, reading the loss), as Stride's rank report measures it
(from one iteration's allreduce to the next one's).
"""

import os
import socket
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.multiprocessing as mp  # noqa: E402
from torch import nn  # noqa: E402

import common  # noqa: E402

JOBS = {
    # job: (lr, momentum, weight decay)
    'mlp': (0.1, 0.9, 1e-4),
    'lenet': (0.05, 0.9, 5e-4),
}


def build(job):
    if job == 'mlp':
        return common.build_mlp('stride')
    from torch_lenet import build_lenet
    return build_lenet('stride')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def rank_main(rank, args, port):
    os.environ['MASTER_ADDR'] = '127.0.0.1'
    os.environ['MASTER_PORT'] = str(port)
    dist.init_process_group('gloo', rank=rank, world_size=args.ranks)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    xtr, ytr = common.load_split(args.data_root, 'train')
    xva, yva = common.load_split(args.data_root, 't10k')
    model = build(args.job)
    # every rank starts from rank 0's weights, as Stride's ranks do
    for p in model.parameters():
        dist.broadcast(p.data, 0)
    lr, momentum, wd = JOBS[args.job]
    net = nn.parallel.DistributedDataParallel(model) if args.mode == 'ddp' else model
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, weight_decay=wd)
    # the MLP job's step schedule (lr x 0.1 from epoch 4); LeNet's (from iteration 1000) is past these epochs
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[3] if args.job == 'mlp' else [], gamma=0.1)
    params = [p for p in model.parameters()]
    flat = torch.zeros(sum(p.numel() for p in params))
    one = torch.zeros(1)

    iter_times, reduce_times, wait_times, transfer_times = [], [], [], []
    samples = 0
    global_batch = args.batch_size * args.ranks
    n = len(ytr)
    for epoch in range(args.epochs):
        model.train()
        g = torch.Generator()
        g.manual_seed(args.seed * 1000003 + epoch)
        order = torch.randperm(n, generator=g)
        t = common.now()
        for start in range(0, n - global_batch + 1, global_batch):
            idx = order[start + rank * args.batch_size:start + (rank + 1) * args.batch_size]
            x, y = xtr[idx], ytr[idx]
            loss = criterion(net(x), y)
            optimizer.zero_grad()
            loss.backward()
            if args.mode == 'manual':
                r0 = common.now()
                if args.split_wait:
                    dist.all_reduce(one)
                    r1 = common.now()
                    wait_times.append(r1 - r0)
                else:
                    r1 = r0
                offset = 0
                for p in params:
                    k = p.numel()
                    flat[offset:offset + k].copy_(p.grad.view(-1))
                    offset += k
                dist.all_reduce(flat)
                flat.div_(args.ranks)
                offset = 0
                for p in params:
                    k = p.numel()
                    p.grad.view(-1).copy_(flat[offset:offset + k])
                    offset += k
                r2 = common.now()
                reduce_times.append(r2 - r0)
                if args.split_wait:
                    transfer_times.append(r2 - r1)
            optimizer.step()
            loss.item()
            t2 = common.now()
            iter_times.append(t2 - t)
            t = t2
            samples += global_batch
        scheduler.step()
    train_time = sum(iter_times)

    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(yva), 500):
            correct += (model(xva[i:i + 500]).argmax(1) == yva[i:i + 500]).sum().item()
    if rank == 0:
        ms = lambda xs: statistics.median(xs) * 1e3  # noqa: E731
        line = (f'ranks={args.ranks} job={args.job} mode={args.mode} iters={len(iter_times)} '
                f'iter_ms={ms(iter_times):.3f}')
        if reduce_times:
            line += (f' allreduce_ms={ms(reduce_times):.3f} '
                     f'share={statistics.median(reduce_times) / statistics.median(iter_times):.3f}')
        if wait_times:
            line += f' wait_ms={ms(wait_times):.3f} transfer_ms={ms(transfer_times):.3f}'
        line += f' samples_per_s={samples / train_time:.0f} acc={correct / len(yva):.4f}'
        print(line, flush=True)
    dist.destroy_process_group()


def main():
    p = common.common_args(__doc__.splitlines()[0])
    p.add_argument('--job', choices=sorted(JOBS), default='mlp')
    p.add_argument('--ranks', type=int, default=2)
    p.add_argument('--mode', choices=['manual', 'ddp'], default='manual')
    p.add_argument('--split-wait', action='store_true')
    p.set_defaults(threads=1, data_root=os.path.join(HERE, os.pardir, os.pardir, 'data', 'mnist-10k'))
    args = p.parse_args()
    mp.spawn(rank_main, args=(args, free_port()), nprocs=args.ranks, join=True)


if __name__ == '__main__':
    main()
