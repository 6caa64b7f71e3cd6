"""What the operation screen draws at a step: its panels (grids) and their highlights.

The conv explorer's view model (``view_model.frame_at``, ``marks.board_marks``)
knows one loop nest; this one is built from what every operation's steps say
(``OpStep.cells``, ``locate``, ``accumulated``), so transposed convolution,
pooling, the two gradients, the direct form of a transposed convolution and
the im2col view of a conv share one screen. Pure numpy; no Textual here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .cells import FLOAT_WIDTH, Highlight, Window, text_width
from .engine import Phase, Steps
from .formatting import format_number
from .im2col import Im2col
from .marks import output_width
from .pooling import PoolSteps
from .scatter import ScatterSteps
from .view_model import frame_at

MODES = ("scatter", "pool", "grad-weight", "direct", "im2col")


@dataclass
class Panel:
    """One grid panel: a stack of planes (the one a step reads is shown), how its
    labels count, and whether its values change from step to step (``live``)."""

    key: str
    title: str
    planes: np.ndarray                      # [P][R][C]
    names: tuple[str, ...] = ()             # one per plane, when there are several
    row_base: int = 0
    col_base: int = 0
    real: tuple[int, int, int, int] | None = None
    width_hint: int | None = None
    live: bool = False


@dataclass(frozen=True)
class Mark:
    """The plane a panel shows at a step and what is highlighted on it."""

    plane: int = 0
    highlight: Highlight = field(default_factory=Highlight)


def _planes(values: np.ndarray) -> np.ndarray:
    """Any grid as ``[P][R][C]``: a 4-D kernel's ``[A][B]`` planes in row-major order."""
    values = np.asarray(values)
    if values.ndim == 1:
        return values.reshape(1, 1, -1)
    if values.ndim == 2:
        return values[None]
    return values.reshape(-1, *values.shape[-2:])


def _names(label: str, *sizes: int) -> tuple[str, ...]:
    """``kernel[0][1]``-style names for the planes of a stack, empty for a single plane."""
    if int(np.prod(sizes)) <= 1:
        return ()
    names = []
    for flat in range(int(np.prod(sizes))):
        index = np.unravel_index(flat, sizes)
        names.append(label + "".join(f"[{int(i)}]" for i in index))
    return tuple(names)


def _shape(values: np.ndarray, keep: int) -> str:
    """The shape as the user sees it: leading size-1 axes dropped down to ``keep`` axes."""
    shape = list(values.shape)
    while len(shape) > keep and shape[0] == 1:
        shape.pop(0)
    return "×".join(map(str, shape))


def _filled(count: int, plane: int, size: int) -> int:
    """How many cells of ``plane`` (of ``size`` cells) are written when ``count`` are."""
    return min(max(count - plane * size, 0), size)


def _running_width(values: np.ndarray, bound: Any, extra: int = 0) -> int:
    """Cell width that fits every running value (ints up to ``±bound``, floats at full
    width) plus ``extra`` (1 for the ``Σ`` of a running sum)."""
    if values.dtype.kind != "i":
        return FLOAT_WIDTH + extra
    top = int(np.max(bound)) if np.size(bound) else 0
    return max(text_width(np.array([-top, top])), text_width(values)) + extra


class OpView:
    """Panels and marks of one problem in one mode; the words live in ``op_words``."""

    mode: str
    panels: list[Panel]

    def __init__(self, steps: Any) -> None:
        self.steps = steps
        self.listing = steps.listing
        self.last = steps.last
        self._cache: dict[tuple[str, int], Any] = {}

    def _memo(self, key: str, index: int, make: Callable[[], Any]) -> Any:
        """One value per (what, step): a step's marks and values are asked for twice."""
        slot = (key, index)
        if slot not in self._cache:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[slot] = make()
        return self._cache[slot]

    def step(self, index: int) -> Any:
        return self._memo("step", index, lambda: self.steps[index])

    def marks(self, index: int) -> dict[str, Mark]:
        raise NotImplementedError

    def values(self, key: str, index: int, plane: int) -> np.ndarray:
        """A live panel's plane at this step (static panels never ask)."""
        raise NotImplementedError

    def panel(self, key: str) -> Panel:
        return next(p for p in self.panels if p.key == key)


class ScatterView(OpView):
    """Transposed convolution and grad-input: each source cell times the whole kernel,
    added into the output cells it lands on (which grow as the steps go)."""

    mode = "scatter"

    def __init__(self, steps: ScatterSteps) -> None:
        super().__init__(steps)
        names = steps.names
        cs, cd = steps.weights.shape[:2]
        grad = names.src_grid == "grad_output"
        src, out = ("dY", "dX") if grad else ("input", "output")
        bound = ScatterSteps(steps.spec, np.abs(steps.source), np.abs(steps.weights),
                             steps.out_shape, steps.stride, steps.offset, steps.dilation,
                             steps.listing, names).output
        # grad-input's weights are the forward kernel [F][C]; transposed's are [C][F].
        kernel_names = _names("kernel", cs, cd)
        self.panels = [
            Panel(names.src_grid, f"{src} {_shape(steps.source, 2)}", _planes(steps.source),
                  _names(src, cs)),
            Panel("kernel", f"kernel {_shape(steps.weights, 2)}", _planes(steps.weights),
                  kernel_names),
            Panel("output", f"{out} {_shape(np.zeros(steps.out_shape), 2)}",
                  np.zeros(steps.out_shape, dtype=steps.output.dtype), _names(out, cd),
                  width_hint=_running_width(steps.output, bound), live=True),
        ]
        self.src_key = names.src_grid

    def marks(self, index: int) -> dict[str, Mark]:
        steps = self.steps
        step = self.step(index)
        if step.phase != "scatter":
            last = index == self.last
            cs, cd = steps.weights.shape[:2]
            return {self.src_key: Mark(cs - 1 if last else 0),
                    "kernel": Mark(cs * cd - 1 if last else 0),
                    "output": Mark(cd - 1 if last else 0)}
        sc, row, col, dc, kr, kc = steps.loop_vars(index)
        cd = steps.weights.shape[1]
        kh, kw = steps.weights.shape[2:]
        landing = steps.target(row, col, kr, kc)
        current = landing if steps.inside(*landing) else None
        return {
            self.src_key: Mark(sc, Highlight(current=(row, col))),
            "kernel": Mark(sc * cd + dc, Highlight(current=(kr, kc))),
            "output": Mark(dc, Highlight(window=self._footprint(row, col, kh, kw),
                                         current=current)),
        }

    def _footprint(self, row: int, col: int, kh: int, kw: int) -> Window | None:
        """The output cells input cell (row, col) lands on, as a window (cropped)."""
        steps = self.steps
        spans = []
        for axis, k, at in ((0, kh, row), (1, kw, col)):
            size, d = steps.out_shape[1 + axis], steps.dilation[axis]
            hits = [at * steps.stride[axis] - steps.offset[axis] + i * d for i in range(k)]
            hits = [h for h in hits if 0 <= h < size]
            if not hits:
                return None
            spans.append((hits[0], len(hits), d))
        (top, rows, dr), (left, cols, dc) = spans
        return Window(top, left, rows, cols, dr, dc)

    def values(self, key: str, index: int, plane: int) -> np.ndarray:
        return self._memo("acc", index, lambda: self.steps.accumulated(index))[plane]


class PoolView(OpView):
    """Max and average pooling: the window on the (padded) input, its cells, the output."""

    mode = "pool"

    def __init__(self, steps: PoolSteps) -> None:
        super().__init__(steps)
        spec = steps.spec
        c, h, w = spec.input.shape
        (kh, kw), (sh, sw), (dh, dw) = spec.pool, spec.stride, spec.dilation
        (ph, pw) = spec.padding
        _, oh, ow = steps.out_shape
        need_h = max(h + 2 * ph, (oh - 1) * sh + dh * (kh - 1) + 1)
        need_w = max(w + 2 * pw, (ow - 1) * sw + dw * (kw - 1) + 1)
        exact = not steps.is_max or (need_h, need_w) == (h, w)  # no -inf to hold
        dtype = spec.input.dtype if exact else np.float64
        padded = np.full((c, need_h, need_w), -np.inf if steps.is_max and not exact else 0,
                         dtype=dtype)
        padded[:, ph:ph + h, pw:pw + w] = spec.input
        self.pad = (ph, pw)
        real = (ph, pw, ph + h, pw + w) if padded.shape[1:] != (h, w) else None
        name = "max" if steps.is_max else "avg"
        self.panels = [
            Panel("input", f"input {_shape(spec.input, 2)}", padded, _names("input", c),
                  row_base=-ph, col_base=-pw, real=real),
            Panel("window", f"{name} window {kh}×{kw}", np.zeros((1, kh, kw), dtype=dtype),
                  live=True),
            Panel("output", f"output {_shape(steps.output, 2)}", _planes(steps.output),
                  _names("output", c), width_hint=self._width(padded)),
        ]

    def _width(self, padded: np.ndarray) -> int:
        """Room for a running max (an input value, or -inf) or sum, with its ``Σ``."""
        steps = self.steps
        if steps.is_max:
            width = max(text_width(np.nan_to_num(padded, neginf=0)), text_width(steps.output))
            return max(width, len("-inf")) + 1  # a reset shows m = -inf
        if padded.dtype.kind != "i":
            return FLOAT_WIDTH + 1
        bound = int(np.abs(padded).max()) * steps.inner
        return max(text_width(np.array([-bound, bound])), text_width(steps.output)) + 1

    def marks(self, index: int) -> dict[str, Mark]:
        steps, spec = self.steps, self.steps.spec
        phase, position, _m = steps.locate(index)
        count = steps.filled_count(index)
        _, oh, ow = steps.out_shape
        if phase in ("init", "done"):
            plane = 0 if phase == "init" else steps.out_shape[0] - 1
            return {"input": Mark(plane), "window": Mark(),
                    "output": Mark(plane, Highlight(filled=_filled(count, plane, oh * ow)))}
        ch, row, col = steps.coords(position)
        step = self.step(index)
        (kh, kw), (sh, sw), (dh, dw) = spec.pool, spec.stride, spec.dilation
        window = Window(row * sh, col * sw, kh, kw, dh, dw)
        current = cell = None
        if phase == "pool":
            current = (step.in_row + self.pad[0], step.in_col + self.pad[1])
            cell = (step.kr, step.kc)
        running = step.max if steps.is_max else step.sum
        partial = format_number(running) if phase in ("reset", "pool") else None
        out = Highlight(current=(row, col), filled=_filled(count, ch, oh * ow), partial=partial,
                        partial_symbol="m" if steps.is_max else "Σ",
                        written=(row, col) if phase == "write" else None)
        return {"input": Mark(ch, Highlight(window=window, current=current)),
                "window": Mark(0, Highlight(current=cell)), "output": Mark(ch, out)}

    def values(self, key: str, index: int, plane: int) -> np.ndarray:
        steps = self.steps
        _phase, position, _ = steps.locate(index)
        position = min(max(position, 0), steps.positions - 1)
        kh, kw = steps.spec.pool

        def window() -> np.ndarray:
            cells = [term[-1] for term in steps.terms(position)]
            return np.array(cells, dtype=self.panels[1].planes.dtype).reshape(kh, kw)

        return self._memo("window", position, window)


class GradWeightView(OpView):
    """dW: for each weight, the input cells it touched times dY, summed (then db = Σ dY)."""

    mode = "grad-weight"

    def __init__(self, steps: Any) -> None:
        super().__init__(steps)
        conv = steps.conv
        f, c = conv.filters, conv.channels
        grad = steps.spec.grad_output
        top, _, left, _ = conv.padding
        self.pad = (top, left)
        real = (top, left, top + conv.height, left + conv.width) if conv.padded else None
        self.panels = [
            Panel("input", f"input {_shape(conv.input, 2)}", steps.padded_input,
                  _names("input", c), row_base=-top, col_base=-left, real=real),
            Panel("grad_output", f"dY {_shape(steps.spec.grad_output, 2)}",
                  _planes(steps.spec.grad_output), _names("dY", f)),
            Panel("output", f"dW {_shape(steps.output, 2)}", _planes(steps.output),
                  _names("dW", f, c), width_hint=_running_width(
                      steps.output, np.abs(conv.input).max() * np.abs(grad).max()
                      * steps.inner, 1)),
        ]
        if conv.bias is not None:
            self.panels.append(Panel("grad_bias", f"db {f}", _planes(steps.grad_bias),
                                     width_hint=_running_width(
                                         steps.grad_bias, np.abs(grad).sum(), 1)))

    def marks(self, index: int) -> dict[str, Mark]:
        steps, conv = self.steps, self.steps.conv
        phase, position, _ = steps.locate(index)
        count = steps.filled_count(index)
        size = conv.kernel_height * conv.kernel_width
        planes = conv.filters * conv.channels
        weights = steps.weights
        marks: dict[str, Mark] = {}
        if phase in ("init", "done") or position >= weights:
            plane = 0 if phase == "init" else planes - 1
            marks["output"] = Mark(plane, Highlight(filled=_filled(count, plane, size)))
            marks["input"] = Mark(0 if phase == "init" else conv.channels - 1)
            marks["grad_output"] = Mark(0 if phase == "init" else conv.filters - 1)
            if conv.bias is not None:
                marks["grad_bias"] = Mark(0, Highlight(filled=max(count - weights, 0)))
            if phase in ("init", "done"):
                return marks
        step = self.step(index)
        running = format_number(step.sum) if phase in ("reset", "mac") else None
        if position >= weights:
            f = position - weights
            grad = (step.row, step.col) if phase == "mac" else None
            marks["grad_output"] = Mark(f, Highlight(current=grad))
            marks["grad_bias"] = Mark(0, Highlight(
                current=(0, f), filled=max(count - weights, 0), partial=running,
                written=(0, f) if phase == "write" else None))
            return marks
        f, ch, kr, kc = steps.target(position)
        (sh, sw), (dh, dw) = conv.stride, conv.dilation
        reach = Window(kr * dh, kc * dw, conv.out_height, conv.out_width, sh, sw)
        current = grad = None
        if phase == "mac":
            current = (step.in_row + self.pad[0], step.in_col + self.pad[1])
            grad = (step.row, step.col)
        plane = f * conv.channels + ch
        marks["input"] = Mark(ch, Highlight(window=reach, current=current))
        marks["grad_output"] = Mark(f, Highlight(current=grad))
        marks["output"] = Mark(plane, Highlight(
            current=(kr, kc), filled=_filled(count, plane, size), partial=running,
            written=(kr, kc) if phase == "write" else None))
        return marks


class DirectView(OpView):
    """A plain convolution drawn with this screen's panels: the equivalent direct form of
    a transposed convolution (stretched, padded input; rotated kernel)."""

    mode = "direct"

    def __init__(self, steps: Steps, *, stretched: bool = True) -> None:
        super().__init__(steps)
        steps.compute_sums()
        spec = steps.spec
        top, _, left, _ = spec.padding
        real = (top, left, top + spec.height, left + spec.width) if spec.padded else None
        what = "stretched input" if stretched else "input"
        kernel = "kernel rotated 180°" if stretched else "kernel"
        self.panels = [
            Panel("input", f"{what} {spec.height}×{spec.width}, padded", steps.padded_input,
                  _names("input", spec.channels), row_base=-top, col_base=-left, real=real),
            Panel("kernel", f"{kernel} {spec.kernel_height}×{spec.kernel_width}",
                  _planes(spec.kernel), _names("kernel", spec.filters, spec.channels)),
            Panel("output", f"output {_shape(steps.output, 2)}", steps.output,
                  _names("output", spec.filters), width_hint=output_width(steps)),
        ]

    def marks(self, index: int) -> dict[str, Mark]:
        spec = self.steps.spec
        frame = self._memo("frame", index, lambda: frame_at(self.steps, index))
        size = spec.out_height * spec.out_width
        window = None
        if frame.window is not None:
            window = Window(*frame.window, spec.kernel_height, spec.kernel_width,
                            *spec.dilation)
        out = Highlight(current=frame.output_cell,
                        filled=_filled(frame.filled, frame.filter, size),
                        partial=frame.partial,
                        written=frame.output_cell if frame.written else None)
        return {
            "input": Mark(frame.channel, Highlight(window=window, current=frame.input_cell)),
            "kernel": Mark(frame.filter * spec.channels + frame.channel,
                           Highlight(current=frame.kernel_cell)),
            "output": Mark(frame.filter, out),
        }


class Im2colView(OpView):
    """A conv as the matrix product frameworks run: W (F × C·kH·kW) times the unfolded
    input (C·kH·kW × outH·outW) gives the F × outH·outW output, reshaped to the maps."""

    mode = "im2col"

    def __init__(self, steps: Steps) -> None:
        super().__init__(steps)
        steps.compute_sums()
        self.matrix = Im2col(steps)
        spec = steps.spec
        rows, cols = self.matrix.unfold_shape
        out = steps.output.reshape(spec.filters, cols)
        self.panels = [
            Panel("weights", f"W {spec.filters}×{rows}",
                  self.matrix.weight_matrix()[None]),
            Panel("unfold", f"unfolded input {rows}×{cols}", self.matrix.unfolded()[None]),
            Panel("output", f"output {spec.filters}×{cols} = {_shape(steps.output, 2)}",
                  out[None], width_hint=output_width(steps)),
        ]

    def marks(self, index: int) -> dict[str, Mark]:
        steps = self.steps
        step = self.step(index)
        rows, _cols = self.matrix.unfold_shape
        filled = steps.filled_count(index)
        if step.phase in (Phase.INIT, Phase.DONE):
            return {"weights": Mark(), "unfold": Mark(),
                    "output": Mark(0, Highlight(filled=filled))}
        where = self.matrix.cell(step)
        column, f = where["unfold_col"], step.f or 0
        m = where.get("unfold_row")
        partial = format_number(step.sum) if step.phase in (Phase.RESET, Phase.MAC) else None
        return {
            "weights": Mark(0, Highlight(window=Window(f, 0, 1, rows),
                                         current=(f, m) if m is not None else None)),
            "unfold": Mark(0, Highlight(window=Window(0, column, rows, 1),
                                        current=(m, column) if m is not None else None)),
            "output": Mark(0, Highlight(current=(f, column), filled=filled, partial=partial,
                                        written=(f, column) if step.phase is Phase.WRITE
                                        else None)),
        }


def make_view(steps: Any, mode: str | None = None) -> OpView:
    """The view of ``steps`` in ``mode`` (default: the operation's own)."""
    if mode == "im2col":
        return Im2colView(steps)
    if isinstance(steps, Steps):
        return DirectView(steps, stretched=mode == "direct")
    if isinstance(steps, ScatterSteps):
        return ScatterView(steps)
    if isinstance(steps, PoolSteps):
        return PoolView(steps)
    return GradWeightView(steps)
