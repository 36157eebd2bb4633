"""anytime-nn's networks as plain PyTorch modules, loading the parameters `anytime export` writes.

    anytime export RUN_DIR --format safetensors --out exported/     # writes exported/anytime.safetensors

    import torch_anytime
    model, description = torch_anytime.load("exported/anytime.safetensors")
    logits = model(pixels)   # pixels: float [batch, C, H, W] of raw values 0..255; a list, one per exit

Every block mirrors its Java class in core/src/main/java/dev/anytimenn/model and has the same child names,
so the file's tensor names (``unit1.bn1.weight``, ...) are this module's ``state_dict`` keys. Batch norms use
eps 1e-5 and momentum 0.1 (DJL's 0.9), so training on from here (on a GPU, say) behaves as the Java trainer.
The normalisation of the model file is inside ``forward``, as in the ONNX graphs: feed raw pixel values.
A model file written by training (``model.safetensors``, DJL's names) loads too.
Needs torch and safetensors (``pip install torch safetensors``).
"""
import json
import re

import torch
import torch.nn.functional as F
from safetensors import safe_open
from torch import nn

METADATA_KEY = "anytime-nn"
FORMAT_VERSION = 1
BN_EPS = 1e-5
BN_MOMENTUM = 0.1  # PyTorch's convention: DJL's 0.9 (running = 0.9 running + 0.1 batch)


def batch_norm(channels):
    return nn.BatchNorm2d(channels, eps=BN_EPS, momentum=BN_MOMENTUM)


def conv(in_channels, out_channels, kernel, stride):
    """A square convolution with "same" padding and no bias (a batch norm follows it)."""
    return nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=kernel // 2, bias=False)


class PreActConv(nn.Module):
    """BN-ReLU-conv k x k (PreActConv.java)."""

    def __init__(self, in_channels, out_channels, kernel, stride):
        super().__init__()
        self.bn = batch_norm(in_channels)
        self.conv = conv(in_channels, out_channels, kernel, stride)
        self.out_channels = out_channels

    def forward(self, x):
        return self.conv(F.relu(self.bn(x)))


class ConvStem(nn.Module):
    """One k x k convolution from the image (ConvStem.java)."""

    def __init__(self, in_channels, out_channels, kernel=3):
        super().__init__()
        self.conv = conv(in_channels, out_channels, kernel, 1)
        self.out_channels = out_channels

    def forward(self, x):
        return self.conv(x)


class ResidualUnit(nn.Module):
    """Pre-activation basic unit; the shortcut pools 2x2 (ceil mode) and pads channels with zeros (ResidualUnit.java)."""

    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.bn1 = batch_norm(in_channels)
        self.conv1 = conv(in_channels, out_channels, 3, stride)
        self.bn2 = batch_norm(out_channels)
        self.conv2 = conv(out_channels, out_channels, 3, 1)
        self.in_channels, self.out_channels, self.stride = in_channels, out_channels, stride

    def forward(self, x):
        h = self.conv1(F.relu(self.bn1(x)))
        h = self.conv2(F.relu(self.bn2(h)))
        s = x
        if self.stride != 1:
            s = F.avg_pool2d(s, 2, 2, ceil_mode=True, count_include_pad=False)
        if self.out_channels > self.in_channels:
            s = F.pad(s, (0, 0, 0, 0, 0, self.out_channels - self.in_channels))
        return h + s


class Transition(nn.Module):
    """DenseNet-BC transition: BN-ReLU-conv1x1 halving the channels, then 2x2 average pooling, floor (Transition.java)."""

    def __init__(self, in_channels):
        super().__init__()
        self.compress = PreActConv(in_channels, in_channels // 2, 1, 1)
        self.out_channels = in_channels // 2

    def forward(self, x):
        return F.avg_pool2d(self.compress(x), 2, 2)


class DenseLayer(nn.Module):
    """DenseNet-BC layer, a transition first when it opens dense blocks 2 and 3 (DenseLayer.java)."""

    BOTTLENECK = 4

    def __init__(self, in_channels, growth, with_transition):
        super().__init__()
        if with_transition:
            self.transition = Transition(in_channels)
            in_channels = self.transition.out_channels
        else:
            self.transition = None
        self.bn1 = batch_norm(in_channels)
        self.conv1 = conv(in_channels, self.BOTTLENECK * growth, 1, 1)
        self.bn2 = batch_norm(self.BOTTLENECK * growth)
        self.conv2 = conv(self.BOTTLENECK * growth, growth, 3, 1)
        self.out_channels = in_channels + growth

    def forward(self, x):
        if self.transition is not None:
            x = self.transition(x)
        h = self.conv1(F.relu(self.bn1(x)))
        h = self.conv2(F.relu(self.bn2(h)))
        return torch.cat([x, h], 1)


class ClassifierHead(nn.Module):
    """BN-ReLU - global average pool - linear (ClassifierHead.java)."""

    def __init__(self, in_channels, classes):
        super().__init__()
        self.bn = batch_norm(in_channels)
        self.linear = nn.Linear(in_channels, classes)

    def forward(self, x):
        return self.linear(F.relu(self.bn(x)).mean(dim=(2, 3)))


MSD_SCALES = 3
MSD_SCALE_WIDTH = [1, 2, 4]
MSD_BOTTLENECK = [1, 2, 4]


class MsdStem(nn.Module):
    """A 3x3 conv to the finest scale, then BN-ReLU-conv3x3 of stride 2 to each coarser one (MsdStem.java)."""

    def __init__(self, in_channels, units):
        super().__init__()
        self.conv = conv(in_channels, units * MSD_SCALE_WIDTH[0], 3, 1)
        self.downs = []
        for w in range(1, MSD_SCALES):
            down = PreActConv(units * MSD_SCALE_WIDTH[w - 1], units * MSD_SCALE_WIDTH[w], 3, 2)
            self.add_module(f"down{w}", down)
            self.downs.append(down)
        self.out_channels = [units * s for s in MSD_SCALE_WIDTH]

    def forward(self, x):
        scales = [self.conv(x)]
        for down in self.downs:
            scales.append(down(scales[-1]))
        return scales


class MsdBranch(nn.Module):
    """BN-ReLU-conv1x1 bottleneck, then BN-ReLU-conv3x3 (MsdBranch.java)."""

    def __init__(self, in_channels, bottleneck, out_channels, stride):
        super().__init__()
        self.bottleneck = PreActConv(in_channels, bottleneck, 1, 1)
        self.conv = PreActConv(bottleneck, out_channels, 3, stride)

    def forward(self, x):
        return self.conv(self.bottleneck(x))


class MsdLayer(nn.Module):
    """One multi-scale dense layer over scales first..2 (MsdLayer.java)."""

    def __init__(self, first, enters_block, units, growth, in_channels):
        super().__init__()
        self.first, self.enters_block = first, enters_block
        offset = 1 if enters_block else 0
        if len(in_channels) != MSD_SCALES - first + offset:
            raise ValueError(f"layer over scales {first}..2 expects {MSD_SCALES - first + offset} input scales")
        self.transitions, self.regular, self.strided = [], [], []
        self.out_channels = []
        for i, w in enumerate(range(first, MSD_SCALES)):
            width = units * MSD_SCALE_WIDTH[w]
            grow = growth * MSD_SCALE_WIDTH[w]
            if enters_block:
                t = PreActConv(in_channels[i + offset], width, 1, 1)
                self.add_module(f"transition{w}", t)
                self.transitions.append(t)
            elif in_channels[i] != width:
                raise ValueError(f"scale {w} has {in_channels[i]} channels, the layer reads {width}")
            if w == first:
                r = MsdBranch(width, min(width, MSD_BOTTLENECK[w] * grow), grow, 1)
                self.add_module(f"regular{w}", r)
            else:
                half = grow // 2
                finer = units * MSD_SCALE_WIDTH[w - 1]
                s = MsdBranch(finer, min(finer, MSD_BOTTLENECK[w - 1] * half), half, 2)
                self.add_module(f"strided{w}", s)
                self.strided.append(s)
                r = MsdBranch(width, min(width, MSD_BOTTLENECK[w] * half), half, 1)
                self.add_module(f"regular{w}", r)
            self.regular.append(r)
            self.out_channels.append(width + grow)

    def forward(self, scales):
        offset = 1 if self.enters_block else 0
        x = scales[offset:]
        if self.enters_block:
            x = [t(s) for t, s in zip(self.transitions, x)]
        out = []
        for i in range(len(x)):
            parts = [x[i]]
            if i > 0:
                parts.append(self.strided[i - 1](x[i - 1]))
            parts.append(self.regular[i](x[i]))
            out.append(torch.cat(parts, 1))
        return out


class MsdHead(nn.Module):
    """Two BN-ReLU-conv3x3 of stride 2 on the coarsest scale, then BN-ReLU - pool - linear (MsdHead.java)."""

    def __init__(self, in_channels, width, classes):
        super().__init__()
        self.conv1 = PreActConv(in_channels, width, 3, 2)
        self.conv2 = PreActConv(width, width, 3, 2)
        self.bn = batch_norm(width)
        self.linear = nn.Linear(width, classes)

    def forward(self, scales):
        h = self.conv2(self.conv1(scales[-1]))
        return self.linear(F.relu(self.bn(h)).mean(dim=(2, 3)))


def _resann(options, channels, classes):
    n, c = options["n"], options["c"]
    stem = ConvStem(channels, c)
    units, width = [], c
    for stage in range(3):
        for i in range(n):
            units.append(ResidualUnit(width, c << stage, 2 if stage > 0 and i == 0 else 1))
            width = c << stage
    return stem, units, lambda in_channels: ClassifierHead(in_channels, classes)


def _densann(options, channels, classes):
    n, growth = options["n"], options["c"]
    stem = ConvStem(channels, 2 * growth)
    units, width = [], 2 * growth
    for block in range(3):
        for i in range(n):
            layer = DenseLayer(width, growth, block > 0 and i == 0)
            units.append(layer)
            width = layer.out_channels
    return stem, units, lambda in_channels: ClassifierHead(in_channels, classes)


def _msdnet(options, channels, classes):
    n, c = options["n"], options["c"]
    units = (8 * c + 2) // 3
    head_width = 2 * MSD_SCALE_WIDTH[-1] * units
    stem = MsdStem(channels, units)
    layers, scales = [], stem.out_channels
    for block in range(MSD_SCALES):
        for i in range(n):
            enters = block > 0 and i == 0
            if enters:
                units //= 2
            layer = MsdLayer(block, enters, units, c, scales)
            layers.append(layer)
            scales = layer.out_channels
            units += c
    return stem, layers, lambda in_channels: MsdHead(in_channels[-1], head_width, classes)


ARCHITECTURES = {"resann": _resann, "densann": _densann, "msdnet": _msdnet}

# Options this module builds only at their default values (the Java architectures accept others).
FIXED_OPTIONS = {
    "densann": {"compression": 0.5, "bottleneck": 4},
    "msdnet": {"scales": MSD_SCALES, "growthFactors": [1, 2, 4], "bottleneckFactors": [1, 2, 4]},
}


def _require_supported(arch, options):
    for name, value in FIXED_OPTIONS.get(arch, {}).items():
        if name in options and options[name] != value:
            raise ValueError(f"{arch} option {name} = {options[name]}: torch_anytime.py builds only {name} = {value}")


def heads_after(units, s):
    """1-based units followed by a head: every s-th counted back from the last (HeadPlacement.java)."""
    k = 1 + (units - 1) // s
    return [units - (k - 1 - i) * s for i in range(k)]


class AnytimeNetwork(nn.Module):
    """The network a model file describes; forward returns every exit's logits, first to last."""

    def __init__(self, description):
        super().__init__()
        arch = description["architecture"]
        if arch not in ARCHITECTURES:
            raise ValueError(f"unknown architecture '{arch}'; this module knows {', '.join(ARCHITECTURES)}")
        options, shape = description["options"], description["input"]
        classes = len(description["classNames"])
        _require_supported(arch, options)
        stem, units, head = ARCHITECTURES[arch](options, shape["channels"], classes)
        if options.get("units", 0):
            units = units[: options["units"]]
        self.add_module("stem", stem)
        self.units = []
        for i, unit in enumerate(units):
            self.add_module(f"unit{i + 1}", unit)
            self.units.append(unit)
        self.head_after = heads_after(len(units), options["s"])
        self.heads = []
        for k, after in enumerate(self.head_after):
            h = head(units[after - 1].out_channels)
            self.add_module(f"head{k + 1}", h)
            self.heads.append(h)
        norm = description["normalization"]
        self.register_buffer("mean", torch.tensor(norm["mean"]).view(1, -1, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(norm["std"]).view(1, -1, 1, 1), persistent=False)

    def normalize(self, pixels):
        """(pixels / 255 - mean) / std per channel, as the Java model and the ONNX graphs compute it."""
        return (pixels / 255.0 - self.mean) / self.std

    def forward(self, pixels, exits=None):
        """The logits of the first ``exits`` exits (default: all), computing nothing beyond the last of them."""
        exits = len(self.heads) if exits is None else exits
        state = self.stem(self.normalize(pixels))
        logits = []
        for u, unit in enumerate(self.units):
            if len(logits) == exits:
                break
            state = unit(state)
            if self.head_after[len(logits)] == u + 1:
                logits.append(self.heads[len(logits)](state))
        return logits


_DJL_PREFIX = re.compile(r"^[0-9]+")
_DJL_PARAMETERS = {"gamma": "weight", "beta": "bias", "runningMean": "running_mean", "runningVar": "running_var"}


def pytorch_name(name):
    """A tensor name as this module calls it: DJL's 02unit1_01bn1_gamma is unit1.bn1.weight."""
    if "." in name:
        return name
    parts = [_DJL_PREFIX.sub("", p) for p in name.split("_")]
    parts[-1] = _DJL_PARAMETERS.get(parts[-1], parts[-1])
    return ".".join(parts)


def load(path, map_location="cpu"):
    """The network of a model file (anytime.safetensors or model.safetensors) and its description."""
    with safe_open(path, framework="pt", device=str(map_location)) as f:
        metadata = f.metadata() or {}
        if METADATA_KEY not in metadata:
            raise ValueError(f"{path}: not an anytime-nn model file (no '{METADATA_KEY}' metadata)")
        description = json.loads(metadata[METADATA_KEY])
        if description.get("formatVersion", 0) > FORMAT_VERSION:
            raise ValueError(f"{path}: formatVersion {description['formatVersion']} is newer than this module reads")
        tensors = {pytorch_name(k): f.get_tensor(k) for k in f.keys()}
    model = AnytimeNetwork(description)
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [m for m in missing if not m.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"{path}: the tensors do not fit the {description['architecture']} network "
                         f"{description['options']}: missing {missing[:3]}, unexpected {unexpected[:3]}")
    return model.to(map_location).eval(), description
