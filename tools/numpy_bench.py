#!/usr/bin/env python3
"""The standard workload of `bench`, written the way a careful NumPy user
would, to compare the two side by side on the same machine:
784-128-64-10, ReLU, softmax cross-entropy, float64, plain SGD, one epoch over
the 60,000 MNIST training images at batch 32 and 128.

    python3 tools/numpy_bench.py [data/mnist] [--batch 32,128] [--repeat 3] [--json FILE]
                                                     (Debian: apt-get install python3-numpy)

The BLAS threads are OpenBLAS's default (all cores) unless OPENBLAS_NUM_THREADS
says otherwise; tools/speed_side_by_side runs it both ways next to `bench`.
`--json FILE` writes the version, the threads and every epoch's seconds.
"""
import argparse
import gzip
import json
import os
import statistics
import sys
import time

import numpy as np


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def find(directory, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    sys.exit(f"{stem} not found in {directory}: run ./course setup")


def installed_from(module):
    """Where a module comes from: Debian's package, or another installation (pip, conda, a build)."""
    debian = os.path.join(os.sep, "usr", "lib", "python3", "dist-packages") + os.sep
    return "Debian package" if os.path.abspath(module.__file__).startswith(debian) else "not Debian's package"


def time_epochs(batch, repeat, run_epoch):
    """Seconds of `repeat` epochs at this batch size, printed as their median; returns them as JSON."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run_epoch()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"epoch 784-128-64-10, batch {batch}, 60000 images  {median:.3f} s  ({60000 / median:.0f} images/s)")
    return {"batch": batch, "epoch_seconds": times, "median_epoch_seconds": median}


def write_json(path, record):
    with open(path, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")


def epoch(x, y, params, batch, rate, rng):
    w1, b1, w2, b2, w3, b3 = params
    order = rng.permutation(len(x))
    for start in range(0, len(x), batch):
        idx = order[start:start + batch]
        xb, yb = x[idx], y[idx]
        n = len(idx)
        z1 = xb @ w1 + b1
        a1 = np.maximum(z1, 0.0)
        z2 = a1 @ w2 + b2
        a2 = np.maximum(z2, 0.0)
        z3 = a2 @ w3 + b3
        z3 -= z3.max(axis=1, keepdims=True)
        p = np.exp(z3)
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(n), yb] -= 1.0
        p /= n
        gw3 = a2.T @ p
        gb3 = p.sum(axis=0)
        d2 = p @ w3.T
        d2 *= z2 > 0
        gw2 = a1.T @ d2
        gb2 = d2.sum(axis=0)
        d1 = d2 @ w2.T
        d1 *= z1 > 0
        gw1 = xb.T @ d1
        gb1 = d1.sum(axis=0)
        for param, grad in ((w1, gw1), (b1, gb1), (w2, gw2), (b2, gb2), (w3, gw3), (b3, gb3)):
            param -= rate * grad


def main():
    parser = argparse.ArgumentParser(description="The standard training workload in NumPy")
    parser.add_argument("data_dir", nargs="?", default="data/mnist")
    parser.add_argument("--batch", default="32,128", help="batch sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="epochs timed per batch size; the median is printed")
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to this file")
    args = parser.parse_args()
    directory = args.data_dir
    x = read_idx(find(directory, "train-images-idx3-ubyte")).reshape(60000, 784).astype(np.float64) / 255.0
    y = read_idx(find(directory, "train-labels-idx1-ubyte")).astype(np.int64)
    rng = np.random.default_rng(42)
    print(f"numpy {np.__version__}, float64, one sample per row")
    record = {"program": "numpy", "version": np.__version__, "installed_from": installed_from(np),
              "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),  # None: all cores
              "repeat": args.repeat, "train": []}
    for batch in (int(b) for b in args.batch.split(",")):
        params = [rng.standard_normal((784, 128)) * np.sqrt(2 / 784), np.zeros(128),
                  rng.standard_normal((128, 64)) * np.sqrt(2 / 128), np.zeros(64),
                  rng.standard_normal((64, 10)) * np.sqrt(2 / 64), np.zeros(10)]
        epoch(x[:batch * 50], y[:batch * 50], params, batch, 0.01, rng)  # warm-up
        record["train"].append(time_epochs(batch, args.repeat, lambda: epoch(x, y, params, batch, 0.01, rng)))
    if args.json:
        write_json(args.json, record)


if __name__ == "__main__":
    main()
