"""Independent references for the operations beyond conv, written from their definitions.

Nothing here imports ``eigenvue_tui``. Grids are ``[C][H][W]`` lists; kernels are
PyTorch's layouts. Each function uses plain loops and a formulation different
from the engine's where one exists: the transposed output is computed uncropped
and then cropped, the gradients by the chain rule through every forward MAC,
pooling on an explicitly padded copy with PyTorch's own size and divisor rules.
"""

from __future__ import annotations

import math
from typing import Any

NEG_INF = float("-inf")


def _zeros(*shape: int) -> Any:
    if len(shape) == 1:
        return [0] * shape[0]
    return [_zeros(*shape[1:]) for _ in range(shape[0])]


# -- transposed convolution -----------------------------------------------------


def transposed_size(n: int, k: int, s: int, p: int, d: int, op: int) -> int:
    return (n - 1) * s - 2 * p + d * (k - 1) + op + 1


def conv_transpose2d(x: list, w: list, stride=(1, 1), padding=(0, 0), dilation=(1, 1),
                     output_padding=(0, 0)) -> list:
    """``x`` ``[C][H][W]``, ``w`` ``[C][F][kH][kW]`` → ``[F][outH][outW]``."""
    c_in, h, wd = len(x), len(x[0]), len(x[0][0])
    f_out, kh, kw = len(w[0]), len(w[0][0]), len(w[0][0][0])
    (sh, sw), (ph, pw), (dh, dw), (oph, opw) = stride, padding, dilation, output_padding
    full_h = (h - 1) * sh + dh * (kh - 1) + 1 + oph
    full_w = (wd - 1) * sw + dw * (kw - 1) + 1 + opw
    full = _zeros(f_out, full_h, full_w)
    for ci in range(c_in):
        for row in range(h):
            for col in range(wd):
                for fo in range(f_out):
                    for kr in range(kh):
                        for kc in range(kw):
                            full[fo][row * sh + kr * dh][col * sw + kc * dw] += (
                                x[ci][row][col] * w[ci][fo][kr][kc])
    out_h = transposed_size(h, kh, sh, ph, dh, oph)
    out_w = transposed_size(wd, kw, sw, pw, dw, opw)
    return [[plane[r][pw:pw + out_w] for r in range(ph, ph + out_h)] for plane in full]


def scatter_steps(x: list, w: list, out_hw: tuple[int, int], stride, offset, dilation,
                  src: str = "input", dst: tuple[str, str] = ("out_row", "out_col"),
                  channel_names: tuple[str | None, str | None] = (None, None)) -> list[dict]:
    """The scatter loop nest's steps: ``x`` ``[Cs][H][W]``, ``w`` ``[Cs][Cd][kH][kW]``."""
    out_h, out_w = out_hw
    cs, cd = len(x), len(w[0])
    kh, kw = len(w[0][0]), len(w[0][0][0])
    acc = _zeros(cd, out_h, out_w)
    result = [{"phase": "init"}]
    for sc in range(cs):
        for row in range(len(x[0])):
            for col in range(len(x[0][0])):
                for dc in range(cd):
                    for kr in range(kh):
                        for kc in range(kw):
                            r = row * stride[0] - offset[0] + kr * dilation[0]
                            c = col * stride[1] - offset[1] + kc * dilation[1]
                            v, k = x[sc][row][col], w[sc][dc][kr][kc]
                            rec = {"phase": "scatter"}
                            if channel_names[0]:
                                rec[channel_names[0]] = sc
                            rec.update(row=row, col=col)
                            if channel_names[1]:
                                rec[channel_names[1]] = dc
                            rec.update({"kr": kr, "kc": kc, dst[0]: r, dst[1]: c, src: v,
                                        "weight": k, "product": v * k})
                            if 0 <= r < out_h and 0 <= c < out_w:
                                acc[dc][r][c] += v * k
                                rec["value"] = acc[dc][r][c]
                            else:
                                rec["skipped"] = True
                            result.append(rec)
    result.append({"phase": "done", "output": acc})
    return result


# -- pooling ----------------------------------------------------------------------


def pool_size(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """PyTorch's ``pooling_output_shape``."""
    out = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def pool_steps(op: str, x: list, pool, stride, padding=(0, 0), dilation=(1, 1),
               ceil_mode=False, count_include_pad=True, divisor_override=None,
               channels: bool = False) -> list[dict]:
    """Every pooling step in order; the last record's ``output`` is the result."""
    is_max = op == "maxpool"
    c_n, h, w = len(x), len(x[0]), len(x[0][0])
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pool, stride, padding, dilation
    oh = pool_size(h, kh, sh, ph, dh, ceil_mode)
    ow = pool_size(w, kw, sw, pw, dw, ceil_mode)
    size_h, size_w = ph + (oh - 1) * sh + dh * (kh - 1) + 1, pw + (ow - 1) * sw + dw * (kw - 1) + 1
    pad_value = NEG_INF if is_max else 0
    result = [{"phase": "init"}]
    out = _zeros(c_n, oh, ow)
    key = "max" if is_max else "sum"
    for ch in range(c_n):
        grid = [[pad_value] * max(size_w, w + 2 * pw) for _ in range(max(size_h, h + 2 * ph))]
        for r in range(h):
            for c in range(w):
                grid[r + ph][c + pw] = x[ch][r][c]
        head = {"ch": ch} if channels else {}
        for row in range(oh):
            for col in range(ow):
                acc = NEG_INF if is_max else 0
                result.append({"phase": "reset", **head, "row": row, "col": col, key: acc})
                for kr in range(kh):
                    for kc in range(kw):
                        gr, gc = row * sh + kr * dh, col * sw + kc * dw
                        v = grid[gr][gc]
                        acc = max(acc, v) if is_max else acc + v
                        inside = ph <= gr < ph + h and pw <= gc < pw + w
                        result.append({"phase": "pool", **head, "row": row, "col": col,
                                       "kr": kr, "kc": kc, "in_row": gr - ph, "in_col": gc - pw,
                                       "padding": not inside, "input": v, key: acc})
                rec = {"phase": "write", **head, "row": row, "col": col}
                if is_max:
                    value = acc
                else:
                    h0, w0 = row * sh - ph, col * sw - pw
                    h1, w1 = min(h0 + kh, h + ph), min(w0 + kw, w + pw)
                    n = (h1 - h0) * (w1 - w0)
                    h0, w0, h1, w1 = max(h0, 0), max(w0, 0), min(h1, h), min(w1, w)
                    if not count_include_pad:
                        n = (h1 - h0) * (w1 - w0)
                    if divisor_override is not None:
                        n = divisor_override
                    value = acc / n
                    rec.update(sum=acc, divisor=n)
                rec["value"] = value
                out[ch][row][col] = value
                result.append(rec)
    result.append({"phase": "done", "output": out if channels else out[0]})
    return result


# -- the backward pass of conv2d ------------------------------------------------


def conv_grads(x: list, w: list, dy: list, stride, pads, dilation) -> tuple[list, list, list]:
    """(dX, dW, db) by the chain rule through every forward multiply-add.

    ``x`` ``[C][H][W]``, ``w`` ``[F][C][kH][kW]``, ``dy`` ``[F][outH][outW]``,
    ``pads`` (top, bottom, left, right).
    """
    c_n, h, wd = len(x), len(x[0]), len(x[0][0])
    f_n, kh, kw = len(w), len(w[0][0]), len(w[0][0][0])
    t, b, left, r_ = pads
    xpad = _zeros(c_n, h + t + b, wd + left + r_)
    for ch in range(c_n):
        for i in range(h):
            for j in range(wd):
                xpad[ch][i + t][j + left] = x[ch][i][j]
    dxpad = _zeros(c_n, h + t + b, wd + left + r_)
    dw = _zeros(f_n, c_n, kh, kw)
    db = [0] * f_n
    for f in range(f_n):
        for row in range(len(dy[0])):
            for col in range(len(dy[0][0])):
                g = dy[f][row][col]
                db[f] += g
                for ch in range(c_n):
                    for kr in range(kh):
                        for kc in range(kw):
                            i = row * stride[0] + kr * dilation[0]
                            j = col * stride[1] + kc * dilation[1]
                            dxpad[ch][i][j] += g * w[f][ch][kr][kc]
                            dw[f][ch][kr][kc] += xpad[ch][i][j] * g
    dx = [[plane[i][left:left + wd] for i in range(t, t + h)] for plane in dxpad]
    return dx, dw, db


# -- im2col -------------------------------------------------------------------------


def unfold(x: list, kh: int, kw: int, stride, pads, dilation) -> list:
    """``torch.nn.functional.unfold``'s matrix: rows (ch, kr, kc), columns (row, col)."""
    c_n, h, wd = len(x), len(x[0]), len(x[0][0])
    t, b, left, r_ = pads
    oh = (h + t + b - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + left + r_ - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    rows = []
    for ch in range(c_n):
        for kr in range(kh):
            for kc in range(kw):
                line = []
                for row in range(oh):
                    for col in range(ow):
                        i = row * stride[0] + kr * dilation[0] - t
                        j = col * stride[1] + kc * dilation[1] - left
                        line.append(x[ch][i][j] if 0 <= i < h and 0 <= j < wd else 0)
                rows.append(line)
    return rows


def same(got: Any, want: Any) -> bool:
    """Equal, nested lists included; floats within 1e-9; -inf equals -inf."""
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(
            same(g, w) for g, w in zip(got, want, strict=True))
    if isinstance(want, float) or isinstance(got, float):
        if math.isinf(want) or math.isinf(got):
            return got == want
        return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)
    return got == want
