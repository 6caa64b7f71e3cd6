"""Max and average pooling (``torch.nn.MaxPool2d`` / ``AvgPool2d``), one window cell a step.

``out = ⌊(H + 2p − d·(k − 1) − 1) / s⌋ + 1`` (``⌈…⌉`` with ``ceil_mode``, whose
last window must start inside the input or its left/top padding). Max-pool
padding is ``-inf`` and never wins; average pooling divides by the window
cells inside the padded input (``count_include_pad``), inside the input, or by
``divisor_override``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .blocks import BlockSteps
from .checks import MAX_ABS_VALUE, SpecError, pair, show
from .checks import grid as check_grid
from .opbase import (
    OpListing,
    OpStep,
    SizedSpec,
    flag,
    nest,
    pair_text,
    scalar,
    symmetric_padding,
)
from .spec import MAX_CHANNELS, MAX_INPUT_SIDE, MAX_KERNEL_SIDE


@dataclass(frozen=True)
class PoolSpec(SizedSpec):
    """Input ``[C][H][W]``, a window (no kernel values) and PyTorch's pooling options."""

    op: str
    input: np.ndarray
    pool: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int] = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    ceil_mode: bool = False
    count_include_pad: bool = True
    divisor_override: int | None = None
    input_rank: int = 2

    kernel = None

    @property
    def integral(self) -> bool:
        return self.input.dtype.kind == "i" and self.op == "maxpool"

    def out_side(self, axis: int) -> int:
        n, k = self.input.shape[1 + axis], self.pool[axis]
        s, p, d = self.stride[axis], self.padding[axis], self.dilation[axis]
        span = n + 2 * p - d * (k - 1) - 1
        out = (-(-span // s) if self.ceil_mode else span // s) + 1
        if self.ceil_mode and (out - 1) * s >= n + p:
            out -= 1
        return out

    def grids(self) -> tuple[list, None]:
        return (self.input[0] if self.input_rank == 2 else self.input).tolist(), None

    def options(self) -> dict[str, Any]:
        options: dict[str, Any] = {
            "pool": list(self.pool), "stride": list(self.stride),
            "padding": list(self.padding), "ceil_mode": self.ceil_mode,
        }
        if self.op == "maxpool":
            options["dilation"] = list(self.dilation)
        else:
            options["count_include_pad"] = self.count_include_pad
            options["divisor_override"] = self.divisor_override
        return options

    def with_options(self, **changes: Any) -> PoolSpec:
        return make_pool(self.op, self.grids()[0], **{**self.options(), **changes})

    def describe_size(self) -> str:
        c = f"{self.input.shape[0]}×" if self.input_rank == 3 else ""
        h, w = self.input.shape[1:]
        return (f"{c}{h}×{w} {self.op} {self.pool[0]}×{self.pool[1]}"
                f" → {c}{self.out_height}×{self.out_width}")

    def describe_options(self) -> str:
        parts = [f"{self.op} {pair_text(self.pool)}"]
        if self.stride != self.pool:
            parts.append(f"stride {pair_text(self.stride)}")
        if any(self.padding):
            parts.append(f"padding {pair_text(self.padding)}")
        if self.dilation != (1, 1):
            parts.append(f"dilation {pair_text(self.dilation)}")
        if self.ceil_mode:
            parts.append("ceil_mode")
        if self.op == "avgpool" and not self.count_include_pad:
            parts.append("count_include_pad off")
        if self.divisor_override is not None:
            parts.append(f"divisor {self.divisor_override}")
        return " · ".join(parts)


def make_pool(op: str, input: Any, *, pool: Any = None, stride: Any = None, padding: Any = 0,
              dilation: Any = 1, ceil_mode: Any = False, count_include_pad: Any = True,
              divisor_override: Any = None) -> PoolSpec:
    """Validate a pooling problem as PyTorch would; raise ``SpecError`` in one line."""
    x, integral = check_grid(input, "input", (2, 3))
    rank = x.ndim
    if rank == 2:
        x = x[None]
    c, h, w = x.shape
    if h > MAX_INPUT_SIDE or w > MAX_INPUT_SIDE or c > MAX_CHANNELS:
        raise SpecError(f"input is {c}×{h}×{w}, over the limit of {MAX_CHANNELS}×"
                        f"{MAX_INPUT_SIDE}×{MAX_INPUT_SIDE}")
    if pool is None:
        raise SpecError(f"{op} needs a window size (--pool K or \"pool\": [KH, KW])")
    window = pair(pool, "pool", 1)
    if max(window) > MAX_KERNEL_SIDE:
        raise SpecError(f"pool window {pair_text(window)} is over the limit of {MAX_KERNEL_SIDE}")
    steps = window if stride is None else pair(stride, "stride", 1)
    pads = symmetric_padding(padding)
    dil = pair(dilation, "dilation", 1)
    if op == "avgpool" and dil != (1, 1):
        raise SpecError("avgpool has no dilation (PyTorch's AvgPool2d takes none)")
    for a in range(2):
        if pads[a] > window[a] // 2:
            raise SpecError(f"padding {pair_text(pads)} is over half the {pair_text(window)}"
                            " window (PyTorch allows at most k // 2)")
    divisor = None
    if divisor_override is not None:
        if isinstance(divisor_override, bool) or not isinstance(divisor_override, int) \
                or divisor_override < 1:
            raise SpecError(f"divisor_override must be a whole number ≥ 1, got"
                            f" {show(divisor_override)}")
        if divisor_override > MAX_ABS_VALUE:  # a float of it would overflow past 1e308
            raise SpecError(f"divisor_override is {show(divisor_override)}, over the limit"
                            f" of {MAX_ABS_VALUE:g}")
        if op != "avgpool":
            raise SpecError("divisor_override applies to avgpool only")
        divisor = divisor_override
    include = flag(count_include_pad, "count_include_pad")
    if op != "avgpool" and not include:
        raise SpecError("count_include_pad applies to avgpool only")
    spec = PoolSpec(op, x.astype(np.int64 if integral else np.float64), window, steps, pads,
                    dil, flag(ceil_mode, "ceil_mode"), include, divisor, rank)
    if spec.out_height < 1 or spec.out_width < 1:
        raise SpecError(f"the {pair_text(window)} window (dilation {pair_text(dil)}) does not"
                        f" fit the {h}×{w} input with padding {pair_text(pads)}")
    return spec


def listing(spec: PoolSpec) -> OpListing:
    """``maxPool2D`` / ``avgPool2D`` pseudocode with this problem's numbers."""
    is_max = spec.op == "maxpool"
    ch = spec.input_rank == 3
    name = "maxPool2D" if is_max else "avgPool2D"
    lines = [f"function {name}(input):", f"  {'C, ' if ch else ''}H, W = dimensions(input)",
             "  kH, kW = {}, {}   # window".format(*spec.pool),
             "  sH, sW = {}, {}   # stride".format(*spec.stride),
             "  pH, pW = {}, {}   # padding ({})".format(*spec.padding,
                                                      "-inf, never wins" if is_max else "zeros")]
    reach = "dH*(kH-1)" if is_max else "(kH-1)"
    if is_max:
        lines.append("  dH, dW = {}, {}   # dilation".format(*spec.dilation))
    for side, n, p, s in (("outH", "H", "pH", "sH"), ("outW", "W", "pW", "sW")):
        r = reach.replace("H", side[-1]) if side == "outW" else reach
        if spec.ceil_mode:
            lines.append(f"  {side} = ceil(({n} + 2*{p} - {r} - 1) / {s}) + 1")
            lines.append(f"  if ({side}-1)*{s} >= {n} + {p}: {side} -= 1"
                         "   # last window starts inside")
        else:
            lines.append(f"  {side} = ({n} + 2*{p} - {r} - 1) // {s} + 1")
    init = len(lines) + 1
    lines += [f"  output = zeros({'C, ' if ch else ''}outH, outW)", ""]
    indent = nest(lines, "  ", [("ch", "C")] * ch + [("row", "outH"), ("col", "outW")])
    reset = len(lines) + 1
    lines.append(f"{indent}{'m = -inf' if is_max else 'sum = 0'}")
    nest(lines, indent, [("kr", "kH"), ("kc", "kW")])
    i = "[ch]" if ch else ""
    d_r, d_c = ("kr*dH", "kc*dW") if is_max else ("kr", "kc")
    cell = f"input{i}[row*sH - pH + {d_r}][col*sW - pW + {d_c}]"
    pool_line = len(lines) + 1
    lines.append(f"{indent}    m = max(m, {cell})" if is_max else f"{indent}    sum += {cell}")
    write = len(lines) + 1
    if is_max:
        lines.append(f"{indent}output{i}[row][col] = m")
    elif spec.divisor_override is not None:
        lines.append(f"{indent}output{i}[row][col] = sum / {spec.divisor_override}"
                     "   # divisor_override")
    else:
        where = "padded input" if spec.count_include_pad else "input"
        lines.append(f"{indent}output{i}[row][col] = sum / n   # n = window cells in the {where}")
    done = len(lines) + 1
    lines.append("  return output")
    return OpListing(tuple(lines), {"init": init, "reset": reset, "pool": pool_line,
                                    "write": write, "done": done})


class PoolSteps(BlockSteps):
    """Per output cell: ``reset``, one ``pool`` step per window cell, ``write``."""

    inner_phase = "pool"

    def __init__(self, spec: PoolSpec) -> None:
        self.spec = spec
        self.listing = listing(spec)
        self.is_max = spec.op == "maxpool"
        c = spec.input.shape[0]
        self.out_shape = (c, spec.out_height, spec.out_width)
        self.positions = c * spec.out_height * spec.out_width
        self.inner = spec.pool[0] * spec.pool[1]
        self._setup()
        self._x = spec.input.tolist()
        self.output, self.divisors = self._all()

    def origin(self, row: int, col: int) -> tuple[int, int]:
        """Top-left input cell of a window (negative inside the padding)."""
        s, p = self.spec.stride, self.spec.padding
        return row * s[0] - p[0], col * s[1] - p[1]

    def _divisor(self, row: int, col: int) -> int:
        spec = self.spec
        if spec.divisor_override is not None:
            return spec.divisor_override
        (r0, c0), (h, w) = self.origin(row, col), spec.input.shape[1:]
        (kh, kw), (ph, pw) = spec.pool, spec.padding
        r1, c1 = min(r0 + kh, h + ph), min(c0 + kw, w + pw)
        if not spec.count_include_pad:
            r0, c0, r1, c1 = max(r0, 0), max(c0, 0), min(r1, h), min(c1, w)
        return (r1 - r0) * (c1 - c0)

    def _all(self) -> tuple[np.ndarray, np.ndarray]:
        spec = self.spec
        c, oh, ow = self.out_shape
        (kh, kw), (sh, sw), (dh, dw) = spec.pool, spec.stride, spec.dilation
        (ph, pw), (h, w) = spec.padding, spec.input.shape[1:]
        need_h = max(h + 2 * ph, (oh - 1) * sh + dh * (kh - 1) + 1)
        need_w = max(w + 2 * pw, (ow - 1) * sw + dw * (kw - 1) + 1)
        fill = -np.inf if self.is_max else 0
        grid = np.full((c, need_h, need_w), fill, dtype=np.float64)
        grid[:, ph:ph + h, pw:pw + w] = spec.input
        acc = np.full(self.out_shape, fill, dtype=np.float64)
        for kr in range(kh):
            for kc in range(kw):
                patch = grid[:, kr * dh: kr * dh + (oh - 1) * sh + 1: sh,
                             kc * dw: kc * dw + (ow - 1) * sw + 1: sw]
                acc = np.maximum(acc, patch) if self.is_max else acc + patch
        divisors = np.array([[self._divisor(r, q) for q in range(ow)] for r in range(oh)])
        if self.is_max:
            if spec.integral and np.isfinite(acc).all():
                return acc.astype(np.int64), divisors
            return acc, divisors
        return acc / divisors, divisors

    def coords(self, position: int) -> tuple[int, int, int]:
        ch, rest = divmod(position, self.out_shape[1] * self.out_shape[2])
        row, col = divmod(rest, self.out_shape[2])
        return ch, row, col

    def terms(self, position: int) -> list[tuple[int, int, int, int, bool, Any]]:
        ch, row, col = self.coords(position)
        (kh, kw), (dh, dw) = self.spec.pool, self.spec.dilation
        r0, c0 = self.origin(row, col)
        h, w = self.spec.input.shape[1:]
        plane = self._x[ch]
        pad = -np.inf if self.is_max else 0
        out = []
        for kr in range(kh):
            for kc in range(kw):
                r, c = r0 + kr * dh, c0 + kc * dw
                inside = 0 <= r < h and 0 <= c < w
                out.append((kr, kc, r, c, not inside, plane[r][c] if inside else pad))
        return out

    def start(self, position: int) -> Any:
        return -np.inf if self.is_max else 0

    def fold(self, running: Any, term: Any) -> Any:
        x = term[-1]
        return (x if x > running else running) if self.is_max else running + x

    def _head(self, ch: int, row: int, col: int) -> dict[str, Any]:
        fields: dict[str, Any] = {"ch": ch} if self.spec.input_rank == 3 else {}
        fields.update(row=row, col=col)
        return fields

    def reset_record(self, index: int, position: int) -> OpStep:
        ch, row, col = self.coords(position)
        fields = {**self._head(ch, row, col), "max" if self.is_max else "sum":
                  self.start(position)}
        return OpStep(index, "reset", self.listing.line("reset"), fields,
                      {"output": (ch, row, col)})

    def inner_record(self, index: int, position: int, m: int, term: Any,
                     running: Any) -> OpStep:
        ch, row, col = self.coords(position)
        kr, kc, r, c, padding, x = term
        fields = {**self._head(ch, row, col), "kr": kr, "kc": kc, "in_row": r, "in_col": c,
                  "padding": padding, "input": x, "max" if self.is_max else "sum": running}
        return OpStep(index, "pool", self.listing.line("pool"), fields,
                      {"input": (ch, r, c), "window": (kr, kc), "output": (ch, row, col)})

    def write_record(self, index: int, position: int) -> OpStep:
        ch, row, col = self.coords(position)
        fields = self._head(ch, row, col)
        if not self.is_max:
            running = self.start(position)
            for term in self.terms(position):
                running = self.fold(running, term)
            fields.update(sum=running, divisor=scalar(self.divisors[row, col]))
        fields["value"] = scalar(self.output[ch, row, col])
        return OpStep(index, "write", self.listing.line("write"), fields,
                      {"output": (ch, row, col)})

    def grids(self) -> dict[str, Any]:
        return {"input": self.spec.input, "window": self.spec.pool, "output": self.output}


def build(spec: PoolSpec) -> PoolSteps:
    return PoolSteps(spec)
