"""Writes padded_cnn.pt, the TorchScript CNN of PyTorchCrossCheckIT's convolution-gradient check:
conv1 1->8 3x3 pad 1, ReLU, max pool 2x2; conv2 8->8 3x3 pad 1 (8 output channels: oneDNN pads them
to 16, and libtorch 2.7.1's oneDNN gets this convolution's input gradient wrong), ReLU, max pool 2x2;
flatten; fc 8*7*7 -> 10. PyTorch's default init after torch.manual_seed(0), torch.jit.script.

usage: /usr/bin/python3 engine-djl/src/test/python/export_padded_cnn.py
"""

import os
import sys

# torch.jit.script writes a module's constants in Python set order: fix the hash seed so that a
# re-run writes the same bytes.
if __name__ == '__main__' and os.environ.get('PYTHONHASHSEED') != '0':
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED='0'))

import torch  # noqa: E402
from torch import nn  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'dev', 'stride', 'engine', 'djl',
                   'padded_cnn.pt')


class PaddedCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(8, 8, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(8 * 7 * 7, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc(torch.flatten(x, 1))


def main():
    torch.manual_seed(0)
    torch.jit.script(PaddedCnn()).save(OUT)
    print('wrote', os.path.normpath(OUT), os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()
