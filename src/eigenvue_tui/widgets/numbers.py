"""The numbers view: each cell's value as text, in cells that grow with the room.

Highlights carry a text cue as well as colour (``[5]`` brackets for the current
cell, ``Σ`` on a running sum, ``·`` pending, underline on the window), so they
survive ``NO_COLOR``. A tall cell also shows its index and, in the window, the
product it gave (``×2=6``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from ..cells import CellGrid
from .bigtext import best_scale, big_lines, big_size, fits
from .render import Geometry, Renderer, fit_level

if TYPE_CHECKING:
    from .grid import GridView

PENDING_MARK = "·"
NOT_READY_MARK = "…"


class NumbersRenderer(Renderer):
    name = "numbers"

    def _layout(self, view: GridView) -> tuple[int, int, int]:
        """(value line, big-digit scale, first big line) for this grid's cell size."""
        geometry = view.geometry
        lines = geometry.half_lines // 2
        scale = 0
        if lines >= 4:
            scale = best_scale("8" * view.cells.text_width, geometry.cell_w - 2, lines - 2)
        if not scale:
            return (lines - 1) // 2, 0, 0
        height = big_size("8", scale)[1]
        first = 1 + (lines - 2 - height) // 2
        return first + height // 2, scale, first

    def geometry(
        self, cells: CellGrid, width: int, height: int, level: int | None = None, *,
        smallest: bool = False,
    ) -> Geometry:
        rows, cols = cells.rows, cells.cols
        row_labels = (str(cells.row_base), str(cells.row_base + rows - 1))
        col_labels = (str(cells.col_base), str(cells.col_base + cols - 1))
        gutter = max(len(label) for label in row_labels) + 1
        narrow = max(cells.text_width, *(len(label) for label in col_labels)) + 2
        if smallest:
            level = 0
        elif level is None:
            room_w, room_h = width - gutter, height - 1
            level = 0
            while (
                fit_level(room_h, rows, level + 2) >= 1
                and self._width(narrow, level + 1) * cols <= room_w
            ):
                level += 1
        level = max(level, 0)
        lines = level + 1
        return Geometry(
            rows, cols, self._width(narrow, level), 2 * lines, gutter=gutter, header=1,
            snap_x=self._width(narrow, level), snap_y=lines, level=level,
        )

    @staticmethod
    def _width(narrow: int, level: int) -> int:
        """A cell's width at a zoom level: about twice its height, so cells look square."""
        return max(narrow, 2 * (level + 1) + 1 + (level > 0) * 2)

    # -- drawing ----------------------------------------------------------

    def render_line(self, view: GridView, y: int) -> Strip:
        geometry = view.geometry
        styles = view.styles_for_cells()
        if y < geometry.header:
            return Strip(self._header(view, styles))
        line = view.scroll_offset.y + y - geometry.header
        lines = geometry.half_lines // 2
        row, sub = divmod(line, lines)
        if not 0 <= row < view.cells.rows:
            return Strip([])
        value_line, scale, first = self._layout(view)
        label = str(view.cells.row_base + row) if sub == value_line else ""
        segments = [Segment(f"{label:>{geometry.gutter - 1}} ", styles["label"])]
        for col in self._columns(view):
            segments.append(self._cell(view, styles, row, col, sub, (value_line, scale, first)))
        return Strip(segments)

    def _columns(self, view: GridView) -> range:
        """Columns from the first one wholly in view: a cell is never shown cut in half."""
        cell_w = view.geometry.cell_w
        first = -(-view.scroll_offset.x // cell_w)
        count = max(view.content_size.width - view.geometry.gutter, 0) // cell_w + 1
        return range(first, min(first + count, view.cells.cols))

    def _header(self, view: GridView, styles: dict[str, Style]) -> list[Segment]:
        label = styles["label"]
        inner = view.geometry.cell_w - 2
        segments = [Segment(" " * view.geometry.gutter, label)]
        for col in self._columns(view):
            segments.append(Segment(f" {view.cells.col_base + col:^{inner}} ", label))
        return segments

    def value_style(self, view: GridView, styles: dict[str, Style], row: int, col: int) -> Style:
        """The style a cell's value has before highlights (heat: its scale colour)."""
        negative = view.cells.values[row, col] < 0
        return styles["negative"] if negative else styles["cell"]

    def window_style(self, styles: dict[str, Style], hit: bool) -> Style:
        return styles["window"] if hit else styles["gap"]

    def _cell(
        self, view: GridView, styles: dict[str, Style], row: int, col: int, sub: int,
        layout: tuple[int, int, int],
    ) -> Segment:
        cells, mark = view.cells, view.mark
        inner = view.geometry.cell_w - 2
        pending = mark.filled is not None and row * cells.cols + col >= mark.filled
        if pending:
            text, style = PENDING_MARK, styles["pending"]
        elif not cells.ready:
            text, style = NOT_READY_MARK, styles["pending"]
        else:
            text, style = cells.text(row, col), self.value_style(view, styles, row, col)
        if (row, col) == view.masked:
            text = "?"
        if cells.is_padding(row, col):
            style += styles["padding"]
        if mark.dimmed:
            style += styles["dimmed"]
        window = mark.window
        if window is not None and window.in_box(row, col):
            style += self.window_style(styles, window.hits(row, col))
        if (row, col) == mark.written:
            style += styles["written"]
        if (row, col) in mark.marked:
            style += styles["marked"]
        current = (row, col) == mark.current
        if current:
            style += styles["current"]
        if current and mark.partial is not None:
            text, style = mark.partial_symbol + mark.partial, style + styles["partial"]
        value_line, scale, first = layout
        big = scale > 0 and fits(text) and (not current or mark.partial is None)
        if big:
            pieces = big_lines(text, scale)
            if first <= sub < first + len(pieces):
                text = pieces[sub - first]
            else:
                text = self._extra_line(view, row, col, sub, -1)
                current = False
        elif sub != value_line:
            text = self._extra_line(view, row, col, sub, value_line)
            current = False
        if len(text) > inner:
            text = text[: max(inner - 1, 0)] + "…"
        body = f"{text:^{inner}}" if view.geometry.half_lines > 2 else f"{text:>{inner}}"
        if (row, col) == mark.cursor:
            return Segment(f"{{{body}}}", style + styles["cursor"])
        return Segment(f"[{body}]" if current else f" {body} ", style)

    @staticmethod
    def _extra_line(view: GridView, row: int, col: int, sub: int, value_line: int) -> str:
        """A tall cell's other lines: its index above the value, its product below."""
        cells = view.cells
        if sub == 0:
            return f"{cells.row_base + row},{cells.col_base + col}"
        lines = view.geometry.half_lines // 2
        if sub == (value_line + 1 if value_line >= 0 else lines - 1):
            return view.mark.badges.get((row, col), "")
        return ""
