"""The interop check: runtimes we did not write load every exported file and give our logits.

For each case folder (made by InteropModels.java, exported by `anytime export --format onnx,safetensors`):
  * onnx: every .onnx file passes the full checker and strict shape inference, and the inferred output
    shapes are the declared ones; the metadata is the model file's description;
  * onnxruntime: the whole graph, and the chain of segment graphs fed with each other's outputs, give DJL's
    logits of every exit (max abs difference within the tolerance);
  * torch: interop/torch_anytime.py loads anytime.safetensors (and the training's model.safetensors) and
    gives the same logits.
Prints one line per case and runtime; exits 1 when a check fails.
Usage: check.py CASES_DIR [tolerance]
"""
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "interop"))
import torch_anytime  # noqa: E402

from onnx import checker, shape_inference  # noqa: E402


def shapes(values):
    return {v.name: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim] for v in values}


def check_onnx(path):
    model = onnx.load(path)
    checker.check_model(model, full_check=True)
    inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    declared = shapes(model.graph.output)
    found = shapes(inferred.graph.output)
    if declared != found:
        raise AssertionError(f"{path}: declared outputs {declared}, shape inference gives {found}")
    if model.opset_import[0].version != 17:
        raise AssertionError(f"{path}: opset {model.opset_import[0].version}, not 17")
    return {p.key: p.value for p in model.metadata_props}


def session(path):
    return onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])


def main():
    cases_dir = sys.argv[1]
    tolerance = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-4
    print(f"onnx {onnx.__version__}, onnxruntime {onnxruntime.__version__}, torch {torch.__version__}; "
          f"tolerance {tolerance:g} (max abs difference of logits)")
    failures = 0
    for case in sorted(os.listdir(cases_dir)):
        d = os.path.join(cases_dir, case)
        ref = json.load(open(os.path.join(d, "reference.json")))
        n, k, classes = ref["images"], ref["exits"], ref["classes"]
        pixels = np.fromfile(os.path.join(d, "images.bin"), dtype=np.uint8).reshape([n] + ref["shape"])
        expected = np.fromfile(os.path.join(d, "logits.bin"), dtype="<f4").reshape(k, n, classes)
        x = pixels.astype(np.float32)
        description = json.load(open(os.path.join(d, "model.json")))
        onnx_section = description.pop("onnx")

        files = [onnx_section["graph"]["file"]] + [s["file"] for s in onnx_section["segments"]]
        for f in files:
            meta = check_onnx(os.path.join(d, f))
            if json.loads(meta["anytime-nn"]) != description:
                raise AssertionError(f"{case}/{f}: metadata differs from model.json")

        whole = session(os.path.join(d, onnx_section["graph"]["file"])).run(onnx_section["graph"]["outputs"],
                                                                            {"pixels": x})
        chain, state = [], {"pixels": x}
        for s in onnx_section["segments"]:
            outputs = dict(zip(s["outputs"], session(os.path.join(d, s["file"])).run(s["outputs"],
                                                                                       {i: state[i] for i in s["inputs"]})))
            chain.append(outputs[f"logits_{s['exit']}"])
            state = outputs

        results = {"onnxruntime whole graph": whole, "onnxruntime segments": chain}
        for name in ["anytime.safetensors", "model.safetensors"]:
            model, _ = torch_anytime.load(os.path.join(d, name))
            with torch.no_grad():
                results[f"torch {name}"] = [t.numpy() for t in model(torch.from_numpy(x))]

        for runtime, logits in results.items():
            if len(logits) != k:
                raise AssertionError(f"{case}: {runtime} gives {len(logits)} exits, not {k}")
            worst = max(float(np.abs(logits[e] - expected[e]).max()) for e in range(k))
            ok = worst <= tolerance
            failures += 0 if ok else 1
            print(f"{case:16s} {runtime:31s} {k} exits x {n} images: max |diff| {worst:.2e} "
                  f"{'ok' if ok else 'OVER THE TOLERANCE'}")
        print(f"{case:16s} onnx checker (full) and strict shape inference: {len(files)} files ok")
    if failures:
        print(f"{failures} comparisons over the tolerance")
        sys.exit(1)


if __name__ == "__main__":
    main()
