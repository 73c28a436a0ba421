#!/usr/bin/env python3
"""Builds small PyTorch models and saves them as TorchScript files, with a JSON description each.

  mnist_mlp.pt          traced   nn.Sequential(Flatten, Linear 784-256, ReLU, Linear 256-128, ReLU,
                                 Linear 128-10); He-normal weights (kaiming_normal_, fan_in, relu),
                                 zero biases, after torch.manual_seed(0)
  mnist_cnn.pt          traced   MnistCnn (below), PyTorch default init after torch.manual_seed(0)
  mnist_cnn_script.pt   scripted the same MnistCnn with the same initial weights (torch.jit.script)
  tabular_mlp.pt        traced   nn.Sequential(Linear 4-32, ReLU, Linear 32-3) for iris (4 features ->
                                 3 classes), PyTorch default init after torch.manual_seed(0)

Traced files are traced in eval mode on a batch-1 example input ([1, 1, 28, 28] or [1, 4]); they
accept any batch size. Each <name>.json gives the input shape, the state_dict entries in order
with their shapes (parameters and buffers told apart), and a check input/output pair.

After saving, every file is loaded back with torch.jit.load and its output compared with the
Python module's on random inputs (batch 1 and 7); the parameter and buffer names the loaded
modules report are printed.

usage: /usr/bin/python3 examples/torchscript/export.py [--out DIR] [--verify-only]
"""

import os
import sys

# torch.jit.script writes a module's constants in Python set order, which follows the string hash
# seed: fix it so that a re-run writes the same bytes.
if __name__ == '__main__' and os.environ.get('PYTHONHASHSEED') != '0':
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED='0'))

import argparse  # noqa: E402
import copy  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


class MnistCnn(nn.Module):
    """conv1 1->8 3x3 pad 1, bn1, ReLU, max pool 2x2; conv2 8->16 3x3 pad 1, ReLU, max pool 2x2;
    flatten; fc 16*7*7 -> 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(torch.relu(self.bn1(self.conv1(x))))
        x = self.pool(torch.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc(x)


def mnist_mlp():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                        nn.Linear(128, 10))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='relu')
            nn.init.zeros_(m.bias)
    return net


def mnist_cnn():
    torch.manual_seed(0)
    return MnistCnn()


def tabular_mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 3))


# name -> (builder, input shape, export method, description)
MODELS = {
    'mnist_mlp': (mnist_mlp, [1, 1, 28, 28], 'trace',
                  'MLP 784-256-128-10 (ReLU), He-normal weights (kaiming_normal_, fan_in, relu), zero biases, '
                  'torch.manual_seed(0)'),
    'mnist_cnn': (mnist_cnn, [1, 1, 28, 28], 'trace',
                  'CNN conv1(1->8,3x3,p1)-bn1-ReLU-maxpool2, conv2(8->16,3x3,p1)-ReLU-maxpool2, flatten, '
                  'fc(784->10); PyTorch default init, torch.manual_seed(0)'),
    'mnist_cnn_script': (mnist_cnn, [1, 1, 28, 28], 'script',
                         'the same CNN and initial weights as mnist_cnn, exported with torch.jit.script'),
    'tabular_mlp': (tabular_mlp, [1, 4], 'trace',
                    'MLP 4-32-3 (ReLU) for iris (4 standardised features -> 3 classes); PyTorch default init, '
                    'torch.manual_seed(0)'),
}


def check_input(shape):
    """A deterministic input anyone can rebuild: x[i] = (i % 17) / 16 over the flattened tensor."""
    n = 1
    for s in shape:
        n *= s
    return ((torch.arange(n) % 17).float() / 16).reshape(shape)


def export(name, out):
    build, shape, method, desc = MODELS[name]
    model = build().eval()
    example = torch.randn(shape, generator=torch.Generator().manual_seed(1))
    if method == 'trace':
        ts = torch.jit.trace(model, example)
    else:
        ts = torch.jit.script(model)
    path = os.path.join(out, f'{name}.pt')
    ts.save(path)
    sd = model.state_dict()
    param_names = {n for n, _ in model.named_parameters()}
    buffer_names = [n for n, _ in model.named_buffers()]
    with torch.no_grad():
        y = model(check_input(shape))
    info = {
        'name': name,
        'file': f'{name}.pt',
        'export': f'torch.jit.{method}' + (f' in eval mode on an example input of shape {shape}' if method == 'trace' else ''),
        'description': desc,
        'torch_version': torch.__version__,
        'input_shape': shape,
        'input_dtype': 'float32',
        'output_shape': list(y.shape),
        'parameters': [{'name': k, 'shape': list(v.shape)} for k, v in sd.items() if k in param_names],
        'buffers': [{'name': k, 'shape': list(sd[k].shape), 'dtype': str(sd[k].dtype).replace('torch.', '')}
                    for k in buffer_names],
        'state_dict_order': [{'name': k, 'kind': 'parameter' if k in param_names else 'buffer',
                              'shape': list(v.shape)} for k, v in sd.items()],
        'parameter_count': sum(p.numel() for p in model.parameters()),
        'check': {
            'input': 'x[i] = (i % 17) / 16 over the flattened input of input_shape, float32; model in eval mode',
            'output': [round(float(v), 6) for v in y.flatten()],
        },
        'sha256': hashlib.sha256(open(path, 'rb').read()).hexdigest(),
        'bytes': os.path.getsize(path),
    }
    text = json.dumps(info, indent=2)
    # lists of numbers (shapes, the check output) on one line
    text = re.sub(r'\[[-0-9.,e\s]*\]', lambda m: '[' + ', '.join(m.group(0)[1:-1].split()).replace(',,', ',') + ']', text)
    with open(os.path.join(out, f'{name}.json'), 'w', encoding='utf-8') as f:
        f.write(text + '\n')
    print(f'saved {path} ({info["bytes"]} bytes, {info["parameter_count"]} parameters)')


def verify(name, out):
    """Loads the file and compares it with a freshly built module; prints what the loaded module reports."""
    build, shape, method, _ = MODELS[name]
    model = build().eval()
    loaded = torch.jit.load(os.path.join(out, f'{name}.pt'))
    loaded.eval()
    g = torch.Generator().manual_seed(123)
    worst = 0.0
    with torch.no_grad():
        for batch in (1, 7):
            x = torch.randn([batch] + shape[1:], generator=g)
            a, b = model(x), loaded(x)
            assert a.shape == b.shape, (name, a.shape, b.shape)
            worst = max(worst, (a - b).abs().max().item())
    ok = worst <= 1e-6
    print(f'{name}.pt ({method}): torch.jit.load output vs module, eval, batches 1 and 7: '
          f'max |diff| = {worst:.3g} -> {"same" if ok else "DIFFERENT"}')
    if any(isinstance(m, nn.BatchNorm2d) for m in model.modules()):
        # train mode: BatchNorm normalises with the batch's own statistics (and updates its buffers)
        m2, l2 = copy.deepcopy(model).train(), torch.jit.load(os.path.join(out, f'{name}.pt'))
        l2.train()
        x = torch.randn([7] + shape[1:], generator=g)
        a, b = m2(x), l2(x)
        d = (a - b).abs().max().item()
        moved = (l2.bn1.running_mean.abs().sum().item() > 0)
        verdict = 'same' if d <= 1e-5 else (
            'DIFFERENT, as expected of a trace: BatchNorm stays in the mode it was traced in (eval)'
            if method == 'trace' else 'DIFFERENT')
        print(f'  train mode: max |diff| = {d:.3g} -> {verdict}; '
              f'loaded bn1.running_mean updated by a train-mode forward: {moved}')
        ok = ok and (d <= 1e-5 or method == 'trace')
    print(f'  named_parameters: {[n for n, _ in loaded.named_parameters()]}')
    print(f'  named_buffers:    {[n for n, _ in loaded.named_buffers()]}')
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default=HERE)
    p.add_argument('--verify-only', action='store_true')
    a = p.parse_args()
    torch.set_num_threads(1)
    print(f'torch {torch.__version__}')
    if not a.verify_only:
        for name in MODELS:
            export(name, a.out)
    results = [verify(name, a.out) for name in MODELS]
    if not all(results):
        raise SystemExit('verification failed')
    print('all files verified')


if __name__ == '__main__':
    main()
