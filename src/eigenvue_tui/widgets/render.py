"""What every view's renderer shares: the cell geometry and the renderer interface.

A cell is ``cell_w`` columns wide and ``half_lines`` half-lines high (two per
terminal line in the text views, one per pixel row in the picture view), and
``factor`` grid cells per shown cell each way when a picture is downsampled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.strip import Strip

from ..cells import CellGrid

if TYPE_CHECKING:
    from .grid import GridView


@dataclass(frozen=True)
class Geometry:
    """Sizes in terminal cells of one grid as drawn; content coordinates exclude the
    fixed column-label header and row-label gutter."""

    rows: int
    cols: int
    cell_w: int
    half_lines: int
    factor: int = 1
    gutter: int = 0
    header: int = 0
    snap_x: int = 1
    snap_y: int = 1
    level: int = 0  # the zoom level this is (fit picks one; `[` / `]` step from it)

    @property
    def shown_rows(self) -> int:
        return -(-self.rows // self.factor)

    @property
    def shown_cols(self) -> int:
        return -(-self.cols // self.factor)

    @property
    def content_width(self) -> int:
        return self.shown_cols * self.cell_w

    @property
    def content_height(self) -> int:
        return -(-self.shown_rows * self.half_lines // 2)

    @property
    def total_width(self) -> int:
        return self.gutter + self.content_width

    @property
    def total_height(self) -> int:
        return self.header + self.content_height

    @property
    def signature(self) -> tuple[int, int, int]:
        return self.cell_w, self.half_lines, self.factor

    def lines_of_row(self, row: int) -> range:
        shown = row // self.factor
        first = shown * self.half_lines // 2
        last = ((shown + 1) * self.half_lines - 1) // 2
        return range(first, last + 1)

    def x_span(self, left: int, right: int) -> tuple[int, int]:
        return (left // self.factor) * self.cell_w, (right // self.factor + 1) * self.cell_w

    def y_span(self, top: int, bottom: int) -> tuple[int, int]:
        first = (top // self.factor) * self.half_lines // 2
        return first, -(-(bottom // self.factor + 1) * self.half_lines // 2)

    def snap(self, x: int, y: int) -> tuple[int, int]:
        """Round a scroll position up to a cell boundary: a followed window that fit
        before still fits, and no cell is drawn cut at the top or left."""
        return -(-x // self.snap_x) * self.snap_x, -(-y // self.snap_y) * self.snap_y

    def cell_at(self, x: int, y: int, scroll_x: int, scroll_y: int) -> tuple[int, int] | None:
        """The grid cell under a point of the widget's content (None on the labels)."""
        if x < self.gutter or y < self.header or not self.cell_w or not self.half_lines:
            return None
        col = (x - self.gutter + scroll_x) // self.cell_w
        row = (y - self.header + scroll_y) * 2 // self.half_lines
        return row * self.factor, col * self.factor


class Renderer:
    """Draws one line of a grid; one subclass (and module) per view."""

    name = "base"

    def reset(self) -> None:
        """Forget cached styles or pictures (new values, new theme)."""

    def geometry(
        self, cells: CellGrid, width: int, height: int, level: int | None = None, *,
        smallest: bool = False,
    ) -> Geometry:
        """The cell size at zoom ``level``, or the one that fits ``width`` × ``height``."""
        raise NotImplementedError

    def render_line(self, view: GridView, y: int) -> Strip:
        raise NotImplementedError


def fit_level(room: int, count: int, unit: int) -> int:
    """How many ``unit``s a cell can take when ``count`` cells share ``room``."""
    return max(room // max(count, 1) // max(unit, 1), 0)
