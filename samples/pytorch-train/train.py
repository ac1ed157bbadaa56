#!/usr/bin/env python3
"""A small real training job with a deliberately slow input pipeline, to profile with Throughline.

A CNN learns to classify synthetic 32x32 RGB images (10 classes; each class is a colour pattern
plus noise, so the loss really goes down). The input pipeline is slow on purpose:

  --transform-ms M      per-sample read latency (a sleep): workers overlap it without competing
                        for the CPU, so --workers N hides it
  --transform-cpu-ms C  per-sample CPU work (a busy loop): workers only help with free cores

It measures its own data waiting (time spent in ``next()`` on the DataLoader iterator) and step
times, prints them at the end, and writes them as JSON with --metrics-out, so a capture can be
checked against what the loop saw. Nothing here knows about Throughline.

    /usr/bin/python3 samples/pytorch-train/train.py --workers 0 --transform-ms 5 --steps 20
"""

import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

NUM_CLASSES = 10


class SyntheticImages(Dataset):
    """Deterministic synthetic images: sample i depends only on (seed, i)."""

    def __init__(self, length, image_size, transform_ms, transform_cpu_ms, seed):
        self.length = length
        self.image_size = image_size
        self.transform_s = transform_ms / 1000.0
        self.transform_cpu_s = transform_cpu_ms / 1000.0
        self.seed = seed
        g = torch.Generator().manual_seed(seed)
        # one prototype pattern per class
        self.prototypes = torch.randn(NUM_CLASSES, 3, image_size, image_size, generator=g)

    def __len__(self):
        return self.length

    def __getitem__(self, index):
        if self.transform_s > 0:
            time.sleep(self.transform_s)  # "read latency": disk, network, decode wait
        if self.transform_cpu_s > 0:
            _busy_cpu(self.transform_cpu_s)  # "augmentation": pure CPU work
        g = torch.Generator().manual_seed(self.seed * 1000003 + index)
        label = int(torch.randint(NUM_CLASSES, (1,), generator=g))
        image = self.prototypes[label] + 0.8 * torch.randn(3, self.image_size, self.image_size,
                                                           generator=g)
        return image, label


def _busy_cpu(seconds):
    """Burns this much CPU time of the calling thread (not wall time)."""
    end = time.thread_time() + seconds
    x = 0.0
    while time.thread_time() < end:
        for i in range(200):
            x += math.sqrt(i + x % 7.0)
    return x


class SmallCNN(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 3, padding=1)
        self.conv2 = nn.Conv2d(width, 2 * width, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(2 * width)
        self.head = nn.Linear(2 * width, NUM_CLASSES)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.head(x)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workers", type=int, default=0, help="DataLoader num_workers (default 0)")
    p.add_argument("--transform-ms", type=float, default=0.0,
                   help="per-sample read latency in ms, a sleep (default 0)")
    p.add_argument("--transform-cpu-ms", type=float, default=0.0,
                   help="per-sample busy CPU work in ms (default 0)")
    p.add_argument("--batch", type=int, default=16, help="batch size (default 16)")
    p.add_argument("--steps", type=int, default=30, help="training steps (default 30)")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    p.add_argument("--image-size", type=int, default=32)
    p.add_argument("--width", type=int, default=16, help="channels of the first conv (default 16)")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--pin-memory", action="store_true", help="DataLoader pin_memory=True")
    p.add_argument("--prefetch-factor", type=int, default=None,
                   help="DataLoader prefetch_factor (with --workers > 0)")
    p.add_argument("--persistent-workers", action="store_true")
    p.add_argument("--metrics-out", metavar="FILE",
                   help="write the loop's own measurements as JSON to FILE")
    args = p.parse_args(argv)
    if args.steps < 1 or args.batch < 1 or args.workers < 0:
        p.error("--steps and --batch must be >= 1, --workers >= 0")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("train.py: --device cuda but torch.cuda.is_available() is False "
                 "(torch %s)" % torch.__version__)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)

    dataset = SyntheticImages(args.steps * args.batch, args.image_size, args.transform_ms,
                              args.transform_cpu_ms, args.seed)
    loader_kwargs = dict(batch_size=args.batch, shuffle=True, num_workers=args.workers,
                         pin_memory=args.pin_memory, drop_last=True)
    if args.workers > 0:
        loader_kwargs["persistent_workers"] = args.persistent_workers
        if args.prefetch_factor is not None:
            loader_kwargs["prefetch_factor"] = args.prefetch_factor
    loader = DataLoader(dataset, **loader_kwargs)

    model = SmallCNN(args.width).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)

    wait_s = []
    step_s = []
    losses = []
    started = time.perf_counter()
    it = iter(loader)
    while True:
        t0 = time.perf_counter()
        try:
            images, labels = next(it)
        except StopIteration:
            break
        t1 = time.perf_counter()
        images = images.to(device, non_blocking=args.pin_memory)
        labels = labels.to(device, non_blocking=args.pin_memory)
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())  # also synchronizes with the device
        t2 = time.perf_counter()
        wait_s.append(t1 - t0)
        step_s.append(t2 - t0)
    total_s = time.perf_counter() - started

    n = len(step_s)
    metrics = {
        "steps": n,
        "workers": args.workers,
        "batch": args.batch,
        "device": args.device,
        "transform_ms": args.transform_ms,
        "transform_cpu_ms": args.transform_cpu_ms,
        "total_s": total_s,
        "data_wait_s": sum(wait_s),
        "mean_step_ms": 1000.0 * sum(step_s) / n,
        "median_step_ms": 1000.0 * sorted(step_s)[n // 2],
        "mean_data_wait_ms": 1000.0 * sum(wait_s) / n,
        "data_wait_share": sum(wait_s) / sum(step_s),
        "first_loss": losses[0],
        "last_loss": losses[-1],
        "pid": os.getpid(),
    }
    print("train.py: %d steps in %.2f s, step %.1f ms (median %.1f), data wait %.1f ms/step "
          "(%.0f%%), loss %.3f -> %.3f" % (
              n, total_s, metrics["mean_step_ms"], metrics["median_step_ms"],
              metrics["mean_data_wait_ms"], 100 * metrics["data_wait_share"],
              metrics["first_loss"], metrics["last_loss"]))
    if args.metrics_out:
        with open(args.metrics_out, "w") as f:
            json.dump(metrics, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
