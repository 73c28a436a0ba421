#!/usr/bin/env python3
"""PyTorch reference figures for the tabular datasets of this folder (plain PyTorch, no sklearn).

Reads <name>_train.csv / <name>_test.csv (written by make_tabular.py). Features are standardised
with the train split's mean and (population, ddof=0) standard deviation; the test split uses the
train statistics. A column with zero spread would be divided by 1 instead.

(a) classifiers, iris / wine / breast_cancer: Linear(d, 32), ReLU, Linear(32, classes), PyTorch's
    default nn.Linear init, cross-entropy, Adam lr 0.01 (default betas, no weight decay), batch 16
    shuffled each epoch, 100 epochs, last batch kept even if smaller. Class indices follow the
    class names sorted alphabetically. Reports test accuracy after the last epoch.
(b) regressor, diabetes: Linear(10, 64), ReLU, Linear(64, 1), MSE, Adam lr 0.001, batch 32, 60
    epochs (--reg-lr, --reg-epochs; lr 0.01 for 200 epochs overfits: mean test R^2 -0.05). The TARGET IS STANDARDISED too (train mean/std) for training; predictions are mapped
    back to the original units before R^2, MAE and RMSE on the test split are computed.

Each run: torch.manual_seed(seed) before the model is built, and a torch.Generator seeded with
the same seed for the per-epoch shuffles. Seeds 1..5; prints one line per seed, then the mean
(and the population std over seeds). For diabetes it also prints an ordinary-least-squares fit on
the same split as a yardstick.

usage: /usr/bin/python3 data/tabular/torch_reference.py [--data DIR] [--seeds 1 2 3 4 5] [--threads 1]
"""

import argparse
import csv
import os
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSIFIERS = ('iris', 'wine', 'breast_cancer')


def read_csv(path):
    with open(path, newline='', encoding='utf-8') as f:
        r = csv.reader(f)
        header = next(r)
        rows = [row for row in r if row]
    assert header[-1] == 'target', path
    x = np.array([[float(v) for v in row[:-1]] for row in rows], dtype=np.float64)
    y = [row[-1] for row in rows]
    return header[:-1], x, y


def standardise(train, test):
    mean = train.mean(axis=0)
    std = train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (train - mean) / std, (test - mean) / std, mean, std


def batches(n, batch_size, gen):
    order = torch.randperm(n, generator=gen)
    for i in range(0, n, batch_size):
        yield order[i:i + batch_size]


def mlp(d_in, hidden, d_out):
    return nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, d_out))


def train(model, x, y, loss_fn, lr, batch_size, epochs, gen):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        for idx in batches(len(x), batch_size, gen):
            loss = loss_fn(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return loss.item()


def classify(data, name, seed):
    _, xtr, ytr_names = read_csv(os.path.join(data, f'{name}_train.csv'))
    _, xte, yte_names = read_csv(os.path.join(data, f'{name}_test.csv'))
    classes = sorted(set(ytr_names))
    index = {c: i for i, c in enumerate(classes)}
    xtr, xte, _, _ = standardise(xtr, xte)
    xtr = torch.tensor(xtr, dtype=torch.float32)
    xte = torch.tensor(xte, dtype=torch.float32)
    ytr = torch.tensor([index[c] for c in ytr_names])
    yte = torch.tensor([index[c] for c in yte_names])
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = mlp(xtr.shape[1], 32, len(classes))
    last = train(model, xtr, ytr, nn.CrossEntropyLoss(), 0.01, 16, 100, gen)
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
        correct = int((model(xte).argmax(1) == yte).sum())
    return {'acc': acc, 'correct': correct, 'n': len(yte), 'last_loss': last}


def regress(data, seed, lr=0.001, epochs=60):
    _, xtr, ytr = read_csv(os.path.join(data, 'diabetes_train.csv'))
    _, xte, yte = read_csv(os.path.join(data, 'diabetes_test.csv'))
    ytr = np.array([float(v) for v in ytr])
    yte = np.array([float(v) for v in yte])
    xtr, xte, _, _ = standardise(xtr, xte)
    ymean, ystd = ytr.mean(), ytr.std()
    xtr = torch.tensor(xtr, dtype=torch.float32)
    xte = torch.tensor(xte, dtype=torch.float32)
    ytr_s = torch.tensor((ytr - ymean) / ystd, dtype=torch.float32).unsqueeze(1)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = mlp(xtr.shape[1], 64, 1)
    last = train(model, xtr, ytr_s, nn.MSELoss(), lr, 32, epochs, gen)
    with torch.no_grad():
        pred = model(xte).squeeze(1).double().numpy() * ystd + ymean
    err = pred - yte
    r2 = 1.0 - np.sum(err ** 2) / np.sum((yte - yte.mean()) ** 2)
    return {'r2': r2, 'mae': np.abs(err).mean(), 'rmse': np.sqrt((err ** 2).mean()), 'last_loss': last}


def ols_baseline(data):
    """Closed-form linear regression with intercept on the raw features: a yardstick, not a peer."""
    _, xtr, ytr = read_csv(os.path.join(data, 'diabetes_train.csv'))
    _, xte, yte = read_csv(os.path.join(data, 'diabetes_test.csv'))
    ytr = np.array([float(v) for v in ytr])
    yte = np.array([float(v) for v in yte])
    w = np.linalg.lstsq(np.c_[xtr, np.ones(len(xtr))], ytr, rcond=None)[0]
    err = np.c_[xte, np.ones(len(xte))] @ w - yte
    r2 = 1.0 - np.sum(err ** 2) / np.sum((yte - yte.mean()) ** 2)
    return {'r2': r2, 'mae': np.abs(err).mean(), 'rmse': np.sqrt((err ** 2).mean())}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', default=HERE)
    p.add_argument('--seeds', type=int, nargs='+', default=[1, 2, 3, 4, 5])
    p.add_argument('--reg-lr', type=float, default=0.001, help='the regressor\'s Adam lr (0.01 overfits)')
    p.add_argument('--reg-epochs', type=int, default=60, help='the regressor\'s epochs (200 overfits)')
    p.add_argument('--threads', type=int, default=1, help='torch.set_num_threads (tiny models: 1 is fastest)')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    print(f'torch {torch.__version__}, threads {torch.get_num_threads()}, seeds {a.seeds}')
    for name in CLASSIFIERS:
        print(f'{name}: MLP [32] ReLU, Adam 0.01, batch 16, 100 epochs, CE; test accuracy')
        accs = []
        for s in a.seeds:
            r = classify(a.data, name, s)
            accs.append(r['acc'])
            print(f'  seed {s}: acc={r["acc"]:.4f} ({r["correct"]}/{r["n"]})  last train batch loss {r["last_loss"]:.4f}')
        print(f'  mean acc={np.mean(accs):.4f} (std {np.std(accs):.4f})')
    print(f'diabetes: MLP [64] ReLU, Adam {a.reg_lr}, batch 32, {a.reg_epochs} epochs, MSE on the standardised target; '
          'test metrics in original units')
    rs = []
    for s in a.seeds:
        r = regress(a.data, s, a.reg_lr, a.reg_epochs)
        rs.append(r)
        print(f'  seed {s}: r2={r["r2"]:.4f} mae={r["mae"]:.2f} rmse={r["rmse"]:.2f}  '
              f'last train batch loss {r["last_loss"]:.4f}')
    m = {k: np.mean([r[k] for r in rs]) for k in ('r2', 'mae', 'rmse')}
    print(f'  mean r2={m["r2"]:.4f} (std {np.std([r["r2"] for r in rs]):.4f}) mae={m["mae"]:.2f} rmse={m["rmse"]:.2f}')
    b = ols_baseline(a.data)
    print(f'  for scale, ordinary least squares (numpy lstsq, same split): r2={b["r2"]:.4f} '
          f'mae={b["mae"]:.2f} rmse={b["rmse"]:.2f}')
    print(f'time {time.perf_counter() - t0:.1f} s')


if __name__ == '__main__':
    main()
