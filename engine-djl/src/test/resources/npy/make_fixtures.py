#!/usr/bin/env python3
"""Writes the .npy / .npz fixtures of NpyDataTest with NumPy itself (this project's own script).

Run from this folder: /usr/bin/python3 make_fixtures.py
"""
import numpy as np

x = np.arange(6 * 2 * 3, dtype=np.float64).reshape(6, 2, 3) / 4 - 2   # exact in float32 too
y = np.array([0, 2, 1, 2, 0, 1], dtype=np.int64)

np.save('x_f4.npy', x.astype(np.float32))
np.save('x_f8.npy', x)
np.save('x_u1.npy', (x * 4 + 8).astype(np.uint8))
np.save('x_i4.npy', (x * 4).astype(np.int32))
np.save('x_b1.npy', x > 0)
np.save('x_be.npy', x.astype('>f4'))
np.save('y_i8.npy', y)
np.save('y_u1.npy', y.astype(np.uint8))
np.save('y_reg.npy', np.stack([y * 1.5, -y.astype(np.float64)], axis=1))   # [6, 2] float64
np.save('y_float_labels.npy', y.astype(np.float32))
np.save('y_five.npy', y[:5])
np.savez('data.npz', x=x.astype(np.float32), y=y)
np.savez_compressed('data_compressed.npz', inputs=x.astype(np.float32), labels=y)
with open('x_v2.npy', 'wb') as f:
    np.lib.format.write_array(f, x.astype(np.float32), version=(2, 0))
np.save('fortran.npy', np.asfortranarray(x.astype(np.float32)))
np.save('complex.npy', x.astype(np.complex64))
np.save('structured.npy', np.zeros(3, dtype=[('a', '<f4'), ('b', '<i4')]))
whole = open('x_f4.npy', 'rb').read()
open('truncated.npy', 'wb').write(whole[:-10])
open('trailing.npy', 'wb').write(whole + b'\0\0\0\0')
open('not_npy.npy', 'wb').write(b'x,y\n1,2\n')
