"""Small Hugging Face-style masked-attention models for the verifier's attack tests.

Usage: /usr/bin/python3 masked_attention_models.py OUT_DIR

Writes two TorchScript models (one attention layer each, inputs x: F32 [2, 8, 32] and
attention_mask: I64 [2, 8] of 0/1 padding flags) whose masks are finite, as Hugging Face
builds them with torch.finfo(float32).min rather than -inf:

  hf_where.pt     GPT-2 style: where(causal, w, finfo.min), then the additive padding mask
                  (1 - attention_mask) * finfo.min. Where both mask a position the sum is
                  finfo.min + finfo.min, which honestly overflows to -inf in FP32.
  hf_additive.pt  LLaMA style: an additive causal mask full(finfo.min).triu(1) with the
                  padding folded in by masked_fill, added to the scores.

Deterministic (fixed seed); run by tests/verify/test_verify_masked.cpp at test time.
"""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "scripts", "models"))
from common import save_traced, seed  # noqa: E402

BATCH, T, D, HEADS = 2, 8, 32, 2
MIN = torch.finfo(torch.float32).min


class Heads(nn.Module):
    """Projections shared by both styles; the mask construction is what differs."""

    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(D, 3 * D)
        self.proj = nn.Linear(D, D)

    def split(self, x):
        q, k, v = self.qkv(x).split(D, dim=2)
        shape = (BATCH, T, HEADS, D // HEADS)
        return [t.view(shape).transpose(1, 2) for t in (q, k, v)]

    def merge(self, p, v):
        y = torch.matmul(p, v).transpose(1, 2).contiguous().view(BATCH, T, D)
        return self.proj(y)


class Gpt2Style(Heads):
    def __init__(self):
        super().__init__()
        self.register_buffer("bias", torch.tril(torch.ones(T, T, dtype=torch.bool)).view(1, 1, T, T))

    def forward(self, x, attention_mask):
        q, k, v = self.split(x)
        w = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(D // HEADS)
        mask_value = torch.full([], MIN, dtype=w.dtype)
        w = torch.where(self.bias, w, mask_value)
        extended = attention_mask[:, None, None, :].to(torch.float32)
        extended = (1.0 - extended) * MIN
        w = w + extended
        return self.merge(F.softmax(w, dim=-1), v)


class LlamaStyle(Heads):
    def forward(self, x, attention_mask):
        q, k, v = self.split(x)
        w = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(D // HEADS)
        causal = torch.full((T, T), MIN, dtype=torch.float32).triu(1)
        causal = causal[None, None, :, :].expand(BATCH, 1, T, T)
        padding = (causal + attention_mask[:, None, None, :].to(torch.float32)) == 0
        causal = causal.masked_fill(padding, MIN)
        w = w + causal
        return self.merge(F.softmax(w, dim=-1, dtype=torch.float32), v)


def main(out):
    os.makedirs(out, exist_ok=True)
    specs = [{"name": "x", "dtype": "F32", "shape": [BATCH, T, D], "distribution": "normal"},
             {"name": "attention_mask", "dtype": "I64", "shape": [BATCH, T],
              "distribution": "randint", "high": 2}]
    for name, cls in (("hf_where", Gpt2Style), ("hf_additive", LlamaStyle)):
        seed(7)
        model = cls()
        for p in model.parameters():
            nn.init.normal_(p, std=0.3)
        example = (torch.randn(BATCH, T, D), torch.randint(0, 2, (BATCH, T)))
        save_traced(model, example, ["x", "attention_mask"], f"{out}/{name}.pt", specs)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
