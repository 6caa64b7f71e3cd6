"""A scrolling number grid drawn with the Line API.

Only visible cells are drawn, and a step refreshes only the lines whose
highlight changed, so a step costs the same on a 4×4 and on a 1024×1024 grid.
Highlights carry a text cue as well as colour (``[5]`` brackets, reverse,
underline), so they survive ``NO_COLOR``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

PENDING_MARK = "·"


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


class GridView(ScrollView, can_focus=False):
    """A 2-D grid of preformatted numbers with a movable window and current cell."""

    COMPONENT_CLASSES = {
        "grid--label",
        "grid--cell",
        "grid--negative",
        "grid--window",
        "grid--gap",
        "grid--current",
        "grid--pending",
        "grid--partial",
        "grid--padding",
        "grid--written",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._texts: list[list[str]] = []
        self._negative = np.zeros((0, 0), dtype=bool)
        self._rows = 0
        self._cols = 0
        self._text_width = 1
        self._gutter = 2
        self._row_base = 0
        self._col_base = 0
        self._real: tuple[int, int, int, int] | None = None
        self._window: Window | None = None
        self._current: tuple[int, int] | None = None
        self._filled: int | None = None
        self._partial: str | None = None
        self._written: tuple[int, int] | None = None
        self._masked: tuple[int, int] | None = None
        self._style_cache: dict[str, Style] | None = None

    # -- data -------------------------------------------------------------

    def set_grid(
        self,
        texts: list[list[str]],
        negative: np.ndarray,
        text_width: int,
        *,
        row_base: int = 0,
        col_base: int = 0,
        real: tuple[int, int, int, int] | None = None,
        filled: int | None = None,
    ) -> None:
        """Show a new grid. ``real`` is the (top, left, bottom, right) box of
        non-padding cells; ``filled`` makes this an output grid where cells from
        that flat index on are still pending. ``text_width`` is the widest
        text the grid must fit (running sums included), computed once per problem."""
        self._texts = texts
        self._negative = negative
        self._rows = len(texts)
        self._cols = len(texts[0]) if texts else 0
        self._row_base, self._col_base = row_base, col_base
        self._real = real
        labels = [str(col_base), str(col_base + self._cols - 1)]
        self._text_width = max(text_width, *(len(label) for label in labels))
        row_labels = (str(row_base), str(row_base + self._rows - 1))
        self._gutter = max(len(label) for label in row_labels) + 1
        self._window = None
        self._current = None
        self._filled = filled
        self._partial = None
        self._written = None
        self.virtual_size = Size(self._gutter + self._cols * self.cell_width, self._rows + 1)
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    @property
    def cell_width(self) -> int:
        return self._text_width + 2

    @property
    def grid_size(self) -> tuple[int, int]:
        return self._rows, self._cols

    # -- highlight --------------------------------------------------------

    def highlight(
        self,
        window: Window | None,
        current: tuple[int, int] | None,
        *,
        filled: int | None = None,
        partial: str | None = None,
        written: tuple[int, int] | None = None,
    ) -> None:
        """Move the highlight, refreshing only rows whose look changed."""
        dirty: set[int] = set()
        if window != self._window:
            for box in (self._window, window):
                if box is not None:
                    dirty.update(range(box.top, box.bottom + 1))
        for cell in (self._current, current, self._written, written):
            if cell is not None:
                dirty.add(cell[0])
        if filled != self._filled and self._cols:
            low, high = sorted((self._filled or 0, filled or 0))
            dirty.update(range(low // self._cols, min(high // self._cols, self._rows - 1) + 1))
        self._window, self._current = window, current
        self._filled, self._partial, self._written = filled, partial, written
        for row in dirty:
            if 0 <= row < self._rows:
                self.refresh_line(row + 1)
        self._follow()

    def cell_at(self, x: int, y: int) -> tuple[int, int] | None:
        """The grid cell under content offset (x, y), or None on the labels or past the end."""
        row = int(self.scroll_offset.y) + y - 1
        if y < 1 or x < self._gutter or not 0 <= row < self._rows:
            return None
        col = self._visible_columns().start + (x - self._gutter) // self.cell_width
        return (row, col) if col < self._cols else None

    def mask(self, cell: tuple[int, int] | None) -> None:
        """Draw ``cell`` as ``?`` (practice mode hides the value being asked)."""
        if cell != self._masked:
            for old in (self._masked, cell):
                if old is not None:
                    self.refresh_line(old[0] + 1)
            self._masked = cell

    def _follow(self) -> None:
        """Scroll just enough that the window (or current cell) is in view."""
        box = self._window
        if box is None and self._current is not None:
            box = Window(self._current[0], self._current[1], 1, 1)
        if box is None:
            return
        width = max(self.scrollable_content_region.width - self._gutter, self.cell_width)
        height = max(self.scrollable_content_region.height - 1, 1)
        x, y = self.scroll_x, self.scroll_y
        left, right = box.left * self.cell_width, (box.right + 1) * self.cell_width
        if left < x:
            x = left
        elif right > x + width:
            x = min(left, right - width)  # drawing starts at the next whole cell anyway
        if box.top < y:
            y = box.top
        elif box.bottom + 1 > y + height:
            y = min(box.top, box.bottom + 1 - height)
        if (x, y) != (self.scroll_x, self.scroll_y):
            self.scroll_to(x, y, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._follow()

    # -- drawing ----------------------------------------------------------

    def _styles(self) -> dict[str, Style]:
        """Component styles, looked up once per theme / stylesheet change."""
        if self._style_cache is None:
            self._style_cache = {
                name.removeprefix("grid--"): self.get_component_rich_style(name)
                for name in self.COMPONENT_CLASSES
            }
        return self._style_cache

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        styles = self._styles()
        base = self.rich_style
        if y == 0:
            segments = self._header(styles)
        else:
            row = self.scroll_offset.y + y - 1
            if not 0 <= row < self._rows:
                return Strip.blank(width, base)
            segments = self._row(row, styles)
        gutter, cells = segments
        strip = Strip(cells).crop(0, max(width - self._gutter, 0))
        return Strip.join([Strip(gutter), strip]).extend_cell_length(width, base).crop(0, width)

    def _visible_columns(self) -> range:
        """Columns from the first one wholly in view: a cell is never shown cut in half
        (at the right edge, where the scroll may stop mid-cell, this shows one more)."""
        first = -(-self.scroll_offset.x // self.cell_width)
        count = self.scrollable_content_region.width // self.cell_width + 1
        return range(first, min(first + count, self._cols))

    def _header(self, styles: dict[str, Style]) -> tuple[list[Segment], list[Segment]]:
        label = styles["label"]
        w = self._text_width
        cells = [
            Segment(f" {self._col_base + c:>{w}} ", label) for c in self._visible_columns()
        ]
        return [Segment(" " * self._gutter, label)], cells

    def _row(self, row: int, styles: dict[str, Style]) -> tuple[list[Segment], list[Segment]]:
        w = self._text_width
        gutter = [Segment(f"{self._row_base + row:>{self._gutter - 1}} ", styles["label"])]
        texts = self._texts[row]
        negative = self._negative[row]
        window, current, real = self._window, self._current, self._real
        filled = self._filled
        cells = []
        for col in self._visible_columns():
            text = texts[col]
            style = styles["negative"] if negative[col] else styles["cell"]
            padding = real is not None and not (
                real[0] <= row < real[2] and real[1] <= col < real[3]
            )
            if padding:
                style = styles["padding"]
            if filled is not None and row * self._cols + col >= filled:
                text, style = PENDING_MARK, styles["pending"]
            if (row, col) == self._masked:
                text = "?"
            if window is not None and window.in_box(row, col):
                style += styles["window"] if window.hits(row, col) else styles["gap"]
            if (row, col) == self._written:
                style += styles["written"]
            if (row, col) == current:
                if filled is not None and self._partial is not None:
                    text, style = self._partial, style + styles["partial"]
                    if len(text) > w:
                        text = text[: w - 1] + "…"
                cells.append(Segment(f"[{text:>{w}}]", style + styles["current"]))
            else:
                cells.append(Segment(f" {text:>{w}} ", style))
        return gutter, cells
