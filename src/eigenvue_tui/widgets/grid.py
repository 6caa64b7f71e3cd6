"""A scrolling grid widget that hands its drawing to one renderer per view.

The widget owns what all views share: the cell model (values + highlight),
the cell size (fit to the room it has, or zoomed by hand), scrolling that
follows the window, and refreshing only the lines a step changed. How a cell
looks is the renderer's business (``numbers``, ``heat``, ``pixels``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rich.style import Style
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..cells import CellGrid, Highlight, Window, changed_rows, line_runs, same_cells
from .palette import CellPalette

if TYPE_CHECKING:
    from .render import Geometry, Renderer

VIEWS = ("numbers", "heat", "pixels")
# The pixels look is colour alone: under NO_COLOR each cell is the same block.
COLOURLESS_PIXELS = ("Without colour (NO_COLOR is set) the pixels look shows only the "
                     "window and the current cell: v again for numbers.")


def renderer_for(view: str) -> Renderer:
    """The renderer of a view, imported where it lives (one module per view)."""
    if view == "heat":
        from .heat import HeatRenderer

        return HeatRenderer()
    if view == "pixels":
        from .pixels import PixelsRenderer

        return PixelsRenderer()
    from .numbers import NumbersRenderer

    return NumbersRenderer()


class GridView(ScrollView, can_focus=False):
    """One grid in the current view, with a movable window and current cell."""

    class Reshaped(Message):
        """The cell size or the downsampling changed: titles may need to say so."""

        def __init__(self, grid: GridView) -> None:
            super().__init__()
            self.grid = grid

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, view: str = "numbers"
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.cells = CellGrid(np.zeros((0, 0)))
        self.mark = Highlight()
        self.renderer: Renderer = renderer_for(view)
        self.zoom_delta = 0
        self.masked: tuple[int, int] | None = None
        self.geometry: Geometry = self.renderer.geometry(self.cells, 0, 0, 0)
        self._fit_level = 0
        self._palette: CellPalette | None = None
        self._last_size: tuple[int, int] | None = None
        self._line_style: Style | None = None

    # -- data -------------------------------------------------------------

    @property
    def view(self) -> str:
        return self.renderer.name

    @property
    def content_size(self) -> Size:
        """``size``, from the size the layout last gave: Textual's ``size`` looks the widget
        up in the screen's map (walking its ancestors to the screen) every time, and a
        step asks for it on every line it draws."""
        width, height = self._size
        gutter = self.styles.gutter
        return Size(max(width - gutter.width, 0), max(height - gutter.height, 0))

    def set_grid(self, cells: CellGrid) -> None:
        """Show a new grid, highlights cleared, scrolled to the top left."""
        self.cells = cells
        self.mark = Highlight()
        self.renderer.reset()
        self._relayout(force=True)
        if self.scroll_offset != (0, 0):
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def keep_or_set(self, cells: CellGrid) -> None:
        """``set_grid``, unless these are the cells already shown (an option that leaves
        this plane alone): then the grid keeps its fitted cells, highlight and scroll, and
        nothing is laid out or painted again."""
        if not same_cells(self.cells, cells):
            self.set_grid(cells)

    def update_values(self, cells: CellGrid) -> None:
        """Same grid, new values (the output sums arrived): keep highlight and scroll."""
        self.cells = cells
        self.renderer.reset()
        self._relayout(force=True)
        self.refresh()

    def set_view(self, view: str) -> None:
        if view != self.view:
            self.renderer = renderer_for(view)
            self.zoom_delta = 0
            self._relayout(force=True)
            self.refresh()
            self._follow()

    def geometry_for(self, width: int, height: int) -> Geometry:
        """Fit to ``width`` × ``height``, or, zoomed by hand, the level asked for (counted
        from the level that fitted, so the panels cannot undo it by resizing)."""
        level = None if not self.zoom_delta else self._fit_level + self.zoom_delta
        return self.renderer.geometry(self.cells, width, height, level)

    def set_zoom(self, delta: int) -> None:
        if delta != self.zoom_delta:
            self.zoom_delta = delta
            self._relayout(force=True)
            self.refresh()
            self._follow()

    @property
    def grid_size(self) -> tuple[int, int]:
        return self.cells.rows, self.cells.cols

    def natural_size(self) -> Size:
        """The size this grid needs at its smallest cells (for the board's layout)."""
        geometry = self.renderer.geometry(self.cells, 0, 0, 0, smallest=True)
        return Size(geometry.total_width, geometry.total_height)

    # -- geometry ---------------------------------------------------------

    def _relayout(self, content: Size | None = None, *, force: bool = False,
                  repaint: bool = True) -> None:
        """Fit the cells to the content size (``content``: the one the layout is about to
        give; by default the current one). ``repaint=False``: the layout repaints the
        grid anyway (it was resized), so a refresh would only paint it a second time."""
        content = self.size if content is None else content
        size = (content.width, content.height)
        if not force and size == self._last_size:
            return
        self._last_size = size
        old = self.geometry
        self.geometry = self.geometry_for(*size)
        if not self.zoom_delta:
            self._fit_level = self.geometry.level
        virtual = Size(self.geometry.total_width, self.geometry.total_height)
        if virtual != self.virtual_size:
            # The grid's own size is set by its panel, never by its content, so a new
            # content size needs no screen layout (Textual's default for virtual_size).
            # The scrollbars are decided once the screen has refreshed, at the size the
            # panels then have (a new problem resizes them too, and deciding at the old
            # size would show a scrollbar for one layout); one that appears or goes
            # asks for the layout it needs.
            self.set_reactive(GridView.virtual_size, virtual)
            self.call_after_refresh(self._update_scrollbars)
            if repaint:
                self.refresh()
        if old.signature != self.geometry.signature:
            self.post_message(self.Reshaped(self))

    def _update_scrollbars(self) -> None:
        self._scroll_update(self.virtual_size)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Fit the cells to the new size as soon as the layout gives it, before the frame
        is painted: fitted later (on the ``Resize`` message), the first frame after a
        problem change or a resize would show the old cells and a second one fix them.
        Fitted before Textual's own update, which decides the scrollbars: decided from
        the old cells' size, a scrollbar would come for one layout and go in the next."""
        gutter = self.styles.gutter
        content = Size(max(size.width - gutter.width, 0), max(size.height - gutter.height, 0))
        self._relayout(content, repaint=size == self._size)
        return super()._size_updated(size, self.virtual_size, container_size, layout=layout)

    def on_resize(self) -> None:
        self._follow()  # the cells were fitted in _size_updated

    # -- highlight --------------------------------------------------------

    def mask(self, cell: tuple[int, int] | None) -> None:
        """Draw ``cell`` as ``?`` (practice mode hides the value being asked)."""
        if cell != self.masked:
            rows = {old[0] for old in (self.masked, cell) if old is not None}
            self.masked = cell
            self._refresh_rows(rows)

    def highlight(self, mark: Highlight) -> None:
        """Move the highlight, refreshing only the lines whose look changed."""
        old, self.mark = self.mark, mark
        dirty = changed_rows(old, mark, self.cells.cols, self.cells.rows)
        if dirty is None:
            self.refresh()
        else:
            self._refresh_rows(dirty)
        self._follow()

    def _refresh_rows(self, rows: set[int]) -> None:
        """Repaint the lines of these grid rows that are in view.

        Only rows in view are looked at: End on 16 maps changes every row of every
        map, some 4,000 rows, of which a few dozen show.
        """
        geometry = self.geometry
        size = self.content_size
        top, height, header = self.scroll_offset.y, size.height, geometry.header
        per_line = 2 * geometry.factor / max(geometry.half_lines, 1)
        first, last = int(top * per_line), int((top + height) * per_line) + geometry.factor
        lines: set[int] = set()
        for row in rows:
            if first <= row <= last:
                lines.update(geometry.lines_of_row(row))
        # Content line y shows at header + y - top of the widget (the header stays put).
        shown = sorted(y for y in (line - top + header for line in lines) if header <= y < height)
        width = max(self.virtual_size.width, size.width)
        for start, end in line_runs(shown):
            self.refresh(Region(0, start, width, end - start))

    def _follow(self) -> None:
        """Scroll by whole cells just enough that the window (or the cursor, or the current
        cell) shows."""
        mark = self.mark
        box = mark.window
        spot = mark.cursor or mark.current  # the cell cursor, when on, is what is looked at
        if (box is None or mark.cursor is not None) and spot is not None:
            box = Window(spot[0], spot[1], 1, 1)
        if box is None:
            return
        geometry, size = self.geometry, self.content_size
        width = max(size.width - geometry.gutter - 1, 1)
        height = max(size.height - geometry.header - 1, 1)
        left, right = geometry.x_span(box.left, box.right)
        top, bottom = geometry.y_span(box.top, box.bottom)
        x, y = self.scroll_x, self.scroll_y
        if left < x:
            x = left
        elif right > x + width:
            x = min(left, right - width)
        if top < y:
            y = top
        elif bottom > y + height:
            y = min(top, bottom - height)
        x, y = geometry.snap(int(x), int(y))
        if (x, y) != (self.scroll_x, self.scroll_y):
            self.scroll_to(x, y, animate=False, immediate=True)

    # -- drawing ----------------------------------------------------------

    def styles_for_cells(self) -> dict[str, Style]:
        """The cell styles, from the screen's palette (see widgets/palette.py)."""
        if self._palette is None:
            self._palette = self.screen.query_one(CellPalette)
        return self._palette.cell_styles()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.renderer.reset()
        self._line_style = None

    def render_line(self, y: int) -> Strip:
        # rich_style walks every ancestor's styles; Textual calls notify_style_update on
        # this widget whenever its styles or an ancestor's are applied again.
        if self._line_style is None:
            self._line_style = self.rich_style
        width = self.content_size.width
        line = self.renderer.render_line(self, y)
        return line.extend_cell_length(width, self._line_style).crop(0, width)

    # -- mouse ------------------------------------------------------------

    def cell_at(self, x: int, y: int) -> tuple[int, int] | None:
        """The grid cell under content offset (x, y), or None on the labels or past the end."""
        cell = self.geometry.cell_at(x, y, self.scroll_offset.x, self.scroll_offset.y)
        if cell is None or not (0 <= cell[0] < self.cells.rows and 0 <= cell[1] < self.cells.cols):
            return None
        return cell
