"""An independent reference for 2-D convolution, written from the definitions.

Nothing here imports ``eigenvue_tui``. Semantics are PyTorch's ``conv2d``
(cross-correlation): for filter ``f`` and output cell ``(i, j)``

    out[f][i][j] = bias[f] + Σ_ch Σ_kr Σ_kc  xpad[ch][i·sH + kr·dH][j·sW + kc·dW] · w[f][ch][kr][kc]

with ``xpad`` the input zero-padded by (top, bottom, left, right); ``flip``
rotates each kernel slice by 180° first (scipy's ``convolve2d``), and ReLU is
``max(0, ·)`` applied to the finished sum.

Three formulations are given and cross-checked by the tests:

* :func:`conv2d` — explicit loops over an explicitly padded array;
* :func:`conv2d_einsum` — ``np.einsum`` over strided sliding windows;
* :func:`expected_steps` — the pseudocode's nested loops, reading the
  *unpadded* input with bounds checks, yielding every step in order.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

PHASES = ("init", "reset", "mac", "write", "done")


# -- option parsing (the user-facing forms of issue 3) ------------------------


def _ints(value: Any) -> list[int]:
    if isinstance(value, str):
        return [int(p) for p in value.split(",")]
    if isinstance(value, (list, tuple)):
        return [int(v) for v in value]
    return [int(value)]


def as_pair(value: Any) -> tuple[int, int]:
    """``S``, ``[SH, SW]`` or ``"SH,SW"`` → ``(SH, SW)``."""
    parts = _ints(value)
    if len(parts) == 1:
        return parts[0], parts[0]
    assert len(parts) == 2, value
    return parts[0], parts[1]


def resolve_padding(
    padding: Any,
    in_hw: tuple[int, int],
    k_hw: tuple[int, int],
    stride: tuple[int, int],
    dilation: tuple[int, int],
) -> tuple[int, int, int, int]:
    """Any padding form → (top, bottom, left, right).

    ``same`` is TensorFlow's SAME: out = ceil(n / s), total padding
    ``max((out - 1)·s + d·(k - 1) + 1 - n, 0)``, the odd one at bottom/right.
    ``full`` is ``d·(k - 1)`` on every side.
    """
    if isinstance(padding, str) and padding.strip().lower() in ("valid", "same", "full"):
        word = padding.strip().lower()
        if word == "valid":
            return 0, 0, 0, 0
        reach = [dilation[a] * (k_hw[a] - 1) for a in range(2)]
        if word == "full":
            return reach[0], reach[0], reach[1], reach[1]
        sides: list[int] = []
        for a in range(2):
            n, s = in_hw[a], stride[a]
            out = math.ceil(n / s)
            total = max((out - 1) * s + reach[a] + 1 - n, 0)
            sides += [total // 2, total - total // 2]
        return sides[0], sides[1], sides[2], sides[3]
    parts = _ints(padding)
    if len(parts) == 1:
        return parts[0], parts[0], parts[0], parts[0]
    if len(parts) == 2:
        return parts[0], parts[0], parts[1], parts[1]
    assert len(parts) == 4, padding
    return parts[0], parts[1], parts[2], parts[3]


# -- grids --------------------------------------------------------------------


def depth(grid: Any) -> int:
    d = 0
    while isinstance(grid, (list, tuple, np.ndarray)):
        d += 1
        grid = grid[0]
    return d


def normalize(x: Any, w: Any) -> tuple[list, list]:
    """Input → ``[C][H][W]`` and kernel → ``[F][C][kH][kW]`` as nested Python lists."""
    x = np.asarray(x).tolist()
    w = np.asarray(w).tolist()
    if depth(x) == 2:
        x = [x]
    kd = depth(w)
    if kd == 2:
        w = [[w]]
    elif kd == 3:
        w = [w]
    return x, w


class Problem:
    """Shapes and resolved options of one convolution."""

    def __init__(self, x: Any, w: Any, *, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, flip: bool = False, bias: Any = None,
                 activation: str = "none") -> None:
        self.kernel_rank = depth(np.asarray(w).tolist())
        self.x, self.w = normalize(x, w)
        self.C, self.H, self.W = len(self.x), len(self.x[0]), len(self.x[0][0])
        self.F = len(self.w)
        self.kH, self.kW = len(self.w[0][0]), len(self.w[0][0][0])
        self.stride = as_pair(stride)
        self.dilation = as_pair(dilation)
        self.pads = resolve_padding(padding, (self.H, self.W), (self.kH, self.kW),
                                    self.stride, self.dilation)
        self.flip = flip
        if bias is None:
            self.bias = [0] * self.F
            self.has_bias = False
        else:
            self.bias = list(bias) if isinstance(bias, (list, tuple)) else [bias]
            self.has_bias = True
        self.relu = activation == "relu"
        t, b, left, r = self.pads
        self.span_h = self.dilation[0] * (self.kH - 1) + 1
        self.span_w = self.dilation[1] * (self.kW - 1) + 1
        self.padded_h = self.H + t + b
        self.padded_w = self.W + left + r

    @property
    def fits(self) -> bool:
        return self.span_h <= self.padded_h and self.span_w <= self.padded_w

    @property
    def out_h(self) -> int:
        return (self.padded_h - self.span_h) // self.stride[0] + 1

    @property
    def out_w(self) -> int:
        return (self.padded_w - self.span_w) // self.stride[1] + 1

    @property
    def n_steps(self) -> int:
        return 2 + self.F * self.out_h * self.out_w * (self.C * self.kH * self.kW + 2)

    def weight(self, f: int, ch: int, kr: int, kc: int) -> Any:
        if self.flip:
            return self.w[f][ch][self.kH - 1 - kr][self.kW - 1 - kc]
        return self.w[f][ch][kr][kc]

    def shaped(self, out: np.ndarray) -> list:
        """``[F][oH][oW]`` → the engine's user-facing shape (drop F unless 4-D kernel)."""
        return out.tolist() if self.kernel_rank == 4 else out[0].tolist()


# -- the three formulations ----------------------------------------------------


def conv2d(x: Any, w: Any, **options: Any) -> np.ndarray:
    """Explicit loops over an explicitly zero-padded copy; returns ``[F][oH][oW]``."""
    p = Problem(x, w, **options)
    assert p.fits
    t, _, left, _ = p.pads
    xpad = [[[0] * p.padded_w for _ in range(p.padded_h)] for _ in range(p.C)]
    for ch in range(p.C):
        for r in range(p.H):
            for c in range(p.W):
                xpad[ch][r + t][c + left] = p.x[ch][r][c]
    sh, sw = p.stride
    dh, dw = p.dilation
    out = [[[None] * p.out_w for _ in range(p.out_h)] for _ in range(p.F)]
    for f in range(p.F):
        for i in range(p.out_h):
            for j in range(p.out_w):
                acc = p.bias[f]
                for ch in range(p.C):
                    for kr in range(p.kH):
                        for kc in range(p.kW):
                            acc += xpad[ch][i * sh + kr * dh][j * sw + kc * dw] * p.weight(
                                f, ch, kr, kc
                            )
                out[f][i][j] = max(0, acc) if p.relu else acc
    return np.array(out)


def conv2d_einsum(x: Any, w: Any, **options: Any) -> np.ndarray:
    """Vectorised: strided sliding windows contracted with the kernel by einsum."""
    p = Problem(x, w, **options)
    assert p.fits
    xs = np.asarray(p.x, dtype=float)
    ws = np.asarray(p.w, dtype=float)
    if p.flip:
        ws = ws[:, :, ::-1, ::-1]
    t, b, left, r = p.pads
    xpad = np.pad(xs, ((0, 0), (t, b), (left, r)))
    windows = sliding_window_view(xpad, (p.span_h, p.span_w), axis=(1, 2))
    windows = windows[:, :: p.stride[0], :: p.stride[1], :: p.dilation[0], :: p.dilation[1]]
    out = np.einsum("chwij,fcij->fhw", windows, ws)
    out = out + np.asarray(p.bias, dtype=float)[:, None, None]
    return np.maximum(out, 0) if p.relu else out


def expected_steps(x: Any, w: Any, **options: Any) -> list[dict[str, Any]]:
    """Every step in pseudocode order, as dicts (no line numbers).

    Reads the unpadded input with bounds checks, so ``in_row``/``in_col`` are
    unpadded coordinates and a read outside ``0..H-1 × 0..W-1`` is padding (0).
    """
    p = Problem(x, w, **options)
    assert p.fits
    sh, sw = p.stride
    dh, dw = p.dilation
    t, _, left, _ = p.pads
    result: list[dict[str, Any]] = [{"phase": "init"}]
    output = [[[None] * p.out_w for _ in range(p.out_h)] for _ in range(p.F)]
    for f in range(p.F):
        for row in range(p.out_h):
            for col in range(p.out_w):
                total = p.bias[f]
                result.append({"phase": "reset", "f": f, "row": row, "col": col, "sum": total})
                for ch in range(p.C):
                    for kr in range(p.kH):
                        for kc in range(p.kW):
                            in_row = row * sh + kr * dh - t
                            in_col = col * sw + kc * dw - left
                            inside = 0 <= in_row < p.H and 0 <= in_col < p.W
                            value = p.x[ch][in_row][in_col] if inside else 0
                            weight = p.weight(f, ch, kr, kc)
                            product = value * weight
                            total += product
                            result.append({
                                "phase": "mac", "f": f, "row": row, "col": col, "ch": ch,
                                "kr": kr, "kc": kc, "in_row": in_row, "in_col": in_col,
                                "padding": not inside, "input": value, "weight": weight,
                                "product": product, "sum": total,
                            })
                value = max(0, total) if p.relu else total
                output[f][row][col] = value
                result.append({"phase": "write", "f": f, "row": row, "col": col,
                               "sum": total, "value": value})
    result.append({"phase": "done", "output": p.shaped(np.array(output))})
    for i, record in enumerate(result):
        record["step"] = i
    return result


# -- comparing numbers ---------------------------------------------------------


def close(got: Any, want: Any, *, exact: bool = False) -> bool:
    """Equal for integers (and when ``exact``); within 1e-9 relative otherwise."""
    if isinstance(got, (list, tuple, np.ndarray)) or isinstance(want, (list, tuple, np.ndarray)):
        g, w = np.asarray(got), np.asarray(want)
        if g.shape != w.shape:
            return False
        if exact or (g.dtype.kind in "iu" and w.dtype.kind in "iu"):
            return bool(np.array_equal(g, w))
        return bool(np.allclose(g.astype(float), w.astype(float), rtol=1e-9, atol=1e-9))
    if exact or (isinstance(got, int) and isinstance(want, int)):
        return got == want
    return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)


# -- checking a whole run against the oracle -----------------------------------


def check_steps(seq: Any, x: Any, k: Any, options: dict) -> list:
    """Every step of an engine step sequence ``seq`` equals :func:`expected_steps`.

    ``seq`` is duck-typed (``len``, iteration, ``spec``, ``listing``,
    ``output_list()``), so this module still imports nothing from the engine.
    """
    problem = Problem(x, k, **options)
    expected = expected_steps(x, k, **options)
    got = list(seq)
    spec = seq.spec
    assert len(seq) == problem.n_steps == len(expected) == len(got)
    assert (spec.out_height, spec.out_width) == (problem.out_h, problem.out_w)
    assert spec.padding == problem.pads
    listing = seq.listing
    lines = {"init": listing.init_line, "reset": listing.reset_line, "mac": listing.mac_line,
             "write": listing.write_line, "done": listing.done_line}
    integral = spec.integral
    for g, e in zip(got, expected, strict=True):
        assert g.step == e["step"]
        assert g.phase == e["phase"]
        assert g.line == lines[e["phase"]]
        if e["phase"] in ("init", "done"):
            assert (g.row, g.col, g.kr, g.kc) == (None, None, None, None)
            continue
        assert (g.row, g.col) == (e["row"], e["col"])
        assert g.f == (e["f"] if problem.kernel_rank == 4 else None)
        assert close(g.sum, e["sum"]), (g, e)
        if e["phase"] == "mac":
            assert (g.kr, g.kc) == (e["kr"], e["kc"])
            assert g.ch == (e["ch"] if spec.has_channels else None)
            assert (g.in_row, g.in_col) == (e["in_row"], e["in_col"])
            if any(problem.pads):
                assert g.padding is e["padding"]
            elif g.padding is not None:
                assert g.padding is False
            assert g.input == e["input"]
            if e["padding"]:
                assert g.input == 0
            assert g.weight == e["weight"]
            assert close(g.product, e["product"])
            if integral:
                for v in (g.input, g.weight, g.product, g.sum):
                    assert type(v) is int
        elif e["phase"] == "write":
            assert close(g.value, e["value"]), (g, e)
            if integral:
                assert type(g.value) is int
        else:
            assert (g.kr, g.kc, g.in_row, g.in_col) == (None, None, None, None)
    assert close(seq.output_list(), expected[-1]["output"])
    return got
