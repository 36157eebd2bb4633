#!/usr/bin/env python3
"""PyTorch peer of the Java benchmark bench/PerfBench.java.

The same network as dev.anytimenn.model.ResAnn (n=2, s=1, widths c, 2c, 4c; 1x28x28 inputs, 10 classes,
6 units, 6 heads), written in plain PyTorch, and the same measurements with the same JSON keys, one
object per line on stdout (progress on stderr):

  gemm      float32 2048x2048 @ 2048x2048, GFLOP/s = 2 n^3 / median time
  floor     kernel floor: forward+backward of only the conv / BN / linear ops on the model's layer shapes
  train     images/s and achieved GFLOP/s (6 x forward MACs per image) of a training step; peak RSS
  infer     batch-1 latency of one full forward (all heads) and batch-256 throughput
  overhead  time of a trivial op: 1-element + 1-element tensor

Usage: resann_peer.py [--quick] [--threads T] [--widths 8,16,32] [--batch 128] [--infer-c 16] [--round R]
                      gemm|floor|train|infer|overhead|all ...
Meant for Debian's python3-torch 1.13.1 (/usr/bin/python3); uses only torch and the standard library.
"""

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

GEMM_N = 2048
N_UNITS_PER_STAGE = 2
HEAD_STRIDE = 1
CLASSES = 10
INPUT = (1, 28, 28)
INFER_BATCH = 256
BATCH1_THREADS = 1  # intra-op threads for the batch-1 figures, as PerfBench.BATCH1_THREADS

# Repeat counts: the same numbers as PerfBench.Reps (keep them in step).
FULL = dict(gemm_warm=3, gemm_reps=10, floor_warm=3, floor_reps=15, train_warm=10, train_steps=40,
            b1_warm=200, b1_runs=1000, b256_warm=3, b256_runs=20, op_warm_chunks=3, op_chunks=30,
            ops_per_chunk=2000)
QUICK = dict(gemm_warm=2, gemm_reps=5, floor_warm=2, floor_reps=5, train_warm=5, train_steps=15,
             b1_warm=50, b1_runs=300, b256_warm=2, b256_runs=8, op_warm_chunks=2, op_chunks=10,
             ops_per_chunk=1000)


# ------------------------------------------------------------------------------------------ model
#
# Mirrors core/src/main/java/dev/anytimenn/model:
#   Layers.conv      k x k conv, "same" padding k//2, no bias, He-normal fan-out init
#   Layers.batchNorm BN, DJL momentum 0.9 (running = 0.9 running + 0.1 batch) = PyTorch momentum 0.1, eps 1e-5
#   ConvStem         one 3x3 conv 1 -> c, stride 1
#   ResidualUnit     pre-activation: BN-ReLU-conv3x3(stride)-BN-ReLU-conv3x3, added in place to the shortcut;
#                    a downsampling shortcut is 2x2 avg pool (ceil mode, padding not counted) plus zero channels
#   ClassifierHead   BN-ReLU - global average pool - linear (with bias)
#   ResAnn           3 stages of n units, widths c, 2c, 4c; the first unit of stages 2 and 3 has stride 2;
#                    heads after every s-th unit counted back from the last (HeadPlacement)

def conv(cin, cout, k, stride):
    m = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)
    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    return m


def batch_norm(ch):
    return nn.BatchNorm2d(ch, eps=1e-5, momentum=0.1)


class ResidualUnit(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.cin, self.cout, self.stride = cin, cout, stride
        self.bn1 = batch_norm(cin)
        self.conv1 = conv(cin, cout, 3, stride)
        self.bn2 = batch_norm(cout)
        self.conv2 = conv(cout, cout, 3, 1)

    def forward(self, x):
        h = self.conv1(F.relu(self.bn1(x)))
        h = self.conv2(F.relu(self.bn2(h)))
        return h.add_(self.shortcut(x))

    def shortcut(self, x):
        if self.stride == 1 and self.cin == self.cout:
            return x
        s = x
        if self.stride != 1:
            s = F.avg_pool2d(x, 2, 2, 0, ceil_mode=True, count_include_pad=False)
        if self.cout > self.cin:
            n, _, h, w = s.shape
            s = torch.cat([s, s.new_zeros(n, self.cout - self.cin, h, w)], 1)
        return s


class ClassifierHead(nn.Module):
    def __init__(self, ch, classes):
        super().__init__()
        self.bn = batch_norm(ch)
        self.linear = nn.Linear(ch, classes)

    def forward(self, x):
        h = F.relu(self.bn(x))
        return self.linear(F.adaptive_avg_pool2d(h, 1).flatten(1))


def units_with_heads(units, s):
    k = 1 + (units - 1) // s
    return [units - (k - 1 - i) * s for i in range(k)]


class ResAnn(nn.Module):
    def __init__(self, n=N_UNITS_PER_STAGE, c=16, s=HEAD_STRIDE, classes=CLASSES, in_ch=INPUT[0]):
        super().__init__()
        self.stem = conv(in_ch, c, 3, 1)
        units, widths, width = [], [], c
        for stage in range(3):
            stage_width = c << stage
            for i in range(n):
                units.append(ResidualUnit(width, stage_width, 2 if stage > 0 and i == 0 else 1))
                width = stage_width
                widths.append(width)
        self.units = nn.ModuleList(units)
        after = units_with_heads(len(units), s)
        self.head_at = {u - 1: k for k, u in enumerate(after)}
        self.heads = nn.ModuleList(ClassifierHead(widths[u - 1], classes) for u in after)

    def forward(self, x):
        """Logits of every head, first to last (as AnytimeNetwork.forward)."""
        state = self.stem(x)
        logits = []
        for u, unit in enumerate(self.units):
            state = unit(state)
            k = self.head_at.get(u)
            if k is not None:
                logits.append(self.heads[k](state))
        return logits


def layer_inputs(model):
    """(name, module, input shape at batch 1) of every conv / BN / linear, in call order."""
    found = []
    hooks = [m.register_forward_hook(lambda mod, inp, out, name=name: found.append((name, mod, tuple(inp[0].shape))))
             for name, m in model.named_modules() if isinstance(m, (nn.Conv2d, nn.BatchNorm2d, nn.Linear))]
    probe(model, hooks)
    return found


def probe(model, hooks):
    """One blank image through the model in eval mode, for the forward hooks; then removes them."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, *INPUT))
    model.train(was_training)
    for h in hooks:
        h.remove()


def forward_macs(model):
    """Conv and linear MACs of one image through every head, counted as dev.anytimenn.model.Macs does."""
    total = 0
    hooks = []

    def count(mod, inp, out):
        nonlocal total
        if isinstance(mod, nn.Conv2d):
            kh, kw = mod.kernel_size
            total += out[0].numel() * (mod.in_channels // mod.groups) * kh * kw
        else:
            total += mod.in_features * mod.out_features

    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            hooks.append(m.register_forward_hook(count))
    probe(model, hooks)
    return total


def sgd(model):
    """SGD momentum 0.9, lr 0.1, weight decay 1e-4 on conv / linear weights only, as SgdOptimizer."""
    decay, no_decay = [], []
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            decay.append(m.weight)
            if m.bias is not None:
                no_decay.append(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            no_decay += [m.weight, m.bias]
    return torch.optim.SGD([{"params": decay, "weight_decay": 1e-4},
                            {"params": no_decay, "weight_decay": 0.0}], lr=0.1, momentum=0.9)


# ----------------------------------------------------------------------------------- measurements

def gemm(opt, reps):
    a = torch.rand(GEMM_N, GEMM_N) * 2 - 1
    b = torch.rand(GEMM_N, GEMM_N) * 2 - 1
    times = []
    for i in range(-reps["gemm_warm"], reps["gemm_reps"]):
        t0 = time.perf_counter()
        c = a @ b
        t = time.perf_counter() - t0
        del c
        if i >= 0:
            times.append(t)
    med = statistics.median(times)
    r = header(opt, "gemm")
    r.update(n=GEMM_N, repeats=len(times), medianMs=round(med * 1e3, 3),
             gflops=round(2.0 * GEMM_N ** 3 / med / 1e9, 1), bestGflops=round(2.0 * GEMM_N ** 3 / min(times) / 1e9, 1))
    log("gemm %d^3: median %.1f ms, %.1f GFLOP/s" % (GEMM_N, med * 1e3, r["gflops"]))
    return r


def floor(opt, reps, c):
    """Same definition as PerfBench.floor: each conv / BN / linear layer alone, forward + backward from an
    all-ones output gradient, weight grads accumulated into zeroed buffers, a fresh leaf copy of the input
    (no input gradient for the stem); the per-layer medians are summed."""
    torch.manual_seed(1)
    model = ResAnn(c=c)
    macs = forward_macs(model)
    layers = layer_inputs(model)
    by_kind = {"conv": 0.0, "bn": 0.0, "linear": 0.0}
    per_layer, total = [], 0.0
    for idx, (name, mod, in_shape) in enumerate(layers):
        shape = (opt.batch,) + in_shape[1:]
        base = torch.randn(shape)
        if isinstance(mod, nn.Conv2d):
            kind = "conv"
            w = (torch.randn(mod.weight.shape) * 0.05).requires_grad_()
            params = [w]
            fn = lambda x, w=w, m=mod: F.conv2d(x, w, None, m.stride, m.padding, m.dilation, m.groups)
        elif isinstance(mod, nn.BatchNorm2d):
            kind = "bn"
            ch = shape[1]
            gamma, beta = torch.ones(ch).requires_grad_(), torch.zeros(ch).requires_grad_()
            rm, rv = torch.zeros(ch), torch.ones(ch)
            params = [gamma, beta]
            fn = lambda x, g=gamma, b=beta, rm=rm, rv=rv: F.batch_norm(x, rm, rv, g, b, True, 0.1, 1e-5)
        else:
            kind = "linear"
            w = (torch.randn(mod.weight.shape) * 0.05).requires_grad_()
            bias = torch.zeros(mod.out_features).requires_grad_()
            params = [w, bias]
            fn = lambda x, w=w, b=bias: F.linear(x, w, b)
        input_grad = not (idx == 0 and kind == "conv")  # the stem reads the image
        with torch.no_grad():
            grad = torch.ones(fn(base).shape)
        times = []
        for i in range(-reps["floor_warm"], reps["floor_reps"]):
            x = base.clone().requires_grad_() if input_grad else base
            t0 = time.perf_counter()
            y = fn(x)
            torch.autograd.backward(y, grad)
            t = time.perf_counter() - t0
            for p in params:
                p.grad.zero_()
            del x, y
            if i >= 0:
                times.append(t * 1e3)
        ms = statistics.median(times)
        total += ms
        by_kind[kind] += ms
        per_layer.append(dict(name=name, kind=kind, input=str(list(shape)), weight=str(list(params[0].shape)),
                              medianMs=round(ms, 3)))
    r = header(opt, "floor")
    r.update(c=c, batch=opt.batch, layers=len(layers), repeatsPerLayer=reps["floor_reps"],
             forwardMacsPerImage=macs, stepMs=round(total, 3),
             imagesPerSecondCeiling=round(opt.batch / (total / 1e3), 1),
             gflops=round(opt.batch / (total / 1e3) * 6.0 * macs / 1e9, 1),
             msByKind={k: round(v, 3) for k, v in by_kind.items()}, perLayer=per_layer)
    log("kernel floor c=%d batch %d: %d layers, %.2f ms/step (conv %.2f, bn %.2f, linear %.2f)"
        % (c, opt.batch, len(layers), total, by_kind["conv"], by_kind["bn"], by_kind["linear"]))
    return r


def train(opt, reps, c):
    """One training step as AnytimeTrainer does it: forward (all heads), per-head mean cross-entropy,
    loss = their sum (all weights 1), backward, read the per-head losses back, SGD step, zero the
    gradients in place (set_to_none=False, as SgdOptimizer's zeroGrad). Synthetic random inputs; the batch
    is copied at the start of each step (as the Java side copies its float[] into the engine)."""
    torch.manual_seed(1)
    model = ResAnn(c=c)
    macs = forward_macs(model)
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    optimizer = sgd(model)
    gen = torch.Generator().manual_seed(7 + c)
    pool = [(torch.randn(opt.batch, *INPUT, generator=gen), torch.randint(0, CLASSES, (opt.batch,), generator=gen))
            for _ in range(4)]
    model.train()
    steps = reps["train_warm"] + reps["train_steps"]
    step_ms, first_loss, last_loss = [], None, None
    profiler = None
    for i in range(steps):
        if opt.profile and i == reps["train_warm"]:
            profiler = torch.autograd.profiler.profile()
            profiler.__enter__()
        x_src, y = pool[i % len(pool)]
        t0 = time.perf_counter()
        x = x_src.clone()
        outs = model(x)
        losses = torch.stack([F.cross_entropy(o, y) for o in outs])
        losses.sum().backward()
        head_losses = losses.detach().tolist()
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)
        t = time.perf_counter() - t0
        loss = sum(head_losses)
        first_loss = loss if first_loss is None else first_loss
        last_loss = loss
        if i >= reps["train_warm"]:
            step_ms.append(t * 1e3)
    if profiler is not None:
        profiler.__exit__(None, None, None)
        profiler.export_chrome_trace(opt.profile)
    med = statistics.median(step_ms)
    ips = opt.batch / (med / 1e3)
    r = header(opt, "train")
    r.update(c=c, batch=opt.batch, warmupSteps=reps["train_warm"], measuredSteps=reps["train_steps"],
             forwardMacsPerImage=macs, trainableParameters=params, medianStepMs=round(med, 3),
             imagesPerSecond=round(ips, 1),
             imagesPerSecondMean=round(opt.batch * len(step_ms) / (sum(step_ms) / 1e3), 1),
             achievedGflops=round(ips * 6.0 * macs / 1e9, 1),
             peakRssMiB=round(proc_status_kb("VmHWM") / 1024.0, 1), rssMiB=round(proc_status_kb("VmRSS") / 1024.0, 1),
             firstLoss=round(first_loss, 3), lastLoss=round(last_loss, 3), stepMs=[round(v, 3) for v in step_ms])
    log("train c=%d batch %d: median step %.1f ms, %.1f images/s, %.1f GFLOP/s, peak RSS %.0f MiB"
        % (c, opt.batch, med, ips, r["achievedGflops"], r["peakRssMiB"]))
    return r


def infer(opt, reps, c):
    """model.eval() under torch.no_grad(); per run: copy the input, full forward (all heads), softmax of the
    final head, read it back (as PerfBench.forwardOnce)."""
    torch.manual_seed(1)
    model = ResAnn(c=c).eval()
    gen = torch.Generator().manual_seed(11)
    one = torch.randn(1, *INPUT, generator=gen)
    many = torch.randn(INFER_BATCH, *INPUT, generator=gen)

    def once(x_src):
        t0 = time.perf_counter()
        outs = model(x_src.clone())
        outs[-1].softmax(1).tolist()
        return (time.perf_counter() - t0) * 1e3

    with torch.no_grad():
        threads = torch.get_num_threads()
        torch.set_num_threads(BATCH1_THREADS)  # as PerfBench: batch 1 on one intra-op thread
        for _ in range(reps["b1_warm"]):
            once(one)
        b1 = [once(one) for _ in range(reps["b1_runs"])]
        torch.set_num_threads(threads)
        for _ in range(reps["b256_warm"]):
            once(many)
        b256 = [once(many) for _ in range(reps["b256_runs"])]
    r = header(opt, "infer")
    r.update(c=c, batch1Threads=BATCH1_THREADS, batch1Runs=len(b1), batch1P50Ms=round(statistics.median(b1), 3),
             batch1P99Ms=round(percentile(b1, 99), 3), batch256Runs=len(b256),
             batch256MedianMs=round(statistics.median(b256), 3),
             batch256ImagesPerSecond=round(INFER_BATCH / (statistics.median(b256) / 1e3), 1))
    log("infer c=%d: batch 1 p50 %.3f ms (p99 %.3f); batch %d %.1f images/s"
        % (c, r["batch1P50Ms"], r["batch1P99Ms"], INFER_BATCH, r["batch256ImagesPerSecond"]))
    return r


def overhead(opt, reps):
    """a + b on two 1-element float32 tensors, in chunks; median over chunks of chunk time / ops."""
    k = reps["ops_per_chunk"]
    add_ns, addi_ns = [], []
    for i in range(-reps["op_warm_chunks"], reps["op_chunks"]):
        a = torch.ones(1)
        b = torch.full((1,), 2.0)
        t0 = time.perf_counter_ns()
        for _ in range(k):
            torch.add(a, b)
        t1 = time.perf_counter_ns()
        for _ in range(k):
            a.add_(b)
        t2 = time.perf_counter_ns()
        if i >= 0:
            add_ns.append((t1 - t0) / k)
            addi_ns.append((t2 - t1) / k)
    r = header(opt, "overhead")
    r.update(chunks=len(add_ns), opsPerChunk=k, addNs=round(statistics.median(add_ns), 1),
             addInplaceNs=round(statistics.median(addi_ns), 1))
    log("trivial op: add %.0f ns, in-place add %.0f ns" % (r["addNs"], r["addInplaceNs"]))
    return r


# ---------------------------------------------------------------------------------------- helpers

def header(opt, measure):
    cfg = torch.__config__.show()
    blas = re.search(r"BLAS_INFO=(\w+)", cfg)
    return dict(side="peer", measure=measure, round=opt.round, quick=opt.quick, threads=torch.get_num_threads(),
                interopThreads=torch.get_num_interop_threads(), engine="PyTorch " + torch.__version__,
                torchVersion=torch.__version__, python=platform.python_version(),
                blas=blas.group(1) if blas else None, mkldnn=torch.backends.mkldnn.is_available())


def proc_status_kb(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def percentile(values, p):
    s = sorted(values)
    index = -(-p * len(s) // 100) - 1  # ceil(p/100 n) - 1, as PerfBench.percentile
    return s[max(0, min(int(index), len(s) - 1))]


def log(msg):
    print("[peer] " + msg, file=sys.stderr, flush=True)


def emit(result):
    print(json.dumps(result), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("measures", nargs="+", choices=["gemm", "floor", "train", "infer", "overhead", "all"])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--widths", default="16")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--infer-c", type=int, default=16)
    ap.add_argument("--round", type=int, default=1)
    ap.add_argument("--profile", metavar="TRACE", help="train: record the measured steps with the autograd "
                    "profiler and write them as a Chrome trace (bench/profile compares it with the Java trace)")
    opt = ap.parse_args()
    # before any parallel work: the interop pool can only be sized once, at start
    torch.set_num_interop_threads(1)
    torch.set_num_threads(opt.threads)
    # NNPACK cannot run on CPUs it does not know, and modern PyTorch says so on every convolution (a line to
    # stderr each time, which the peer would pay for); it is not used either way
    torch.backends.nnpack.set_flags(False)
    reps = QUICK if opt.quick else FULL
    widths = [int(w) for w in opt.widths.split(",")]
    measures = []
    for m in opt.measures:
        measures += ["gemm", "floor", "overhead", "infer", "train"] if m == "all" else [m]
    for m in measures:
        if m == "gemm":
            emit(gemm(opt, reps))
        elif m == "floor":
            for c in widths:
                emit(floor(opt, reps, c))
        elif m == "train":
            for c in widths:
                emit(train(opt, reps, c))
        elif m == "infer":
            emit(infer(opt, reps, opt.infer_c))
        elif m == "overhead":
            emit(overhead(opt, reps))


if __name__ == "__main__":
    main()
