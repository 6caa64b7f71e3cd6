"""Every grid's highlight at one step: the bridge from a ``Frame`` to what the views draw.

Pure numpy, O(C·K²) a step: the window's products are sliced from the padded
input, never replayed from earlier steps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .cells import FLOAT_WIDTH, CellGrid, Highlight, Window
from .engine import Phase, Steps
from .formatting import format_number
from .links import Cursor, Marks
from .view_model import Frame


@dataclass(frozen=True)
class BoardMarks:
    """Highlights keyed by grid: input plane ``ch``, kernel slice ``(f, ch)``, output map
    ``f``; plus the products of the current window (a kernel-shaped grid) and its title."""

    inputs: dict[int, Highlight]
    kernels: dict[tuple[int, int], Highlight]
    outputs: dict[int, Highlight]
    products: CellGrid
    products_mark: Highlight
    products_title: str


def weights_used(steps: Steps, f: int, ch: int) -> np.ndarray:
    """The kernel slice as the loops read it (rotated 180° with ``flip``)."""
    kernel = steps.spec.kernel[f, ch]
    return kernel[::-1, ::-1] if steps.spec.flip else kernel


def window_products(steps: Steps, f: int, ch: int, row: int, col: int) -> np.ndarray:
    """``x·w`` for every cell of one output cell's window in one channel, in loop order."""
    spec = steps.spec
    r0, c0 = row * spec.stride[0], col * spec.stride[1]
    dh, dw = spec.dilation
    window = steps.padded_input[
        ch,
        r0 : r0 + dh * (spec.kernel_height - 1) + 1 : dh,
        c0 : c0 + dw * (spec.kernel_width - 1) + 1 : dw,
    ]
    return window * weights_used(steps, f, ch)


def kernel_window(steps: Steps, frame: Frame) -> Window | None:
    spec = steps.spec
    if frame.window is None:
        return None
    return Window(
        frame.window[0], frame.window[1], spec.kernel_height, spec.kernel_width,
        spec.dilation[0], spec.dilation[1],
    )


def board_marks(
    steps: Steps, frame: Frame, *, planes: tuple[int, ...], slices: tuple[tuple[int, int], ...],
    badges: bool = False,
) -> BoardMarks:
    """The highlight of each input plane and kernel slice on screen, and of every output map.

    Planes and slices other than the ones being read are dimmed, not hidden;
    ``badges`` puts each multiplied window cell's product in it (tall cells only).
    """
    spec = steps.spec
    step = frame.step
    window = kernel_window(steps, frame)
    in_position = step.phase in (Phase.RESET, Phase.MAC, Phase.WRITE)
    products = np.zeros((spec.kernel_height, spec.kernel_width))
    multiplied = 0
    if in_position:
        products = window_products(steps, frame.filter, frame.channel, step.row or 0,
                                   step.col or 0)
        if step.phase is Phase.MAC:
            multiplied = (step.kr or 0) * spec.kernel_width + (step.kc or 0) + 1
        elif step.phase is Phase.WRITE:
            multiplied = products.size
    input_badges: dict[tuple[int, int], str] = {}
    if badges and window is not None and multiplied:
        weights = weights_used(steps, frame.filter, frame.channel)
        for m in range(multiplied):
            kr, kc = divmod(m, spec.kernel_width)
            cell = (window.top + kr * window.step_rows, window.left + kc * window.step_cols)
            input_badges[cell] = f"×{format_number(weights[kr, kc].item())}"
            input_badges[cell] += f"={format_number(products[kr, kc].item())}"
    inputs = {
        ch: Highlight(
            window=window,
            current=frame.input_cell if ch == frame.channel else None,
            dimmed=in_position and ch != frame.channel,
            badges=input_badges if ch == frame.channel else {},
        )
        for ch in planes
    }
    kernels = {
        (f, ch): Highlight(
            current=frame.kernel_cell if (f, ch) == (frame.filter, frame.channel) else None,
            dimmed=in_position and (f, ch) != (frame.filter, frame.channel),
        )
        for f, ch in slices
    }
    per_map = spec.out_height * spec.out_width
    outputs = {}
    for f in range(spec.filters):
        mine = f == frame.filter and frame.output_cell is not None
        outputs[f] = Highlight(
            current=frame.output_cell if mine else None,
            filled=min(max(frame.filled - f * per_map, 0), per_map),
            partial=frame.partial if mine else None,
            written=frame.output_cell if mine and frame.written else None,
        )
    title = "products x·w"
    if spec.has_channels:
        title += f" · ch {frame.channel}"
    if in_position and step.sum is not None and step.phase is not Phase.WRITE:
        title += f" · Σ so far {format_number(step.sum)}"
    elif step.phase is Phase.WRITE:
        title += f" · Σ {format_number(step.sum or 0)} written"
    return BoardMarks(
        inputs, kernels, outputs, CellGrid(products), Highlight(filled=multiplied), title
    )


def with_links(
    marks: BoardMarks, links: Marks | None, cursor: Cursor | None, filter: int
) -> BoardMarks:
    """``marks`` plus what point-and-ask marked and where the cell cursor is: the input
    cells on every plane, the kernel cells on the slices of ``filter``, the output cells
    on their own map."""
    def add(mark: Highlight, grid: str, cells: frozenset[tuple[int, int]], channel: int = 0,
            slice_filter: int | None = None) -> Highlight:
        here = cursor is not None and cursor.on(grid, channel, slice_filter)
        return replace(mark, marked=cells, cursor=(cursor.row, cursor.col) if here else None)

    inputs = {ch: add(m, "input", links.input if links else frozenset(), ch)
              for ch, m in marks.inputs.items()}
    kernels = {key: add(m, "kernel", links.kernel if links and key[0] == filter
                        else frozenset(), key[1], key[0])
               for key, m in marks.kernels.items()}
    outputs = {}
    for f, m in marks.outputs.items():
        cells = frozenset((r, c) for ff, r, c in links.output if ff == f) if links else frozenset()
        outputs[f] = add(m, "output", cells) if f == filter else replace(m, marked=cells)
    return replace(marks, inputs=inputs, kernels=kernels, outputs=outputs)


def sum_bound(steps: Steps) -> float:
    """A bound on every running sum's magnitude, |b| + Σ|w|·max|x|, known without
    computing any sum: enough to size the output cells before the sums are ready."""
    spec = steps.spec
    # Two reductions, no copy: |x| of a 1024² input as floats is 16 MB to allocate.
    biggest_input = max(abs(float(spec.input.max())), abs(float(spec.input.min()))) \
        if spec.input.size else 0.0
    weights = np.abs(spec.kernel.astype(float)).sum(axis=(1, 2, 3))
    bias = np.abs(np.asarray(spec.bias if spec.bias is not None else [0.0], dtype=float))
    return float((weights * biggest_input).max() + bias.max())


def output_width(steps: Steps) -> int:
    """Characters an output cell needs for any running sum (with its ``Σ``) or value:
    exact once the sums are known, a safe bound before."""
    if not steps.spec.integral:
        return FLOAT_WIDTH + 1
    if steps.sums_ready:
        low, high = steps.partial_range
        return max(len(format_number(low)), len(format_number(high))) + 1
    bound = int(sum_bound(steps)) + 1
    return len(str(-bound)) + 1
