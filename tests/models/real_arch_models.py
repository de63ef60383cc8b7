"""Small models written from the public definitions of widely used architectures, so the
verifier meets the operator patterns they trace to: GPT-2 (HF attention: causal
`where(mask, w, finfo.min)` and an additive padding mask), BERT (padding mask
`(1 - mask) * finfo.min`, GELU, LayerNorm), LLaMA (RMSNorm, rotary embeddings from
pow/outer/sin/cos, SwiGLU, causal mask from full/triu), a diffusion UNet block (GroupNorm,
SiLU, nearest upsampling, ConvTranspose2d, sinusoidal timestep embedding) and recurrent
models (LSTM and GRU, on padded and on packed sequences). Sizes are small: tests capture and verify them in seconds. Imported
by make_test_models.py; MODELS maps a name to (module, example inputs, input specs)."""
import math

import torch
from torch import nn
from torch.nn import functional as F

SEQ = 8
BATCH = 2


def normal(name, shape):
    return {"name": name, "dtype": "F32", "shape": shape, "distribution": "normal"}


# --- GPT-2 ---------------------------------------------------------------------------


class GPT2Attention(nn.Module):
    def __init__(self, d, heads, max_pos):
        super().__init__()
        self.heads, self.d = heads, d
        self.c_attn = nn.Linear(d, 3 * d)   # HF's Conv1D is x @ W + b, the same product
        self.c_proj = nn.Linear(d, d)
        causal = torch.tril(torch.ones(max_pos, max_pos, dtype=torch.bool))
        self.register_buffer("bias", causal.view(1, 1, max_pos, max_pos))

    def split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.d // self.heads).permute(0, 2, 1, 3)

    def forward(self, x, attention_mask):
        q, k, v = self.c_attn(x).split(self.d, dim=2)
        q, k, v = self.split(q), self.split(k), self.split(v)
        w = torch.matmul(q, k.transpose(-1, -2))
        w = w / torch.full([], v.size(-1) ** 0.5, dtype=w.dtype)
        t = q.size(-2)
        causal = self.bias[:, :, :t, :t]
        w = torch.where(causal, w, torch.tensor(torch.finfo(w.dtype).min, dtype=w.dtype))
        w = w + attention_mask
        w = torch.softmax(w, dim=-1)
        a = torch.matmul(w, v).permute(0, 2, 1, 3).contiguous()
        return self.c_proj(a.view(a.size(0), a.size(1), self.d))


class GPT2Block(nn.Module):
    def __init__(self, d=32, heads=4, max_pos=16):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.attn = GPT2Attention(d, heads, max_pos)
        self.ln_2 = nn.LayerNorm(d, eps=1e-5)
        self.c_fc = nn.Linear(d, 4 * d)
        self.c_proj = nn.Linear(4 * d, d)
        self.wpe = nn.Embedding(max_pos, d)
        self.ln_f = nn.LayerNorm(d, eps=1e-5)
        self.register_buffer("lengths", torch.tensor([SEQ, SEQ - 3]))

    def forward(self, x):  # x: [BATCH, SEQ, d] token embeddings
        t = x.size(1)
        pos = torch.arange(0, t, dtype=torch.long).unsqueeze(0)
        h = x + self.wpe(pos)
        keep = (torch.arange(t)[None, :] < self.lengths[:, None]).to(h.dtype)
        mask = (1.0 - keep[:, None, None, :]) * torch.finfo(h.dtype).min
        h = h + self.attn(self.ln_1(h), mask)
        # HF's "gelu_new": the tanh approximation written out.
        m = self.c_fc(self.ln_2(h))
        m = 0.5 * m * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (m + 0.044715 * torch.pow(m, 3.0))))
        h = h + self.c_proj(m)
        return self.ln_f(h)


# --- BERT ----------------------------------------------------------------------------


class BertLayer(nn.Module):
    def __init__(self, d=32, heads=4, inter=64, vocab=50, max_pos=16):
        super().__init__()
        self.heads, self.d = heads, d
        self.word = nn.Embedding(vocab, d)
        self.position = nn.Embedding(max_pos, d)
        self.token_type = nn.Embedding(2, d)
        self.emb_ln = nn.LayerNorm(d, eps=1e-12)
        self.query = nn.Linear(d, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.attn_out = nn.Linear(d, d)
        self.attn_ln = nn.LayerNorm(d, eps=1e-12)
        self.intermediate = nn.Linear(d, inter)
        self.output = nn.Linear(inter, d)
        self.out_ln = nn.LayerNorm(d, eps=1e-12)
        self.pooler = nn.Linear(d, d)
        self.register_buffer("lengths", torch.tensor([SEQ, SEQ - 2]))

    def heads_view(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.d // self.heads).permute(0, 2, 1, 3)

    def forward(self, ids):  # ids: [BATCH, SEQ] int64 token ids
        t = ids.size(1)
        pos = torch.arange(t).unsqueeze(0).expand_as(ids)
        types = torch.zeros_like(ids)
        h = self.emb_ln(self.word(ids) + self.position(pos) + self.token_type(types))
        mask = (torch.arange(t)[None, :] < self.lengths[:, None]).long()
        ext = mask[:, None, None, :].to(dtype=h.dtype)
        ext = (1.0 - ext) * torch.finfo(h.dtype).min
        q, k, v = (self.heads_view(f(h)) for f in (self.query, self.key, self.value))
        s = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.d // self.heads)
        p = F.softmax(s + ext, dim=-1)
        c = torch.matmul(p, v).permute(0, 2, 1, 3).contiguous().view(h.shape)
        h = self.attn_ln(self.attn_out(c) + h)
        h = self.out_ln(self.output(F.gelu(self.intermediate(h))) + h)
        return h, torch.tanh(self.pooler(h[:, 0]))


# --- LLaMA ---------------------------------------------------------------------------


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(1.0 + 0.1 * torch.randn(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate(x, cos, sin):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return x * cos + torch.cat((-x2, x1), dim=-1) * sin


class LlamaBlock(nn.Module):
    def __init__(self, d=32, heads=4, hidden=64, theta=10000.0):
        super().__init__()
        self.heads, self.d, self.hd, self.theta = heads, d, d // heads, theta
        self.input_norm = RMSNorm(d)
        self.q_proj = nn.Linear(d, d, bias=False)
        self.k_proj = nn.Linear(d, d, bias=False)
        self.v_proj = nn.Linear(d, d, bias=False)
        self.o_proj = nn.Linear(d, d, bias=False)
        self.post_norm = RMSNorm(d)
        self.gate_proj = nn.Linear(d, hidden, bias=False)
        self.up_proj = nn.Linear(d, hidden, bias=False)
        self.down_proj = nn.Linear(hidden, d, bias=False)
        self.norm = RMSNorm(d)

    def forward(self, x):  # x: [BATCH, SEQ, d]
        b, t, _ = x.shape
        inv_freq = 1.0 / (self.theta ** (torch.arange(0, self.hd, 2).float() / self.hd))
        freqs = torch.outer(torch.arange(t, dtype=torch.float32), inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        mask = torch.full((t, t), float("-inf"))
        mask = torch.triu(mask, diagonal=1)
        h = self.input_norm(x)
        q = self.q_proj(h).view(b, t, self.heads, self.hd).transpose(1, 2)
        k = self.k_proj(h).view(b, t, self.heads, self.hd).transpose(1, 2)
        v = self.v_proj(h).view(b, t, self.heads, self.hd).transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        s = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.hd) + mask
        p = F.softmax(s, dim=-1, dtype=torch.float32)
        a = torch.matmul(p, v).transpose(1, 2).reshape(b, t, self.d)
        x = x + self.o_proj(a)
        h = self.post_norm(x)
        x = x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))
        return self.norm(x)


# --- diffusion UNet block ------------------------------------------------------------


def timestep_embedding(t, dim, max_period=10000):
    half = dim // 2
    exponent = -math.log(max_period) * torch.arange(0, half, dtype=torch.float32) / half
    args = t[:, None].float() * torch.exp(exponent)[None, :]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, temb, groups=4):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=1e-6)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.temb_proj = nn.Linear(temb, cout)
        self.norm2 = nn.GroupNorm(groups, cout, eps=1e-6)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.temb_proj(F.silu(temb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return self.skip(x) + h


class UNetBlock(nn.Module):
    def __init__(self, c=8, temb=32):
        super().__init__()
        self.temb_dim = temb
        self.time_1 = nn.Linear(16, temb)
        self.time_2 = nn.Linear(temb, temb)
        self.conv_in = nn.Conv2d(3, c, 3, padding=1)
        self.down = ResBlock(c, 2 * c, temb)
        self.downsample = nn.Conv2d(2 * c, 2 * c, 3, stride=2, padding=1)
        self.mid = ResBlock(2 * c, 2 * c, temb)
        self.up_t = nn.ConvTranspose2d(2 * c, 2 * c, 4, stride=2, padding=1)
        self.up_conv = nn.Conv2d(2 * c, 2 * c, 3, padding=1)
        self.up = ResBlock(3 * c, c, temb)
        self.norm_out = nn.GroupNorm(4, c, eps=1e-6)
        self.conv_out = nn.Conv2d(c, 3, 3, padding=1)
        self.register_buffer("timesteps", torch.tensor([10, 500]))

    def forward(self, x):  # x: [BATCH, 3, 8, 8]
        temb = self.time_2(F.silu(self.time_1(timestep_embedding(self.timesteps, 16))))
        h0 = self.conv_in(x)
        h = self.down(h0, temb)
        h = self.mid(self.downsample(h), temb)
        h = self.up_t(h) + self.up_conv(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.up(torch.cat([h, h0], dim=1), temb)
        return self.conv_out(F.silu(self.norm_out(h)))


# --- recurrent -----------------------------------------------------------------------


class Recurrent(nn.Module):
    def __init__(self, d=16, hidden=24):
        super().__init__()
        self.lstm = nn.LSTM(d, hidden, num_layers=2, batch_first=True)
        self.gru = nn.GRU(hidden, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, 4)

    def forward(self, x):  # x: [BATCH, SEQ, d]
        h, _ = self.lstm(x)
        g, last = self.gru(h)
        return self.head(g[:, -1]) + last.sum(0).sum(-1, keepdim=True)


class PackedRecurrent(nn.Module):
    """Sequences of different lengths through pack_padded_sequence: an LSTM and a
    bidirectional GRU on packed data (the .data overloads), padded back for the head."""

    def __init__(self, d=16, hidden=24):
        super().__init__()
        self.lstm = nn.LSTM(d, hidden, batch_first=True)
        self.gru = nn.GRU(hidden, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, 4)
        self.register_buffer("lengths", torch.tensor([SEQ, SEQ - 3]))

    def forward(self, x):  # x: [BATCH, SEQ, d], sequence b valid for lengths[b] steps
        packed = nn.utils.rnn.pack_padded_sequence(x, self.lengths, batch_first=True)
        h, _ = self.lstm(packed)
        g, last = self.gru(h)
        out, _ = nn.utils.rnn.pad_packed_sequence(g, batch_first=True, total_length=SEQ)
        return self.head(out) + last.sum(0).sum(-1, keepdim=True).unsqueeze(1)


MODELS = {
    "gpt2_block": (GPT2Block, lambda: (torch.randn(BATCH, SEQ, 32),),
                   [normal("x", [BATCH, SEQ, 32])]),
    "bert_layer": (BertLayer, lambda: (torch.randint(0, 50, (BATCH, SEQ)),),
                   [{"name": "ids", "dtype": "I64", "shape": [BATCH, SEQ],
                     "distribution": "randint", "high": 50}]),
    "llama_block": (LlamaBlock, lambda: (torch.randn(BATCH, SEQ, 32),),
                    [normal("x", [BATCH, SEQ, 32])]),
    "unet_block": (UNetBlock, lambda: (torch.randn(BATCH, 3, 8, 8),),
                   [normal("x", [BATCH, 3, 8, 8])]),
    "recurrent": (Recurrent, lambda: (torch.randn(BATCH, SEQ, 16),),
                  [normal("x", [BATCH, SEQ, 16])]),
    "packed_recurrent": (PackedRecurrent, lambda: (torch.randn(BATCH, SEQ, 16),),
                         [normal("x", [BATCH, SEQ, 16])]),
}
