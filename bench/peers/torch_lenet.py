#!/usr/bin/env python3
"""Stride's LeNet job (examples/mnist/lenet_iter.conf) as a plain PyTorch training loop.

LeNet-5 as Stride's `lenet` model builds it (channels [6, 16], hidden [120, 84]): conv 5x5
padding 2 with 6 filters, ReLU, max pool 2x2; conv 5x5 (no padding) with 16 filters, ReLU, max
pool 2x2; flatten; Linear 16*5*5-120, ReLU, Linear 120-84, ReLU, Linear 84-10. SGD lr 0.05
momentum 0.9 weight decay 5e-4, batch 64 shuffled, val batch 500.

The job's iteration runner (1,500 iterations; workflow [[train, 250], [val, 4]]; lr x 0.1 from
iteration 1000 on, by-epoch = false; a checkpoint every 500 iterations) becomes an epoch loop:
8,000 / 64 = 125 iterations per epoch, 12 epochs = 1,500 iterations; the learning rate is a
MultiStepLR stepped after every iteration (milestone 1000, so iterations 1001-1500 run at 0.005);
the 2,000 val images (4 batches of 500) are evaluated after every 250 iterations, i.e. after every
2nd epoch; a checkpoint (model + optimizer) after iterations 500, 1000 and 1500. A log line every
50 iterations of an epoch, as torch_loop.py.

Prints the val loss and top-1 accuracy after each validation, then one line:
  samples_per_s=<train samples / seconds spent in train iterations> acc=<last val top-1> wall=<s>
measured exactly as torch_loop.py does (MMCV IterTimerHook semantics: from the end of the previous
iteration, or the start of the epoch's batch loop, to the end of this one; wall from the first
line of the script, before torch is imported, to the end).

--init stride (default, as torch_loop.py): every conv and linear weight N(0, sqrt(2 / fan_in)),
fan_in = in_channels * kh * kw for a conv (DJL 0.36's default weight initializer
XavierInitializer(GAUSSIAN, IN, 2), which Stride's lenet keeps), every bias 0. --init torch keeps
PyTorch's default nn.Conv2d / nn.Linear init.
"""

import time

T0 = time.perf_counter()  # wall starts before torch is imported

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402
from torch import nn  # noqa: E402

import common  # noqa: E402

# common.py's default --data-root is ../../main/data/mnist-10k (right for shared/peers); from
# bench/peers of the Stride checkout the bundled data is ../../data/mnist-10k.
CHECKOUT_DATA = os.path.join(HERE, os.pardir, os.pardir, 'data', 'mnist-10k')


def build_lenet(init, channels=(6, 16), hidden=(120, 84), classes=10, in_channels=1, size=28):
    h = (size // 2 - 4) // 2  # as Stride's LeNetProvider: 28 -> 28 (pad 2) -> 14 -> 10 -> 5
    layers = [nn.Conv2d(in_channels, channels[0], 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
              nn.Conv2d(channels[0], channels[1], 5), nn.ReLU(), nn.MaxPool2d(2, 2),
              nn.Flatten()]
    prev = channels[1] * h * h
    for n in hidden:
        layers += [nn.Linear(prev, n), nn.ReLU()]
        prev = n
    layers.append(nn.Linear(prev, classes))
    net = nn.Sequential(*layers)
    if init == 'stride':
        for m in net:
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()  # in_channels * kh * kw, or in_features
                nn.init.normal_(m.weight, 0.0, (2.0 / fan_in) ** 0.5)
                nn.init.zeros_(m.bias)
    return net


def main():
    p = common.common_args(__doc__.splitlines()[0])
    p.add_argument('--val-interval', type=int, default=250, help='validate after every N train iterations')
    p.add_argument('--ckpt-interval', type=int, default=500, help='checkpoint after every N train iterations')
    p.set_defaults(epochs=12, lr=0.05, momentum=0.9, weight_decay=5e-4, lr_steps=[1000])
    p._option_string_actions['--lr-steps'].help = 'ITERATIONS after which lr *= gamma (a per-iteration MultiStepLR)'
    p._option_string_actions['--epochs'].help = 'train epochs (125 iterations each with 8,000 images, batch 64)'
    if os.path.isdir(CHECKOUT_DATA):
        p.set_defaults(data_root=CHECKOUT_DATA)
    args = p.parse_args()
    threads = common.setup_torch(args.threads, args.seed)
    work_dir = common.work_dir_of(args.work_dir, 'torch_lenet_')

    xtr, ytr = common.load_split(args.data_root, 'train', args.mean, args.std)
    xva, yva = common.load_split(args.data_root, 't10k', args.mean, args.std)
    train_loader = common.make_loader(args.loader, xtr, ytr, args.batch_size, True, args.seed)
    val_loader = common.make_loader(args.loader, xva, yva, args.val_batch_size, False, args.seed)

    model = build_lenet(args.init)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum,
                                weight_decay=args.weight_decay)
    # stepped after every iteration: its "epoch" counter counts iterations
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=args.lr_steps, gamma=args.gamma)
    print(f'torch {torch.__version__}, threads {threads}, loader {args.loader}, init {args.init}, '
          f'train {len(ytr)}, val {len(yva)}, work dir {work_dir}', flush=True)
    print(f'blas: {common.blas_in_use()}', flush=True)
    json_log = open(os.path.join(work_dir, 'log.json'), 'w')

    train_time = 0.0
    train_samples = 0
    epoch_iter_times = []
    acc = float('nan')
    it = 0
    n_iters = len(train_loader)
    for epoch in range(args.epochs):
        # ---- train epoch
        model.train()
        it_start = it
        times, losses = [], []
        t = common.now()
        for i, (x, y) in enumerate(train_loader):
            lr = optimizer.param_groups[0]['lr']
            out = model(x)
            loss = criterion(out, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            losses.append(loss.item())
            it += 1
            train_samples += len(y)
            t2 = common.now()
            times.append(t2 - t)
            t = t2
            if (i + 1) % args.log_interval == 0:
                # as MMCV: the timer closes the iteration first, then the logger writes (its cost
                # falls into the next iteration's time)
                n = args.log_interval
                mean_time = sum(times[-n:]) / n
                rec = {'mode': 'train', 'epoch': epoch + 1, 'iter': it, 'lr': lr,
                       'time': round(mean_time, 5), 'loss': round(sum(losses[-n:]) / n, 4)}
                print(f'Epoch [{epoch + 1}][{i + 1}/{n_iters}]\tlr: {lr:.3e}, time: {mean_time:.4f}, '
                      f'loss: {rec["loss"]:.4f}', flush=True)
                json_log.write(json.dumps(rec) + '\n')
            if it % args.ckpt_interval == 0 and not args.no_checkpoint:
                # an iteration hook: its time counts in the next iteration, as in the iter runner
                torch.save({'meta': {'epoch': epoch + 1, 'iter': it}, 'state_dict': model.state_dict(),
                            'optimizer': optimizer.state_dict()}, os.path.join(work_dir, f'iter_{it}.pth'))
        train_time += sum(times)
        epoch_iter_times.append(times)

        # ---- val at the end of each epoch that reached a multiple of val_interval (with 125-iteration
        # epochs and 250: after epochs 2, 4, ..., 12), and after the last epoch in any case
        if it // args.val_interval == it_start // args.val_interval and epoch + 1 < args.epochs:
            continue
        model.eval()
        correct, total, loss_sum = 0, 0, 0.0
        with torch.no_grad():
            for x, y in val_loader:
                out = model(x)
                loss_sum += criterion(out, y).item() * len(y)
                correct += (out.argmax(1) == y).sum().item()
                total += len(y)
        acc = correct / total
        rec = {'mode': 'val', 'epoch': epoch + 1, 'iter': it, 'loss': round(loss_sum / total, 4),
               'accuracy': round(acc, 4)}
        json_log.write(json.dumps(rec) + '\n')
        print(f'Epoch(val) [{epoch + 1}][{len(val_loader)}]\titer: {it}, loss: {loss_sum / total:.4f}, '
              f'accuracy: {acc:.4f}', flush=True)

    json_log.close()
    logged = common.logged_interval_rate(epoch_iter_times, args.log_interval, args.batch_size)
    print(f'train_time={train_time:.3f} train_samples={train_samples} '
          f'logged_interval_samples_per_s={logged:.0f}', flush=True)
    wall = common.now() - T0
    print(f'samples_per_s={train_samples / train_time:.0f} acc={acc:.4f} wall={wall:.2f} '
          f'steady_samples_per_s={common.steady_rate(epoch_iter_times, args.batch_size):.0f}', flush=True)


if __name__ == '__main__':
    main()
