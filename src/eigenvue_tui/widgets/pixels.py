"""The pixels view: a grid as a picture, two grid rows per terminal line.

Each character is an upper half block ``▀`` whose foreground is the upper cell
and background the lower one, so a 48×48 grid fits in 48 columns × 24 lines.
A grid too big for its panel is shown block-averaged (the title says 1:N).
Marks use colours on neither value scale, plus a cue that survives
``NO_COLOR``: ``◆`` on the current cell, underline on the window, ``·`` pending.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from ..cells import (
    CURRENT_MARK,
    PENDING_COLOUR,
    RGB,
    WINDOW_MARK,
    CellGrid,
    block_mean,
    mix,
)
from .render import Geometry, Renderer

if TYPE_CHECKING:
    from .grid import GridView

UPPER_HALF = "▀"
CURRENT_GLYPH = "◆"
PENDING_GLYPH = "·"
PADDING_TINT: RGB = (70, 90, 110)
MARKED_TINT: RGB = (230, 0, 230)  # point-and-ask: magenta, on neither scale
CURSOR_MARK: RGB = (255, 255, 255)
DIM_TOWARD: RGB = (128, 128, 128)


class PixelsRenderer(Renderer):
    name = "pixels"

    def __init__(self) -> None:
        self._styles: dict[tuple[RGB, RGB, bool], Style] = {}
        self._small: tuple[int, np.ndarray] | None = None

    def reset(self) -> None:
        self._styles.clear()
        self._small = None

    def geometry(
        self, cells: CellGrid, width: int, height: int, level: int | None = None, *,
        smallest: bool = False,
    ) -> Geometry:
        """Level z ≥ 0: each cell z + 1 columns by z + 1 half lines; level -1: block-averaged
        to fit the room."""
        rows, cols = max(cells.rows, 1), max(cells.cols, 1)
        if smallest:
            return Geometry(cells.rows, cells.cols, 1, 1)
        if level is None:
            zoom = min(width // cols, 2 * height // rows)
            level = zoom - 1 if zoom >= 1 else -1
        level = max(level, -1)
        if level >= 0:
            return Geometry(cells.rows, cells.cols, level + 1, level + 1, level=level)
        factor = max(-(-cols // max(width, 1)), -(-rows // max(2 * height, 1)), 1)
        return Geometry(cells.rows, cells.cols, 1, 1, factor=factor, level=-1)

    # -- colours ----------------------------------------------------------

    def _values(self, view: GridView) -> np.ndarray:
        factor = view.geometry.factor
        if factor == 1:
            return view.cells.values
        if self._small is None or self._small[0] != factor:
            self._small = (factor, block_mean(view.cells.values, factor))
        return self._small[1]

    def _colour(self, view: GridView, values: np.ndarray, row: int, col: int) -> tuple[RGB, str]:
        """The colour of a shown cell and what it is: ``value``, ``current`` or ``pending``."""
        cells, mark, factor = view.cells, view.mark, view.geometry.factor
        grid_row, grid_col = row * factor, col * factor
        for cell in (mark.current, mark.written):
            if cell is not None and (cell[0] // factor, cell[1] // factor) == (row, col):
                return CURRENT_MARK, "current"
        if mark.filled is not None and grid_row * cells.cols + grid_col >= mark.filled:
            return PENDING_COLOUR, "pending"
        if not cells.ready:
            return PENDING_COLOUR, "pending"
        if mark.cursor is not None and (mark.cursor[0] // factor, mark.cursor[1] // factor) == (
            row, col
        ):
            return CURSOR_MARK, "current"
        colour = cells.scale.colour(float(values[row, col]))
        if any((r // factor, c // factor) == (row, col) for r, c in mark.marked):
            colour = mix(colour, MARKED_TINT, 0.6)
        if cells.is_padding(grid_row, grid_col):
            colour = mix(colour, PADDING_TINT, 0.6)
        window = mark.window
        if window is not None and self._in_window(window, row, col, factor):
            hit = factor > 1 or window.hits(grid_row, grid_col)
            colour = mix(colour, WINDOW_MARK, 0.55 if hit else 0.25)
        if mark.dimmed:
            colour = mix(colour, DIM_TOWARD, 0.6)
        return colour, "value"

    @staticmethod
    def _in_window(window, row: int, col: int, factor: int) -> bool:
        return (
            window.top // factor <= row <= window.bottom // factor
            and window.left // factor <= col <= window.right // factor
        )

    def _style(self, top: RGB, bottom: RGB, underline: bool) -> Style:
        key = (top, bottom, underline)
        style = self._styles.get(key)
        if style is None:
            style = Style(
                color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom), underline=underline
            )
            self._styles[key] = style
        return style

    # -- drawing ----------------------------------------------------------

    def render_line(self, view: GridView, y: int) -> Strip:
        geometry = view.geometry
        values = self._values(view)
        shown_rows, shown_cols = values.shape
        zoom = geometry.cell_w
        half = 2 * (view.scroll_offset.y + y)
        top_row, bottom_row = half // zoom, (half + 1) // zoom
        if top_row >= shown_rows:
            return Strip([])
        first = view.scroll_offset.x
        last = min(first + view.content_size.width, shown_cols * zoom)
        window = view.mark.window
        segments = []
        for x in range(first, last):
            col = x // zoom
            top, top_kind = self._colour(view, values, top_row, col)
            if bottom_row < shown_rows:
                bottom, bottom_kind = self._colour(view, values, bottom_row, col)
            else:
                bottom, bottom_kind = _background(view), "none"
            kinds = (top_kind, bottom_kind)
            in_window = window is not None and any(
                self._in_window(window, r, col, geometry.factor) for r in (top_row, bottom_row)
            )
            if "current" in kinds:
                glyph, style = CURRENT_GLYPH, self._style((0, 0, 0), CURRENT_MARK, in_window)
            elif top_kind == "pending" and bottom_kind in ("pending", "none"):
                glyph, style = PENDING_GLYPH, self._style((255, 255, 255), top, False)
            else:
                glyph, style = UPPER_HALF, self._style(top, bottom, in_window)
            segments.append(Segment(glyph, style))
        return Strip(segments)


def _background(view: GridView) -> RGB:
    """The widget's own background, for the half line under a grid's last row."""
    colour = view.rich_style.bgcolor
    if colour is None:
        return (0, 0, 0)
    triplet = colour.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)
