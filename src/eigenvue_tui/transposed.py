"""Transposed convolution (``torch.nn.ConvTranspose2d``), walked in its scatter form.

``outH = (H − 1)·sH − 2·pH + dH·(kH − 1) + opH + 1``; each input cell is
multiplied by the whole kernel and added into the output, padding crops the
border. :func:`equivalent_conv` gives the direct convolution (zeros inserted,
padded, kernel rotated) that computes the same output with the conv engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .checks import SpecError, pair
from .checks import grid as check_grid
from .opbase import OpListing, SizedSpec, nest, pair_text, symmetric_padding
from .scatter import ScatterNames, ScatterSteps
from .spec import (
    MAX_CELLS,
    MAX_CHANNELS,
    MAX_FILTERS,
    MAX_INPUT_SIDE,
    MAX_KERNEL_SIDE,
    MAX_PADDED_SIDE,
    ConvSpec,
    make_spec,
)


@dataclass(frozen=True)
class TransposedSpec(SizedSpec):
    """Input ``[C][H][W]``, weight ``[C][F][kH][kW]`` (PyTorch's layout) and the options."""

    input: np.ndarray
    kernel: np.ndarray
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    output_padding: tuple[int, int] = (0, 0)
    input_rank: int = 2

    op = "transposed"

    @property
    def integral(self) -> bool:
        return self.input.dtype.kind == "i"

    def out_side(self, axis: int) -> int:
        n, k = self.input.shape[1 + axis], self.kernel.shape[2 + axis]
        return ((n - 1) * self.stride[axis] - 2 * self.padding[axis]
                + self.dilation[axis] * (k - 1) + self.output_padding[axis] + 1)

    def grids(self) -> tuple[list, list]:
        if self.input_rank == 2:
            return self.input[0].tolist(), self.kernel[0, 0].tolist()
        return self.input.tolist(), self.kernel.tolist()

    def options(self) -> dict[str, Any]:
        return {"stride": list(self.stride), "padding": list(self.padding),
                "dilation": list(self.dilation), "output_padding": list(self.output_padding)}

    def with_options(self, **changes: Any) -> TransposedSpec:
        return make_transposed(*self.grids(), **{**self.options(), **changes})

    def describe_size(self) -> str:
        c, f = self.input.shape[0], self.kernel.shape[1]
        cin = f"{c}×" if self.input_rank == 3 else ""
        cout = f"{f}×" if self.input_rank == 3 else ""
        h, w = self.input.shape[1:]
        kh, kw = self.kernel.shape[2:]
        return f"{cin}{h}×{w} ⊛ᵀ {kh}×{kw} → {cout}{self.out_height}×{self.out_width}"

    def describe_options(self) -> str:
        parts = ["transposed"]
        for name in ("stride", "padding", "dilation", "output_padding"):
            value = getattr(self, name)
            if value != ((1, 1) if name in ("stride", "dilation") else (0, 0)):
                parts.append(f"{name.replace('_', ' ')} {pair_text(value)}")
        return " · ".join(parts)


def make_transposed(input: Any, kernel: Any, *, stride: Any = 1, padding: Any = 0,
                    dilation: Any = 1, output_padding: Any = 0) -> TransposedSpec:
    """Validate a transposed convolution as PyTorch would; raise ``SpecError`` in one line."""
    x, x_int = check_grid(input, "input", (2, 3))
    w, w_int = check_grid(kernel, "kernel", (2, 4))
    rank = x.ndim
    if x.ndim == 2 and w.ndim == 2:
        x, w = x[None], w[None, None]
    elif x.ndim != 3 or w.ndim != 4:
        raise SpecError("transposed takes a 2-D input with a 2-D kernel, or [C][H][W] with"
                        " a [C][F][kH][kW] kernel")
    if w.shape[0] != x.shape[0]:
        raise SpecError(f"input has {x.shape[0]} channels but the kernel has {w.shape[0]}"
                        " (a transposed kernel is [C][F][kH][kW])")
    _check_sizes(x.shape, w.shape)
    s, d = pair(stride, "stride", 1), pair(dilation, "dilation", 1)
    p = symmetric_padding(padding)
    op = pair(output_padding, "output_padding", 0)
    for a in range(2):
        if op[a] >= s[a] and op[a] >= d[a]:
            raise SpecError(f"output_padding {pair_text(op)} must be smaller than stride"
                            f" {pair_text(s)} or dilation {pair_text(d)}")
    dtype = np.int64 if x_int and w_int else np.float64
    spec = TransposedSpec(x.astype(dtype), w.astype(dtype), s, p, d, op, rank)
    oh, ow = spec.out_height, spec.out_width
    if oh < 1 or ow < 1:
        raise SpecError(f"padding {pair_text(p)} crops the whole output ({oh}×{ow})")
    if max(oh, ow) > MAX_PADDED_SIDE or oh * ow * w.shape[1] > MAX_CELLS:
        raise SpecError(f"the output would be {oh}×{ow}, over the limit of"
                        f" {MAX_PADDED_SIDE}×{MAX_PADDED_SIDE}")
    return spec


def _check_sizes(x_shape: tuple[int, ...], w_shape: tuple[int, ...]) -> None:
    c, h, w = x_shape
    if h > MAX_INPUT_SIDE or w > MAX_INPUT_SIDE:
        raise SpecError(f"input is {h}×{w}, over the limit of {MAX_INPUT_SIDE}×{MAX_INPUT_SIDE}")
    if max(w_shape[2:]) > MAX_KERNEL_SIDE:
        raise SpecError(f"kernel is {w_shape[2]}×{w_shape[3]}, over the limit of"
                        f" {MAX_KERNEL_SIDE}×{MAX_KERNEL_SIDE}")
    if c > MAX_CHANNELS or w_shape[1] > MAX_FILTERS:
        raise SpecError(f"{c} input and {w_shape[1]} output channels: the limit is"
                        f" {MAX_CHANNELS} and {MAX_FILTERS}")


def listing(spec: TransposedSpec) -> OpListing:
    """``convTranspose2D`` pseudocode; channels add the ``ch``/``f`` loops."""
    ch = spec.input_rank == 3
    lines = ["function convTranspose2D(input, kernel):",
             f"  {'C, ' if ch else ''}H, W = dimensions(input)",
             f"  {'C, F, ' if ch else ''}kH, kW = dimensions(kernel)",
             "  sH, sW = {}, {}   # stride".format(*spec.stride),
             "  pH, pW = {}, {}   # padding (crops the output)".format(*spec.padding),
             "  dH, dW = {}, {}   # dilation".format(*spec.dilation),
             "  opH, opW = {}, {}   # output_padding".format(*spec.output_padding),
             "  outH = (H - 1)*sH - 2*pH + dH*(kH - 1) + opH + 1",
             "  outW = (W - 1)*sW - 2*pW + dW*(kW - 1) + opW + 1"]
    init = len(lines) + 1
    lines += [f"  output = zeros({'F, ' if ch else ''}outH, outW)", ""]
    indent = nest(lines, "  ", [("ch", "C")] * ch + [("row", "H"), ("col", "W")]
                  + [("f", "F")] * ch + [("kr", "kH"), ("kc", "kW")])
    lines += [f"{indent}r = row*sH - pH + kr*dH", f"{indent}c = col*sW - pW + kc*dW"]
    skipped = len(lines) + 1
    lines.append(f"{indent}if 0 <= r < outH and 0 <= c < outW:")
    scatter = len(lines) + 1
    o, i, k = ("[f]", "[ch]", "[ch][f]") if ch else ("", "", "")
    lines.append(f"{indent}  output{o}[r][c] += input{i}[row][col] * kernel{k}[kr][kc]")
    done = len(lines) + 1
    lines.append("  return output")
    return OpListing(tuple(lines), {"init": init, "skipped": skipped, "scatter": scatter,
                                    "done": done})


NAMES_2D = ScatterNames(None, None, "input", "input", "out_row", "out_col")
NAMES_3D = ScatterNames("ch", "f", "input", "input", "out_row", "out_col")


def build(spec: TransposedSpec) -> ScatterSteps:
    return ScatterSteps(
        spec, spec.input, spec.kernel, (spec.kernel.shape[1], spec.out_height, spec.out_width),
        spec.stride, spec.padding, spec.dilation, listing(spec),
        NAMES_3D if spec.input_rank == 3 else NAMES_2D,
    )


def equivalent_conv(spec: TransposedSpec) -> ConvSpec:
    """The direct convolution with the same output: ``stride − 1`` zeros between input
    cells, ``d·(k − 1) − p`` padding (``+ output_padding`` bottom/right; a negative
    amount crops), the kernel rotated 180° and its channel axes swapped, stride 1."""
    c, h, w = spec.input.shape
    (sh, sw), (dh, dw) = spec.stride, spec.dilation
    kh, kw = spec.kernel.shape[2:]
    stretched = np.zeros((c, (h - 1) * sh + 1, (w - 1) * sw + 1), dtype=spec.input.dtype)
    stretched[:, ::sh, ::sw] = spec.input
    sides = []
    for a, (d, k) in enumerate(((dh, kh), (dw, kw))):
        edge = d * (k - 1) - spec.padding[a]
        sides.append((edge, edge + spec.output_padding[a]))
    crop = [max(0, -v) for pair in sides for v in pair]
    stretched = stretched[:, crop[0]: stretched.shape[1] - crop[1],
                          crop[2]: stretched.shape[2] - crop[3]]
    pads = [max(0, v) for pair in sides for v in pair]
    kernel = spec.kernel.transpose(1, 0, 2, 3)[:, :, ::-1, ::-1]
    if spec.input_rank == 2:
        return make_spec(stretched[0].tolist(), kernel[0, 0].tolist(), padding=pads,
                         dilation=list(spec.dilation))
    return make_spec(stretched.tolist(), kernel.tolist(), padding=pads,
                     dilation=list(spec.dilation))
