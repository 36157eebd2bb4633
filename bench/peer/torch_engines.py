"""PyTorch eager (the peer a user would pick: torch 2.13 from pip) on the same model as bench/EngineBench.java:
batch-1 latency of every exit and of the whole network (p50/p99), and batch-256 images/s, through
interop/torch_anytime.py. Prints one JSON object. Run by bench/engines.
Usage: torch_engines.py MODEL_FILE runs batches threads
"""
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "interop"))
import torch_anytime  # noqa: E402

BATCH = 256


def percentile(values, p):
    s = sorted(values)
    i = max(0, min(len(s) - 1, int(np.ceil(p / 100 * len(s))) - 1))
    return s[i]


def stats(ms, **extra):
    return dict(extra, p50Ms=round(percentile(ms, 50), 3), p99Ms=round(percentile(ms, 99), 3))


def main():
    path, runs, batches, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    # NNPACK cannot run on CPUs it does not know and says so on every convolution; it is not used either way
    torch.backends.nnpack.set_flags(False)
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    model, description = torch_anytime.load(path)
    shape = [description["input"][k] for k in ("channels", "height", "width")]
    images = torch.from_numpy(np.random.default_rng(1).integers(0, 256, [max(runs, BATCH)] + shape)
                              .astype(np.float32))
    exits = len(model.heads)
    result = {"torch": torch.__version__, "runs": runs, "threads": threads, "throughputBatch": BATCH}
    with torch.inference_mode():
        per_exit = []
        for k in range(1, exits + 1):
            for i in range(200):
                torch.softmax(model(images[i % runs:i % runs + 1], exits=k)[-1], 1)
            ms = []
            for i in range(runs):
                start = time.perf_counter_ns()
                torch.softmax(model(images[i:i + 1], exits=k)[-1], 1).numpy()
                ms.append((time.perf_counter_ns() - start) / 1e6)
            per_exit.append(stats(ms, exit=k))
            print(f"torch-eager            exit {k}: p50 {per_exit[-1]['p50Ms']:.3f} ms, "
                  f"p99 {per_exit[-1]['p99Ms']:.3f} ms", file=sys.stderr)
        result["exitLatency"] = {"torch-eager": per_exit}
        result["wholeNetworkBatch1"] = {"torch-eager-forward": dict(per_exit[-1])}
        batch = images[:BATCH]
        model(batch)
        start = time.perf_counter()
        for _ in range(batches):
            torch.softmax(model(batch)[-1], 1).numpy()
        rate = BATCH * batches / (time.perf_counter() - start)
        result["throughputImagesPerSecond"] = {"torch-eager-forward": rate}
        print(f"batch {BATCH}, torch-eager-forward: {rate:.0f} images/s", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
