"""The backward pass of a convolution: ``grad-input`` (dX) and ``grad-weight`` (dW, db).

Given ``dY`` (the loss's gradient at the output, default all ones), as
``torch.autograd`` computes them for ``conv2d``: ``dX`` is the transposed
convolution of ``dY`` with the kernel (a scatter, see ``scatter.py``) and
``dW[f][ch][kr][kc] = Σ_row,col Xpad[ch][row·s + kr·d][col·s + kc·d] · dY[f][row][col]``,
one reset, one multiply-add per output position and one write per weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .blocks import BlockSteps
from .checks import SpecError
from .checks import grid as check_grid
from .opbase import OpListing, OpStep, nest, scalar
from .scatter import ScatterNames, ScatterSteps
from .spec import ConvSpec, make_spec


@dataclass(frozen=True)
class GradSpec:
    """The forward convolution and ``dY`` (``[F][outH][outW]``)."""

    op: str
    conv: ConvSpec
    grad_output: np.ndarray
    given_grad: bool = False

    @property
    def kernel(self) -> np.ndarray:
        return self.conv.kernel

    @property
    def input(self) -> np.ndarray:
        return self.conv.input

    @property
    def integral(self) -> bool:
        return self.conv.integral and self.grad_output.dtype.kind == "i"

    @property
    def output_rank(self) -> int:
        return self.conv.input_rank if self.op == "grad-input" else self.conv.kernel_rank

    def grids(self) -> tuple[list, list]:
        return self.conv.grids()

    def options(self) -> dict[str, Any]:
        grad = self.grad_output if self.conv.has_filters else self.grad_output[0]
        return {**self.conv.options(),
                "grad_output": grad.tolist() if self.given_grad else None}

    def with_options(self, **changes: Any) -> GradSpec:
        return make_grad(self.op, *self.grids(), **{**self.options(), **changes})

    def describe_size(self) -> str:
        c = self.conv
        f = f"{c.filters}×" if c.has_filters else ""
        ch = f"{c.channels}×" if c.has_channels else ""
        dy = f"dY {f}{c.out_height}×{c.out_width}"
        k = f"{f}{ch}{c.kernel_height}×{c.kernel_width}"
        if self.op == "grad-input":
            return f"{dy} ⊛ᵀ {k} → dX {ch}{c.height}×{c.width}"
        db = f" + db {c.filters}" if c.bias is not None else ""
        return f"{ch}{c.height}×{c.width} ⋆ {dy} → dW {k}{db}"

    def describe_options(self) -> str:
        return " · ".join(p for p in (self.op, self.conv.describe_options()) if p)


def make_grad(op: str, input: Any, kernel: Any, *, grad_output: Any = None,
              **options: Any) -> GradSpec:
    """Validate the forward problem and ``dY``; raise ``SpecError`` in one line."""
    conv = make_spec(input, kernel, **options)
    if conv.activation != "none":
        raise SpecError(f"{op} takes the convolution without activation (relu)")
    if conv.flip:
        raise SpecError(f"{op} takes the convolution without flip")
    shape = (conv.filters, conv.out_height, conv.out_width)
    want = shape if conv.has_filters else shape[1:]
    if grad_output is None:
        return GradSpec(op, conv, np.ones(shape, dtype=np.int64))
    grad, integral = check_grid(grad_output, "grad_output", (len(want),))
    if grad.shape != want:
        raise SpecError(f"grad_output is {'×'.join(map(str, grad.shape))} but the forward"
                        f" output is {'×'.join(map(str, want))}")
    grad = grad.astype(np.int64 if integral else np.float64).reshape(shape)
    return GradSpec(op, conv, grad, given_grad=True)


def _shapes(c: ConvSpec, x: str, k: str) -> tuple[str, str, str]:
    ch, f = ("C, " if c.has_channels else ""), ("F, " if c.has_filters else "")
    return (f"  {ch}H, W = dimensions({x})", f"  {f}outH, outW = dimensions(dY)",
            f"  {f}{ch}kH, kW = dimensions({k})")


def input_listing(spec: GradSpec) -> OpListing:
    c = spec.conv
    ch, f = c.has_channels, c.has_filters
    lines = ["function convGradInput(dY, kernel):", *_shapes(c, "input", "kernel")[1:],
             f"  H, W = {c.height}, {c.width}   # the input's size",
             "  sH, sW = {}, {}   # stride".format(*c.stride),
             f"  pT, pL = {c.padding[0]}, {c.padding[2]}   # padding (top, left)",
             "  dH, dW = {}, {}   # dilation".format(*c.dilation)]
    init = len(lines) + 1
    lines += [f"  dX = zeros({'C, ' if ch else ''}H, W)", ""]
    indent = nest(lines, "  ", [("f", "F")] * f + [("row", "outH"), ("col", "outW")]
                  + [("ch", "C")] * ch + [("kr", "kH"), ("kc", "kW")])
    lines += [f"{indent}r = row*sH - pT + kr*dH", f"{indent}c = col*sW - pL + kc*dW"]
    skipped = len(lines) + 1
    lines.append(f"{indent}if 0 <= r < H and 0 <= c < W:")
    scatter = len(lines) + 1
    fi, ci = ("[f]" if f else ""), ("[ch]" if ch else "")
    lines.append(f"{indent}  dX{ci}[r][c] += dY{fi}[row][col] * kernel{fi}{ci}[kr][kc]")
    done = len(lines) + 1
    lines.append("  return dX")
    return OpListing(tuple(lines), {"init": init, "skipped": skipped, "scatter": scatter,
                                    "done": done})


def build_input(spec: GradSpec) -> ScatterSteps:
    c = spec.conv
    names = ScatterNames("f" if c.has_filters else None, "ch" if c.has_channels else None,
                         "grad", "grad_output", "in_row", "in_col")
    return ScatterSteps(spec, spec.grad_output, c.kernel, (c.channels, c.height, c.width),
                        c.stride, (c.padding[0], c.padding[2]), c.dilation,
                        input_listing(spec), names)


def weight_listing(spec: GradSpec) -> OpListing:
    c = spec.conv
    ch, f, bias = c.has_channels, c.has_filters, c.bias is not None
    lines = ["function convGradWeight(input, dY):", *_shapes(c, "input", "kernel")[:2],
             f"  kH, kW = {c.kernel_height}, {c.kernel_width}   # the kernel's size",
             "  sH, sW = {}, {}   # stride".format(*c.stride),
             "  dilH, dilW = {}, {}   # dilation".format(*c.dilation)]
    if c.padded:
        lines += ["  pT, pB, pL, pR = {}, {}, {}, {}   # padding".format(*c.padding),
                  "  input = pad(input, pT, pB, pL, pR)   # zeros around the edges"]
    init = len(lines) + 1
    lines.append(f"  dW = zeros({'F, ' if f else ''}{'C, ' if ch else ''}kH, kW)")
    if bias:
        lines.append(f"  db = zeros({'F' if f else '1'})")
    lines.append("")
    indent = nest(lines, "  ", [("f", "F")] * f + [("ch", "C")] * ch
                  + [("kr", "kH"), ("kc", "kW")])
    fi, ci = ("[f]" if f else ""), ("[ch]" if ch else "")
    reset = len(lines) + 1
    lines.append(f"{indent}sum = 0")
    nest(lines, indent, [("row", "outH"), ("col", "outW")])
    mac = len(lines) + 1
    lines.append(f"{indent}    sum += input{ci}[row*sH + kr*dilH][col*sW + kc*dilW]"
                 f" * dY{fi}[row][col]")
    write = len(lines) + 1
    lines.append(f"{indent}dW{fi}{ci}[kr][kc] = sum")
    phase_lines = {"init": init, "reset": reset, "mac": mac, "write": write}
    if bias:
        indent = nest(lines, "  ", [("f", "F")] * f)
        phase_lines["bias_reset"] = len(lines) + 1
        lines.append(f"{indent}sum = 0")
        nest(lines, indent, [("row", "outH"), ("col", "outW")])
        phase_lines["bias_add"] = len(lines) + 1
        lines.append(f"{indent}    sum += dY{fi}[row][col]")
        phase_lines["bias_write"] = len(lines) + 1
        lines.append(f"{indent}db{fi if f else '[0]'} = sum")
    phase_lines["done"] = len(lines) + 1
    lines.append(f"  return dW{', db' if bias else ''}")
    return OpListing(tuple(lines), phase_lines)


class GradWeightSteps(BlockSteps):
    """Per weight (then per bias): ``reset``, one ``mac`` per output position, ``write``."""

    inner_phase = "mac"

    def __init__(self, spec: GradSpec) -> None:
        c = self.conv = spec.conv
        self.spec = spec
        self.listing = weight_listing(spec)
        self.weights = c.filters * c.channels * c.kernel_height * c.kernel_width
        self.positions = self.weights + (c.filters if c.bias is not None else 0)
        self.inner = c.out_height * c.out_width
        self._setup()
        top, bottom, left, right = c.padding
        self.padded_input = np.pad(c.input, ((0, 0), (top, bottom), (left, right)))
        self._g = spec.grad_output.tolist()
        self.output, self.grad_bias = self._all()

    def _window(self, ch: int, kr: int, kc: int) -> np.ndarray:
        c = self.conv
        r0, c0 = kr * c.dilation[0], kc * c.dilation[1]
        return self.padded_input[ch, r0: r0 + (c.out_height - 1) * c.stride[0] + 1: c.stride[0],
                                 c0: c0 + (c.out_width - 1) * c.stride[1] + 1: c.stride[1]]

    def _all(self) -> tuple[np.ndarray, np.ndarray]:
        """Every dW and db, summed in loop order (``cumsum`` adds one term at a time)."""
        c, g = self.conv, self.spec.grad_output
        dw = np.empty(c.kernel.shape, dtype=np.result_type(c.input, g))
        for f in range(c.filters):
            for ch in range(c.channels):
                for kr in range(c.kernel_height):
                    for kc in range(c.kernel_width):
                        dw[f, ch, kr, kc] = np.cumsum((self._window(ch, kr, kc) * g[f]).ravel())[-1]
        db = np.array([np.cumsum(g[f].ravel())[-1] for f in range(c.filters)])
        return dw, db

    def target(self, position: int) -> tuple[int, ...]:
        """(f, ch, kr, kc) of a weight position, or (f,) of a bias position."""
        if position >= self.weights:
            return (position - self.weights,)
        c = self.conv
        return tuple(int(v) for v in np.unravel_index(position, c.kernel.shape))

    def terms(self, position: int) -> list[tuple[int, int, int, int, bool, Any, Any]]:
        c, target = self.conv, self.target(position)
        plane = self._g[target[0]]
        out = []
        for row in range(c.out_height):
            for col in range(c.out_width):
                g = plane[row][col]
                if len(target) == 1:
                    out.append((row, col, 0, 0, False, None, g))
                    continue
                _, ch, kr, kc = target
                r = row * c.stride[0] + kr * c.dilation[0] - c.padding[0]
                q = col * c.stride[1] + kc * c.dilation[1] - c.padding[2]
                inside = 0 <= r < c.height and 0 <= q < c.width
                x = self.padded_input[ch, r + c.padding[0], q + c.padding[2]].item()
                out.append((row, col, r, q, not inside, x, g))
        return out

    def start(self, position: int) -> Any:
        return 0

    def fold(self, running: Any, term: Any) -> Any:
        x, g = term[-2:]
        return running + (g if x is None else x * g)

    def _head(self, target: tuple[int, ...]) -> dict[str, Any]:
        c = self.conv
        fields: dict[str, Any] = {"f": target[0]} if c.has_filters else {}
        if len(target) == 4:
            if c.has_channels:
                fields["ch"] = target[1]
            fields.update(kr=target[2], kc=target[3])
        return fields

    def _grid(self, position: int) -> str:
        return "grad_bias" if position >= self.weights else "output"

    def _phase(self, position: int, phase: str) -> tuple[str, int]:
        if position >= self.weights:
            phase = {"reset": "bias_reset", "mac": "bias_add", "write": "bias_write"}[phase]
        return phase, self.listing.line(phase)

    def reset_record(self, index: int, position: int) -> OpStep:
        phase, line = self._phase(position, "reset")
        return OpStep(index, phase, line, {**self._head(self.target(position)), "sum": 0},
                      {self._grid(position): self.target(position)})

    def inner_record(self, index: int, position: int, m: int, term: Any,
                     running: Any) -> OpStep:
        phase, line = self._phase(position, "mac")
        target = self.target(position)
        row, col, r, q, padding, x, g = term
        fields = self._head(target)
        fields.update(row=row, col=col)
        cells = {self._grid(position): target, "grad_output": (target[0], row, col)}
        if x is not None:
            fields.update(in_row=r, in_col=q)
            if self.conv.padded:
                fields["padding"] = padding
            fields.update(input=x, grad=g, product=x * g)
            cells["input"] = (target[1], r, q)
        else:
            fields["grad"] = g
        fields["sum"] = running
        return OpStep(index, phase, line, fields, cells)

    def write_record(self, index: int, position: int) -> OpStep:
        phase, line = self._phase(position, "write")
        target = self.target(position)
        value = self.output[target] if len(target) == 4 else self.grad_bias[target[0]]
        return OpStep(index, phase, line, {**self._head(target), "value": scalar(value)},
                      {self._grid(position): target})

    def edge(self, index: int, phase: str) -> OpStep:
        fields = {}
        if phase == "done" and self.conv.bias is not None:
            fields["grad_bias"] = self.grad_bias.tolist()
        return OpStep(index, phase, self.listing.line(phase), fields)

    def output_list(self) -> list[Any]:
        rank = self.conv.kernel_rank
        return self.output.reshape(self.output.shape[4 - rank:]).tolist()

    def grids(self) -> dict[str, Any]:
        grids = {"input": self.conv.input, "grad_output": self.spec.grad_output,
                 "output": self.output}
        if self.conv.bias is not None:
            grids["grad_bias"] = self.grad_bias
        return grids


def build(spec: GradSpec) -> ScatterSteps | GradWeightSteps:
    return build_input(spec) if spec.op == "grad-input" else GradWeightSteps(spec)
