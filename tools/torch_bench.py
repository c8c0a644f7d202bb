#!/usr/bin/env python3
"""The standard workload of `bench` in PyTorch, written the way its tutorials
train a network: 784-128-64-10, ReLU, softmax cross-entropy, float64, plain
SGD, one epoch over the 60,000 MNIST training images, with autograd.

    python3 tools/torch_bench.py [data/mnist] [--batch 32,128] [--repeat 3] [--threads N] [--json FILE]
                                                     (Debian: apt-get install python3-torch)
"""
import argparse

import torch

from numpy_bench import find, installed_from, read_idx, time_epochs, write_json


def epoch(x, y, model, optimiser, batch):
    loss_function = torch.nn.CrossEntropyLoss()
    for idx in torch.randperm(len(x)).split(batch):
        optimiser.zero_grad(set_to_none=True)
        loss_function(model(x[idx]), y[idx]).backward()
        optimiser.step()


def main():
    parser = argparse.ArgumentParser(description="The standard training workload in PyTorch")
    parser.add_argument("data_dir", nargs="?", default="data/mnist")
    parser.add_argument("--batch", default="32,128", help="batch sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="epochs timed per batch size; the median is printed")
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads (0: PyTorch's default)")
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to this file")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    images = read_idx(find(args.data_dir, "train-images-idx3-ubyte")).reshape(60000, 784)
    x = torch.from_numpy(images.astype("float64") / 255.0)
    y = torch.from_numpy(read_idx(find(args.data_dir, "train-labels-idx1-ubyte")).astype("int64"))
    torch.manual_seed(42)
    print(f"torch {torch.__version__}, float64, {torch.get_num_threads()} threads")
    record = {"program": "torch", "version": torch.__version__, "installed_from": installed_from(torch),
              "threads": torch.get_num_threads(), "repeat": args.repeat, "train": []}
    for batch in (int(b) for b in args.batch.split(",")):
        model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64),
                                    torch.nn.ReLU(), torch.nn.Linear(64, 10)).double()
        optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
        epoch(x[:batch * 50], y[:batch * 50], model, optimiser, batch)  # warm-up
        record["train"].append(time_epochs(batch, args.repeat, lambda: epoch(x, y, model, optimiser, batch)))
    if args.json:
        write_json(args.json, record)


if __name__ == "__main__":
    main()
