"""Point and ask: which cells a cell is linked to across the whole convolution.

Input cells are in the coordinates of the padded input as drawn (row 0 is the
top padding row, if any); kernel cells are as written, so with ``flip`` the
weight at written (r, c) is the one the loops read at (kH-1-r, kW-1-c).
Everything is solved per axis, so a question costs O(outH + outW) plus its answer.
Pure: no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from .engine import Steps


def _taps(
    padded: int, outputs: int, stride: int, dilation: int, taps: int
) -> list[tuple[int, int]]:
    """(output index, kernel index) pairs whose read lands on padded index ``padded``."""
    pairs = []
    for out in range(outputs):
        offset = padded - out * stride
        if offset >= 0 and offset % dilation == 0 and offset // dilation < taps:
            pairs.append((out, offset // dilation))
    return pairs


def _written(steps: Steps, kr: int, kc: int) -> tuple[int, int]:
    """Loop kernel indices ↔ written ones (the same map both ways)."""
    spec = steps.spec
    if spec.flip:
        return spec.kernel_height - 1 - kr, spec.kernel_width - 1 - kc
    return kr, kc


def fed_by(steps: Steps, row: int, col: int) -> list[tuple[int, int, int, int, int]]:
    """The output cells padded input cell ``[row][col]`` (of any channel) feeds, each
    with the weight it meets there: ``(f, out_row, out_col, kernel_row, kernel_col)`` in
    loop order, the kernel cell as written (of the clicked cell's channel)."""
    spec = steps.spec
    rows = _taps(row, spec.out_height, spec.stride[0], spec.dilation[0], spec.kernel_height)
    cols = _taps(col, spec.out_width, spec.stride[1], spec.dilation[1], spec.kernel_width)
    return [
        (f, out_row, out_col, *_written(steps, kr, kc))
        for f in range(spec.filters)
        for (out_row, kr), (out_col, kc) in product(rows, cols)
    ]


def read_by(steps: Steps, kernel_row: int, kernel_col: int) -> list[tuple[int, int]]:
    """The padded input cells the weight at written ``(kernel_row, kernel_col)`` multiplies
    over the whole convolution (of its own channel), row by row."""
    spec = steps.spec
    kr, kc = _written(steps, kernel_row, kernel_col)
    rows = [r * spec.stride[0] + kr * spec.dilation[0] for r in range(spec.out_height)]
    cols = [c * spec.stride[1] + kc * spec.dilation[1] for c in range(spec.out_width)]
    return list(product(rows, cols))


def write_step_of(steps: Steps, f: int, row: int, col: int) -> int:
    """The step that writes output ``[f][row][col]``: where a click on it jumps."""
    return steps.write_step(steps.position_of(f, row, col))


GRIDS = ("input", "kernel", "output")


@dataclass(frozen=True)
class Marks:
    """The answer to pointing at one cell: what to mark on each grid, and where to jump.

    ``input`` cells are padded coordinates, ``kernel`` cells as written, ``output`` cells
    ``(f, row, col)``; ``count`` and ``what`` make the panel's note ("4 output cells").
    """

    grid: str
    cell: tuple[int, int]
    input: frozenset[tuple[int, int]] = frozenset()
    kernel: frozenset[tuple[int, int]] = frozenset()
    output: frozenset[tuple[int, int, int]] = frozenset()
    jump: int | None = None

    @property
    def note(self) -> str:
        if self.grid == "input":
            count = len(self.output)
            return f"feeds {count} output value{'s' * (count != 1)}"
        if self.grid == "kernel":
            count = len(self.input)
            return f"multiplies {count} input cell{'s' * (count != 1)}"
        return f"reads {len(self.input)} input cells"


def ask(steps: Steps, grid: str, row: int, col: int, f: int = 0) -> Marks:
    """Point at a cell of ``grid`` ("input" padded, "kernel" as written, "output" of map f)."""
    spec = steps.spec
    if grid == "input":
        fed = fed_by(steps, row, col)
        return Marks(grid, (row, col), output=frozenset((g, r, c) for g, r, c, _, _ in fed),
                     kernel=frozenset((kr, kc) for g, _, _, kr, kc in fed if g == f))
    if grid == "kernel":
        return Marks(grid, (row, col), input=frozenset(read_by(steps, row, col)),
                     kernel=frozenset({(row, col)}))
    (sh, sw), (dh, dw) = spec.stride, spec.dilation
    window = frozenset(
        (row * sh + kr * dh, col * sw + kc * dw)
        for kr in range(spec.kernel_height) for kc in range(spec.kernel_width)
    )
    return Marks(grid, (row, col), input=window, output=frozenset({(f, row, col)}),
                 jump=write_step_of(steps, f, row, col))


@dataclass(frozen=True)
class Cursor:
    """The keyboard cell cursor: a grid and a cell in it, kept inside the grid."""

    grid: str
    row: int = 0
    col: int = 0
    # Edit mode's cursor is on one input channel / kernel slice; None: drawn on all.
    channel: int | None = None
    filter: int | None = None

    def moved(self, rows: int, cols: int, shape: tuple[int, int]) -> Cursor:
        return Cursor(self.grid, min(max(self.row + rows, 0), shape[0] - 1),
                      min(max(self.col + cols, 0), shape[1] - 1))

    def on(self, grid: str, channel: int, filter: int | None = None) -> bool:
        """Whether the cursor is drawn on this plane (input ``channel``, kernel slice)."""
        return self.grid == grid and self.channel in (None, channel) and (
            filter is None or self.filter in (None, filter))

    def next_grid(self) -> Cursor | None:
        """The next grid's top-left cell; None after the output (the cursor goes away)."""
        index = GRIDS.index(self.grid) + 1
        return Cursor(GRIDS[index]) if index < len(GRIDS) else None


def grid_shape(steps: Steps, grid: str) -> tuple[int, int]:
    """Rows and columns of a grid as drawn (the input with its padding)."""
    spec = steps.spec
    top, bottom, left, right = spec.padding
    if grid == "input":
        return spec.height + top + bottom, spec.width + left + right
    if grid == "kernel":
        return spec.kernel_height, spec.kernel_width
    return spec.out_height, spec.out_width
