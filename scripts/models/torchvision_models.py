"""Traced TorchScript versions of a few small torchvision 0.14 classifiers and of its
segmentation models.

Usage: /usr/bin/python3 torchvision_models.py OUT_DIR [NAME ...]

Writes OUT_DIR/<name>.pt for each model (all of them without NAME arguments), randomly
initialised (weights=None, fixed seeds: nothing is downloaded) and traced at a small input
size, F32 [1, 3, SIZE, SIZE], so that `tao bounds --coverage` and capture stay quick. The
models exist to exercise the verifier on the operator kinds real architectures use
(hardswish/hardsigmoid, channel shuffles, squeeze-excitation, fire modules, dilated
convolutions, atrous pyramid pooling, bilinear upsampling, ...); their outputs mean nothing.
Segmentation models return a dict; the traced model returns its "out" map (N, classes,
SIZE, SIZE).
"""
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import save_traced, seed  # noqa: E402

SIZE = 64

# name -> (constructor, seed). Each constructor takes weights=None: random initialisation.
MODELS = {
    "mobilenet_v3_small": (torchvision.models.mobilenet_v3_small, 11),
    "squeezenet1_1": (torchvision.models.squeezenet1_1, 12),
    "shufflenet_v2_x0_5": (torchvision.models.shufflenet_v2_x0_5, 13),
    "efficientnet_b0": (torchvision.models.efficientnet_b0, 14),
}
# Segmentation: the backbones' own classifier weights are not needed (weights_backbone=None).
SEGMENTATION = {
    "lraspp_mobilenet_v3_large": (torchvision.models.segmentation.lraspp_mobilenet_v3_large, 21),
    "deeplabv3_mobilenet_v3_large":
        (torchvision.models.segmentation.deeplabv3_mobilenet_v3_large, 22),
    "fcn_resnet50": (torchvision.models.segmentation.fcn_resnet50, 23),
}


class OutMap(torch.nn.Module):
    """The "out" entry of a segmentation model's result dict (tracing needs a tensor)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def build(name, out):
    if name in SEGMENTATION:
        ctor, s = SEGMENTATION[name]
        seed(s)
        model = OutMap(ctor(weights=None, weights_backbone=None, num_classes=5))
    else:
        ctor, s = MODELS[name]
        seed(s)
        model = ctor(weights=None, num_classes=10)
    example = torch.randn(1, 3, SIZE, SIZE)
    save_traced(model, (example,), ["x"], os.path.join(out, f"{name}.pt"),
                [{"name": "x", "dtype": "F32", "shape": [1, 3, SIZE, SIZE],
                  "distribution": "normal"}])


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    known = list(MODELS) + list(SEGMENTATION)
    names = sys.argv[2:] or known
    for n in names:
        if n not in known:
            sys.exit(f"unknown model {n}; known: {', '.join(known)}")
    os.makedirs(out, exist_ok=True)
    for n in names:
        build(n, out)
        print(f"{n}: {os.path.join(out, n + '.pt')}")


if __name__ == "__main__":
    main()
