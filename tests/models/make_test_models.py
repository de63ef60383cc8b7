#!/usr/bin/python3
"""Models written for the runtime and CLI tests, traced with Debian's python3-torch
into OUT_DIR: `views` (operators consuming transposed, sliced, expanded and
permuted views, so replay must rebuild committed tensors with their layouts),
`transformer_encoder` (nn.TransformerEncoder in eval mode with a padding mask,
traced under torch.no_grad(): PyTorch's nested-tensor fast path) and `mha`
(nn.MultiheadAttention under torch.no_grad(): the fused kernel with an undefined
second output), `inplace` (outputs written later in place and through views), `writes_input` (a
forward that writes into its input), `returns_written` (returns an output written later),
`returns_input` (returns its input, written), `list_alias` (scripted: writes through
an element taken out of a list, an alias no schema names), plus the architectures of real_arch_models.py (GPT-2 block, BERT layer,
LLaMA block, diffusion UNet block, LSTM/GRU), each also as a one-input model whose
inputs the CLI draws itself (tao.json). Usage: make_test_models.py OUT_DIR"""
import json
import os
import sys
from typing import List

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "models"))
from common import save_traced, seed  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from real_arch_models import MODELS as REAL_ARCH  # noqa: E402


class Views(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(8, 12))
        self.w2 = nn.Parameter(torch.randn(16, 24))
        self.b = nn.Parameter(torch.randn(1, 12, 12))
        self.proj = nn.Linear(12, 12)

    def forward(self, x):  # x: [4, 8, 16]
        t = torch.matmul(x.transpose(1, 2), self.w)        # transposed operand, [4, 16, 12]
        s = x[:, 1:7, 2:14]                                 # sliced view, [4, 6, 12]
        s = self.proj(s) + torch.matmul(s, self.b.expand(4, 12, 12))  # expanded operand
        p = x.permute(2, 0, 1)                              # permuted view, [16, 4, 8]
        q = torch.matmul(p, x[1])                           # offset slice, [16, 4, 16]
        r = torch.matmul(x, self.w2.t()[:16, :])            # transposed weight, sliced
        u = torch.softmax(p, dim=1).sum(dim=0)              # reductions over strided data
        return t.sum() + s.mean(dim=1).sum() + q.amax() + r.sum() + u.sum()


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.register_buffer("lengths", torch.tensor([5, 3]))

    def forward(self, x):  # x: [2, 5, 32]
        padding = torch.arange(5)[None, :] >= self.lengths[:, None]
        return self.encoder(x, src_key_padding_mask=padding)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(32, 4, batch_first=True)

    def forward(self, x):  # x: [2, 5, 32]
        out, _ = self.attn(x, x, x, need_weights=False)
        return out


class InPlace(nn.Module):
    """In-place writes directly, through a view, and after a read-only use."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(16, 16)

    def forward(self, x):  # x: [4, 16]
        a = self.lin(x)        # written by relu_
        b = torch.relu_(a)     # the same storage, not written afterwards
        c = b * 2              # written through the view below
        v = c[:, :4]
        v.mul_(0.5)
        d = torch.tanh(c)      # only read
        e = d + 1
        e.add_(x)              # written in place
        return e.sum() + d.mean()


class WritesInput(nn.Module):
    """Writes into its own input: the committed input is the one it was given."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(16, 16)

    def forward(self, x):  # x: [4, 16]
        x.mul_(2)
        return self.lin(x).sum()


class ReturnsWritten(nn.Module):
    """Returns a tensor written through a view after its operator produced it."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(16, 16)

    def forward(self, x):  # x: [4, 16]
        y = self.lin(x)
        y[:, :4].mul_(0.5)
        return y


class ReturnsInput(nn.Module):
    """Returns its input, written through a view."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(16, 16)

    def forward(self, x):  # x: [4, 16]
        x[:, :4].mul_(0.5)
        return self.lin(x), x


class ListAlias(nn.Module):
    """Writes into `c` through an element of a list holding it, then reads `c`."""

    def forward(self, x):  # x: [4, 16]
        c = x * 2
        held: List[torch.Tensor] = [c]
        held[0].mul_(3)
        return torch.tanh(c)


def save_scripted(model, path, specs):
    """Scripts `model` (tracing would unpack the list) and saves it with tao.json."""
    scripted = torch.jit.script(model.eval())
    tmp = path + ".tmp"
    torch.jit.save(scripted, tmp, _extra_files={"tao.json": json.dumps({"inputs": specs})})
    os.replace(tmp, path)


def normal(name, shape):
    return {"name": name, "dtype": "F32", "shape": shape, "distribution": "normal"}


def main(out):
    os.makedirs(out, exist_ok=True)
    seed(7)
    save_traced(Views(), (torch.randn(4, 8, 16),), ["x"], os.path.join(out, "views.pt"),
                [normal("x", [4, 8, 16])])
    seed(7)
    save_traced(InPlace(), (torch.randn(4, 16),), ["x"], os.path.join(out, "inplace.pt"),
                [normal("x", [4, 16])])
    seed(7)
    save_traced(WritesInput(), (torch.randn(4, 16),), ["x"], os.path.join(out, "writes_input.pt"),
                [normal("x", [4, 16])])
    seed(7)
    save_traced(ReturnsWritten(), (torch.randn(4, 16),), ["x"],
                os.path.join(out, "returns_written.pt"), [normal("x", [4, 16])])
    seed(7)
    save_traced(ReturnsInput(), (torch.randn(4, 16),), ["x"],
                os.path.join(out, "returns_input.pt"), [normal("x", [4, 16])])
    save_scripted(ListAlias(), os.path.join(out, "list_alias.pt"), [normal("x", [4, 16])])
    for name, cls in (("transformer_encoder", Encoder), ("mha", Attention)):
        seed(7)
        try:
            save_traced(cls(), (torch.randn(2, 5, 32),), ["x"], os.path.join(out, name + ".pt"),
                        [normal("x", [2, 5, 32])], check_trace=False)
        except Exception as e:  # the test reports which models PyTorch could not trace
            print(f"{name}: not traced: {str(e).splitlines()[0]}", file=sys.stderr)
    for name, (cls, example, specs) in REAL_ARCH.items():
        seed(7)
        save_traced(cls(), example(), [s["name"] for s in specs],
                    os.path.join(out, name + ".pt"), specs)


if __name__ == "__main__":
    main(sys.argv[1])
