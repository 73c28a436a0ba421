#!/usr/bin/env python3
"""Regenerates the tabular CSVs of this folder from the data files Debian's python3-sklearn ships.

For each of iris, wine, breast_cancer (classification) and diabetes (regression, raw unscaled
values) it writes, next to this script:
  <name>.csv        all rows, in the package's original order
  <name>_train.csv  80 % of the rows } sklearn.model_selection.train_test_split(test_size=0.2,
  <name>_test.csv   20 % of the rows }   random_state=0, shuffle=True, stratify=y for classifiers)
Each file is UTF-8, '\n' line ends, one header row of snake_case feature names, last column
`target` (a class name for the classifiers, the numeric disease-progression value for diabetes).
Feature values are copied as the exact text of the package's CSV (no float re-formatting).

Also checks that the values equal what sklearn.datasets.load_<name>() returns.

usage: /usr/bin/python3 data/tabular/make_tabular.py [--out DIR]
"""

import argparse
import csv
import gzip
import io
import os
import re

import numpy as np
import sklearn
from sklearn import datasets
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_DATA = os.path.join(os.path.dirname(datasets.__file__), 'data')
SEED = 0
TEST_SIZE = 0.2

# Diabetes: sklearn's feature_names are age, sex, bmi, bp, s1..s6; the descr file says what the
# six serum measurements are, so the column names carry both.
DIABETES_NAMES = ['age', 'sex', 'bmi', 'bp', 's1_tc', 's2_ldl', 's3_hdl', 's4_tch', 's5_ltg', 's6_glu']


def snake(name):
    """'sepal length (cm)' -> 'sepal_length_cm', 'od280/od315_of_diluted_wines' -> 'od280_od315_of_diluted_wines'."""
    return re.sub(r'[^0-9a-z]+', '_', name.lower()).strip('_')


def read_sklearn_csv(filename):
    """The package's classifier CSVs: a first line 'n_samples,n_features,class names...', then
    rows of n_features values and an integer class index. Returns (rows of str, labels, class names)."""
    with open(os.path.join(PKG_DATA, filename), newline='', encoding='utf-8') as f:
        r = csv.reader(f)
        head = next(r)
        n, d = int(head[0]), int(head[1])
        classes = head[2:]
        rows, labels = [], []
        for row in r:
            if not row:
                continue
            rows.append([v.strip() for v in row[:d]])
            labels.append(int(row[d]))
    assert len(rows) == n, (filename, len(rows), n)
    return rows, np.array(labels), classes


def load_classifier(name):
    filename, loader = {
        'iris': ('iris.csv', datasets.load_iris),
        'wine': ('wine_data.csv', datasets.load_wine),
        'breast_cancer': ('breast_cancer.csv', datasets.load_breast_cancer),
    }[name]
    rows, labels, classes = read_sklearn_csv(filename)
    bunch = loader()
    # the text we copy is the data sklearn itself loads
    assert np.array_equal(np.array(rows, dtype=np.float64), bunch.data), name
    assert np.array_equal(labels, bunch.target), name
    assert list(classes) == list(bunch.target_names), (classes, bunch.target_names)
    header = [snake(f) for f in bunch.feature_names]
    assert len(set(header)) == len(header)
    targets = [classes[i] for i in labels]
    return header, rows, targets, labels, True


def load_diabetes():
    with gzip.open(os.path.join(PKG_DATA, 'diabetes_data_raw.csv.gz'), 'rt', encoding='utf-8') as f:
        rows = [line.split() for line in f if line.strip()]
    with gzip.open(os.path.join(PKG_DATA, 'diabetes_target.csv.gz'), 'rt', encoding='utf-8') as f:
        y = np.array([float(line) for line in f if line.strip()])
    bunch = datasets.load_diabetes(scaled=False)
    assert np.array_equal(np.array(rows, dtype=np.float64), bunch.data)
    assert np.array_equal(y, bunch.target)
    assert [n.split('_')[0] for n in DIABETES_NAMES] == list(bunch.feature_names)
    targets = [str(int(v)) if float(v).is_integer() else repr(float(v)) for v in y]
    return list(DIABETES_NAMES), rows, targets, y, False


def write_csv(path, header, rows, targets, order):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\n')
    w.writerow(header + ['target'])
    for i in order:
        w.writerow(rows[i] + [targets[i]])
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(buf.getvalue())
    return len(order), len(header) + 1


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default=HERE)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    print(f'scikit-learn {sklearn.__version__} from {PKG_DATA}')
    for name in ('iris', 'wine', 'breast_cancer', 'diabetes'):
        header, rows, targets, y, classify = load_diabetes() if name == 'diabetes' else load_classifier(name)
        idx = np.arange(len(rows))
        tr, te = train_test_split(idx, test_size=TEST_SIZE, random_state=SEED, shuffle=True,
                                  stratify=y if classify else None)
        for suffix, order in (('', idx), ('_train', tr), ('_test', te)):
            path = os.path.join(a.out, f'{name}{suffix}.csv')
            n, c = write_csv(path, header, rows, targets, order)
            extra = ''
            if classify:
                counts = {}
                for i in order:
                    counts[targets[i]] = counts.get(targets[i], 0) + 1
                extra = '  ' + ', '.join(f'{k} {v}' for k, v in sorted(counts.items()))
            print(f'{os.path.basename(path):28s} {n:4d} rows x {c:2d} columns{extra}')


if __name__ == '__main__':
    main()
