"""The scatter loop nest shared by transposed convolution and the input gradient.

Each source cell is multiplied by every weight and added into the output cell
it lands on, ``(row·s − p + kr·d, col·s − p + kc·d)``; landings outside the
output are ``skipped`` steps. A step's ``value`` (the output cell after its
add) is summed from that cell's earlier contributors only, so ``steps[i]``
costs O(C·kH·kW) with nothing stored per step.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .opbase import OpListing, OpStep, OpSteps


@dataclass(frozen=True)
class ScatterNames:
    """What the trace calls things: ``transposed`` and ``grad-input`` name them differently."""

    src_channel: str | None   # field of the source channel, None when the grid is 2-D
    dst_channel: str | None   # field of the output channel
    src_value: str            # "input" or "grad"
    src_grid: str             # "input" or "grad_output"
    dst_row: str              # "out_row" or "in_row"
    dst_col: str


def _span(n_src: int, n_dst: int, stride: int, offset: int) -> tuple[slice, slice] | None:
    """Source and destination slices where ``i·stride + offset`` lands in ``0..n_dst-1``."""
    lo = max(0, -(offset // stride))
    hi = min(n_src - 1, (n_dst - 1 - offset) // stride)
    if hi < lo:
        return None
    start = lo * stride + offset
    return slice(lo, hi + 1), slice(start, start + (hi - lo) * stride + 1, stride)


class ScatterSteps(OpSteps):
    """``init``, a ``scatter`` step per (source channel, row, col, output channel, kr, kc),
    ``done``; a landing outside the output is a ``scatter`` with ``skipped: true``."""

    def __init__(self, spec: Any, source: np.ndarray, weights: np.ndarray,
                 out_shape: tuple[int, int, int], stride: tuple[int, int],
                 offset: tuple[int, int], dilation: tuple[int, int],
                 listing: OpListing, names: ScatterNames) -> None:
        self.spec = spec
        self.listing = listing
        self.names = names
        self.source = source            # [Cs][H][W]
        self.weights = weights          # [Cs][Cd][kH][kW]
        self.out_shape = out_shape      # (Cd, outH, outW)
        self.stride, self.offset, self.dilation = stride, offset, dilation
        self._x = source.tolist()
        self._w = weights.tolist()
        cs, h, w = source.shape
        _, cd, kh, kw = weights.shape
        self._sizes = (cs, h, w, cd, kh, kw)
        self.per_source = cd * kh * kw
        self.scatters = cs * h * w * self.per_source
        self.last = self.scatters + 1
        self.output = self.accumulated(self.last)

    def loop_vars(self, index: int) -> tuple[int, int, int, int, int, int]:
        """Scatter step index → (source channel, row, col, output channel, kr, kc)."""
        t = index - 1
        out = []
        for size in reversed(self._sizes):
            t, v = divmod(t, size)
            out.append(v)
        sc, row, col, dc, kr, kc = reversed(out)
        return sc, row, col, dc, kr, kc

    def target(self, row: int, col: int, kr: int, kc: int) -> tuple[int, int]:
        return (row * self.stride[0] - self.offset[0] + kr * self.dilation[0],
                col * self.stride[1] - self.offset[1] + kc * self.dilation[1])

    def inside(self, r: int, c: int) -> bool:
        return 0 <= r < self.out_shape[1] and 0 <= c < self.out_shape[2]

    def _value(self, sc: int, row: int, col: int, dc: int, r: int, c: int) -> Any:
        """Output cell (dc, r, c) after the contributions up to source cell (sc, row, col)."""
        _, h, w, _, kh, kw = self._sizes
        (sh, sw), (ph, pw), (dh, dw) = self.stride, self.offset, self.dilation
        total: Any = 0
        for sc2 in range(sc + 1):
            for kr2 in reversed(range(kh)):
                num = r + ph - kr2 * dh
                row2 = num // sh
                if num % sh or not 0 <= row2 < h or (sc2, row2) > (sc, row):
                    continue
                for kc2 in reversed(range(kw)):
                    num = c + pw - kc2 * dw
                    col2 = num // sw
                    if num % sw or not 0 <= col2 < w or (sc2, row2, col2) > (sc, row, col):
                        continue
                    total += self._x[sc2][row2][col2] * self._w[sc2][dc][kr2][kc2]
        return total

    def _record(self, index: int, sc: int, row: int, col: int, dc: int, kr: int, kc: int,
                value: Any) -> OpStep:
        names = self.names
        r, c = self.target(row, col, kr, kc)
        x, w = self._x[sc][row][col], self._w[sc][dc][kr][kc]
        fields: dict[str, Any] = {}
        if names.src_channel:
            fields[names.src_channel] = sc
        fields["row"], fields["col"] = row, col
        if names.dst_channel:
            fields[names.dst_channel] = dc
        fields.update({"kr": kr, "kc": kc, names.dst_row: r, names.dst_col: c,
                       names.src_value: x, "weight": w, "product": x * w})
        inside = self.inside(r, c)
        if inside:
            fields["value"] = value
        else:
            fields["skipped"] = True
        return OpStep(
            index, "scatter", self.listing.line("scatter" if inside else "skipped"), fields,
            {names.src_grid: (sc, row, col), "kernel": (sc, dc, kr, kc),
             **({"output": (dc, r, c)} if inside else {})},
        )

    def _at(self, index: int) -> OpStep:
        if index == 0:
            return self.edge(0, "init")
        if index == self.last:
            return self.edge(index, "done")
        sc, row, col, dc, kr, kc = self.loop_vars(index)
        r, c = self.target(row, col, kr, kc)
        value = self._value(sc, row, col, dc, r, c) if self.inside(r, c) else None
        return self._record(index, sc, row, col, dc, kr, kc, value)

    def iter_from(self, start: int) -> Iterator[OpStep]:
        """Steps ``start`` … last, adding into a running output (O(1) a step)."""
        start = self._check(start)
        if start == 0:
            yield self.edge(0, "init")
        acc = self.accumulated(max(start - 1, 0)).tolist()
        for index in range(max(start, 1), self.last):
            sc, row, col, dc, kr, kc = self.loop_vars(index)
            r, c = self.target(row, col, kr, kc)
            value = None
            if self.inside(r, c):
                acc[dc][r][c] += self._x[sc][row][col] * self._w[sc][dc][kr][kc]
                value = acc[dc][r][c]
            yield self._record(index, sc, row, col, dc, kr, kc, value)
        yield self.edge(self.last, "done")

    def accumulated(self, index: int) -> np.ndarray:
        """The output grid after step ``index`` (every cell as far as it has grown); the
        index is checked as ``steps[index]`` checks it."""
        done = min(self._check(index), self.scatters)
        whole, rest = divmod(done, self.per_source)
        cs, h, w, _, kh, kw = self._sizes
        mask = (np.arange(cs * h * w) < whole).reshape(cs, h, w)
        source = np.where(mask, self.source, 0)
        out = np.zeros(self.out_shape, dtype=np.result_type(self.source, self.weights))
        for sc in range(cs):
            for kr in reversed(range(kh)):
                rows = _span(h, self.out_shape[1], self.stride[0],
                             kr * self.dilation[0] - self.offset[0])
                if rows is None:
                    continue
                for kc in reversed(range(kw)):
                    cols = _span(w, self.out_shape[2], self.stride[1],
                                 kc * self.dilation[1] - self.offset[1])
                    if cols is None:
                        continue
                    patch = source[sc, rows[0], cols[0]]
                    out[:, rows[1], cols[1]] += (
                        patch[None] * self.weights[sc, :, kr, kc][:, None, None]
                    )
        if rest:
            sc, row, col = np.unravel_index(whole, (cs, h, w))
            for m in range(rest):
                dc, cell = divmod(m, kh * kw)
                kr, kc = divmod(cell, kw)
                r, c = self.target(int(row), int(col), kr, kc)
                if self.inside(r, c):
                    out[dc, r, c] += self.source[sc, row, col] * self.weights[sc, dc, kr, kc]
        return out

    def grids(self) -> dict[str, Any]:
        return {self.names.src_grid: self.source, "kernel": self.weights,
                "output": self.output}
