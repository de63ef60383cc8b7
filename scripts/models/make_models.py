"""Generates the demo models deterministically (run with Debian's /usr/bin/python3).

Usage: make_models.py --out DIR [--only NAME ...] [--quiet]
Names: fashion_cnn, tiny_lm (committed), resnet18, gpt2_small (generated at setup),
fashion_cnn_retrained, tiny_lm_reseeded (generated for the evaluation's model swap).
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
from common import save_traced, seed, write_safetensors  # noqa: E402


def fashion_cnn(out, inputs):
    from fashion_cnn import train
    seed(1)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    model, acc, xt, yt = train()
    seed(1)
    save_traced(model, (xt[:8],), ["x"], f"{out}/fashion_cnn.pt",
                [{"name": "x", "dtype": "F32", "shape": [8, 1, 28, 28], "distribution": "normal"}])
    write_safetensors(f"{inputs}/fashion_test8.safetensors", {"x": xt[:8]})
    with open(f"{out}/fashion_cnn.json", "w") as f:
        json.dump({"test_accuracy": round(acc, 4), "test_images": len(xt), "epochs": 2,
                   "labels_of_fashion_test8": yt[:8].tolist()}, f, indent=1)
    return f"test accuracy {acc:.4f}"


def fashion_cnn_retrained(out, inputs):
    """The demo classifier's architecture trained again from another seed: the weights a
    provider might swap in (evaluation only, generated on demand)."""
    from fashion_cnn import train
    seed(11)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    model, acc, xt, _ = train(epochs=1)
    save_traced(model, (xt[:8],), ["x"], f"{out}/fashion_cnn_retrained.pt",
                [{"name": "x", "dtype": "F32", "shape": [8, 1, 28, 28], "distribution": "normal"}])
    return f"test accuracy {acc:.4f}"


def resnet18(out, inputs):
    from resnet18 import ResNet18
    seed(2)
    model = ResNet18()
    example = torch.randn(1, 3, 224, 224)
    save_traced(model, (example,), ["x"], f"{out}/resnet18.pt",
                [{"name": "x", "dtype": "F32", "shape": [1, 3, 224, 224], "distribution": "normal"}])
    return "random init"


def lm(out, name, vocab, d, heads, layers, context, seq, init_seed=3):
    from transformer_lm import TransformerLM
    seed(init_seed)
    model = TransformerLM(vocab, d, heads, layers, context)
    example = torch.randint(0, vocab, (1, seq))
    save_traced(model, (example,), ["tokens"], f"{out}/{name}.pt",
                [{"name": "tokens", "dtype": "I64", "shape": [1, seq], "distribution": "randint",
                  "high": vocab}], check_trace=False)
    params = sum(p.numel() for p in model.parameters())
    return f"{params / 1e6:.1f}M parameters"


MODELS = {
    "fashion_cnn": lambda o, i: fashion_cnn(o, i),
    "resnet18": lambda o, i: resnet18(o, i),
    "tiny_lm": lambda o, i: lm(o, "tiny_lm", 1000, 128, 4, 2, 64, 32),
    "gpt2_small": lambda o, i: lm(o, "gpt2_small", 50257, 768, 12, 12, 1024, 128),
    # Same architectures, other weights: what a model swap commits (evaluation only).
    "fashion_cnn_retrained": lambda o, i: fashion_cnn_retrained(o, i),
    "tiny_lm_reseeded": lambda o, i: lm(o, "tiny_lm_reseeded", 1000, 128, 4, 2, 64, 32, 4),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--only", nargs="*", default=list(MODELS))
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    os.makedirs(a.inputs, exist_ok=True)
    for name in a.only:
        t = time.time()
        info = MODELS[name](a.out, a.inputs)
        if not a.quiet:
            print(f"make-models: {name}: {info} ({time.time() - t:.1f} s)")


if __name__ == "__main__":
    main()
