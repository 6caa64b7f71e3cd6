"""The cell model every view draws from: a grid's values, its colour scale, its highlights.

A grid is a 2-D numpy view on the engine's own arrays (never a copy of the
data as text); a cell's text is formatted only when a row is drawn, so loading
a 1024×1024 problem formats nothing up front. Pure numpy; no Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .formatting import SIGNIFICANT_DIGITS, format_number

EXACT_WIDTH_CELLS = 4096  # float grids up to this size get their exact text width
FLOAT_WIDTH = SIGNIFICANT_DIGITS + 6  # "-1.234e-05" is the widest a float prints
SCALE_LEVELS = 48  # colours per side of a scale: few enough to cache a style for each

RGB = tuple[int, int, int]
NEGATIVE_END: RGB = (33, 102, 172)  # ColorBrewer RdBu ends: blue for < 0 …
POSITIVE_END: RGB = (178, 24, 43)  # … red for > 0
NEUTRAL: RGB = (247, 247, 247)
SEQUENTIAL_LOW: RGB = (0, 0, 0)  # an all-non-negative grid reads like a picture
SEQUENTIAL_HIGH: RGB = (255, 255, 255)
# Marks drawn on pictures: colours on neither scale above.
WINDOW_MARK: RGB = (0, 200, 83)
CURRENT_MARK: RGB = (255, 196, 0)
PENDING_COLOUR: RGB = (92, 60, 128)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours (1 … 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(background: RGB) -> RGB:
    """Black or white, whichever reads better on ``background``."""
    black, white = (0, 0, 0), (255, 255, 255)
    return black if contrast(black, background) >= contrast(white, background) else white


@dataclass(frozen=True)
class Scale:
    """Value → colour. Diverging and symmetric about 0 when the grid has negatives
    (so a sign is seen at a glance), else sequential from the grid's min to max."""

    low: float
    high: float

    @property
    def diverging(self) -> bool:
        return self.low < 0

    @property
    def reach(self) -> float:
        """Half-width of a diverging scale: the largest magnitude in the grid."""
        return max(abs(self.low), abs(self.high))

    def level(self, value: float) -> int:
        """The quantised position of ``value``: −L … L (diverging) or 0 … L (sequential)."""
        if self.diverging:
            reach = self.reach or 1.0
            return round(max(-1.0, min(1.0, value / reach)) * SCALE_LEVELS)
        span = self.high - self.low
        t = (value - self.low) / span if span else 1.0
        return round(max(0.0, min(1.0, t)) * SCALE_LEVELS)

    def colour_of_level(self, level: int) -> RGB:
        t = abs(level) / SCALE_LEVELS
        if self.diverging:
            return mix(NEUTRAL, NEGATIVE_END if level < 0 else POSITIVE_END, t)
        return mix(SEQUENTIAL_LOW, SEQUENTIAL_HIGH, t)

    def colour(self, value: float) -> RGB:
        return self.colour_of_level(self.level(value))

    def ends(self) -> tuple[tuple[float, RGB], tuple[float, RGB]]:
        """The legend: the colour at the scale's two ends, with their numbers."""
        if self.diverging:
            return (-self.reach, self.colour(-self.reach)), (self.reach, self.colour(self.reach))
        return (self.low, self.colour(self.low)), (self.high, self.colour(self.high))


def scale_for(values: np.ndarray) -> Scale:
    """The scale of a grid's finite values (a max pool's ``-inf`` padding sits at the end)."""
    if values.dtype.kind == "f":
        values = values[np.isfinite(values)]
    if values.size == 0:
        return Scale(0.0, 0.0)
    return Scale(float(values.min()), float(values.max()))


def text_width(values: np.ndarray) -> int:
    """Characters the widest cell text needs, without formatting every cell."""
    if values.size == 0:
        return 1
    if values.dtype.kind in "iub":
        return max(len(str(int(values.min()))), len(str(int(values.max()))))
    if values.size <= EXACT_WIDTH_CELLS:
        return max(len(format_number(v)) for v in values.ravel().tolist())
    return FLOAT_WIDTH


@dataclass
class CellGrid:
    """One plane to draw: values (a view, not a copy), how labels number it, and
    which box holds real (non-padding) cells."""

    values: np.ndarray
    row_base: int = 0
    col_base: int = 0
    real: tuple[int, int, int, int] | None = None  # top, left, bottom, right (exclusive)
    width_hint: int | None = None  # wider texts the grid must fit (running sums)
    ready: bool = True  # False while the values are still being computed

    @property
    def rows(self) -> int:
        return int(self.values.shape[0])

    @property
    def cols(self) -> int:
        return int(self.values.shape[1])

    @cached_property
    def text_width(self) -> int:
        width = text_width(self.values) if self.ready else 1
        return max(width, self.width_hint or 0)

    @cached_property
    def scale(self) -> Scale:
        return scale_for(self.values) if self.ready else Scale(0.0, 0.0)

    def text(self, row: int, col: int) -> str:
        return format_number(self.values[row, col].item())

    def value(self, row: int, col: int) -> float:
        return float(self.values[row, col])

    def is_padding(self, row: int, col: int) -> bool:
        real = self.real
        return real is not None and not (real[0] <= row < real[2] and real[1] <= col < real[3])


def same_cells(a: CellGrid, b: CellGrid) -> bool:
    """Whether two grids draw the same: the same labels, padding box and values."""
    return (
        (a.row_base, a.col_base, a.real, a.width_hint, a.ready)
        == (b.row_base, b.col_base, b.real, b.width_hint, b.ready)
        and a.values.shape == b.values.shape and a.values.dtype == b.values.dtype
        and (a.values is b.values or bool(np.array_equal(a.values, b.values)))
    )


@dataclass(frozen=True)
class Window:
    """Cells a kernel covers: a box from (top, left), every ``step``-th row/column."""

    top: int
    left: int
    rows: int
    cols: int
    step_rows: int = 1
    step_cols: int = 1

    @property
    def bottom(self) -> int:
        return self.top + (self.rows - 1) * self.step_rows

    @property
    def right(self) -> int:
        return self.left + (self.cols - 1) * self.step_cols

    def in_box(self, row: int, col: int) -> bool:
        return self.top <= row <= self.bottom and self.left <= col <= self.right

    def hits(self, row: int, col: int) -> bool:
        return (
            self.in_box(row, col)
            and (row - self.top) % self.step_rows == 0
            and (col - self.left) % self.step_cols == 0
        )


@dataclass(frozen=True)
class Highlight:
    """What one grid marks at one step. ``filled`` makes it an output grid whose cells
    from that flat index on are pending; ``partial`` is the running sum shown in the
    current cell (not yet the written value), after ``partial_symbol`` (``Σ``, or ``m``
    for a max pool's running max); ``dimmed`` greys a plane not being read."""

    window: Window | None = None
    current: tuple[int, int] | None = None
    filled: int | None = None
    partial: str | None = None
    partial_symbol: str = "Σ"
    written: tuple[int, int] | None = None
    dimmed: bool = False
    marked: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    cursor: tuple[int, int] | None = None
    badges: dict[tuple[int, int], str] = field(default_factory=dict, hash=False)

    def rows_touched(self) -> set[int]:
        """Grid rows this highlight draws differently from a bare grid."""
        touched: set[int] = set()
        if self.window is not None:
            touched.update(range(self.window.top, self.window.bottom + 1))
        for cell in (self.current, self.written, self.cursor):
            if cell is not None:
                touched.add(cell[0])
        touched.update(r for r, _ in self.marked)
        touched.update(r for r, _ in self.badges)
        return touched


def line_runs(lines: list[int]) -> list[tuple[int, int]]:
    """Sorted line numbers as (first, end) runs of consecutive lines."""
    runs: list[tuple[int, int]] = []
    for y in lines:
        if runs and runs[-1][1] == y:
            runs[-1] = (runs[-1][0], y + 1)
        else:
            runs.append((y, y + 1))
    return runs


def changed_rows(old: Highlight, new: Highlight, cols: int, rows: int) -> set[int] | None:
    """Grid rows whose look differs between two highlights (None: every row)."""
    if old == new:
        return set()
    if old.dimmed != new.dimmed:
        return None
    dirty = old.rows_touched() | new.rows_touched()
    if old.filled != new.filled and cols:
        low, high = sorted((old.filled or 0, new.filled or 0))
        dirty.update(range(low // cols, min(high // cols, rows - 1) + 1))
    return {row for row in dirty if 0 <= row < rows}


def block_mean(values: np.ndarray, factor: int) -> np.ndarray:
    """``values`` shrunk ``factor``:1 each way by averaging blocks (edges padded by
    repeating), so a large grid is drawn honestly in a small panel."""
    if factor <= 1:
        return values.astype(float)
    rows, cols = values.shape
    out_rows, out_cols = -(-rows // factor), -(-cols // factor)
    padded = np.pad(
        values.astype(float), ((0, out_rows * factor - rows), (0, out_cols * factor - cols)),
        mode="edge",
    )
    return padded.reshape(out_rows, factor, out_cols, factor).mean(axis=(1, 3))
