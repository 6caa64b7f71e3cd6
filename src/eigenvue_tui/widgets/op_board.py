"""The operation screen's grids: one titled panel per grid of ``op_view``, side by side.

Each panel shows the plane a step reads (its title says which) and moves its
highlight with ``GridView.highlight``, so only the changed lines are redrawn;
a live panel (a transposed output growing) gets its new values each step.
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical

from ..cells import CellGrid
from ..op_view import OpView, Panel
from .code import CodeView
from .grid import GridView
from .legend import legend_text
from .titles import set_titles

PANEL_FRAME = 5  # border (2) + padding (2) + the vertical scrollbar (1)


class OpBoard(Horizontal):
    """Panels for every grid an operation has; widths from what the grids need."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: OpView | None = None
        self.look = "numbers"
        self._planes: dict[str, int] = {}
        self._step: int | None = None

    async def load(self, view: OpView, look: str) -> None:
        """Mount a panel and grid per ``view`` panel (nothing is formatted here)."""
        self.view, self.look, self._step = view, look, None
        await self.remove_children()
        panels = []
        for panel in view.panels:
            box = Vertical(GridView(id=f"op-{panel.key}-grid", view=look),
                           id=f"op-{panel.key}-panel", classes="panel op-panel")
            panels.append(box)
        await self.mount_all(panels)
        self._planes = {}
        for panel in view.panels:
            self._set_plane(panel, 0, None)
        self.arrange_panels()

    def grid(self, key: str) -> GridView:
        return self.query_one(f"#op-{key}-grid", GridView)

    def _cells(self, panel: Panel, plane: int, index: int | None) -> CellGrid:
        assert self.view is not None
        values = panel.planes[plane]
        if panel.live and index is not None:
            values = self.view.values(panel.key, index, plane)
        return CellGrid(values, row_base=panel.row_base, col_base=panel.col_base,
                        real=panel.real, width_hint=panel.width_hint)

    def _set_plane(self, panel: Panel, plane: int, index: int | None) -> None:
        grid = self.grid(panel.key)
        grid.set_grid(self._cells(panel, plane, index))
        self._planes[panel.key] = plane
        self._title(panel, plane)

    def _title(self, panel: Panel, plane: int) -> None:
        box = self.query_one(f"#op-{panel.key}-panel")
        title = panel.title
        if panel.names:
            title += f" · {panel.names[plane]}"
        grid = self.grid(panel.key)
        if grid.geometry.factor > 1:
            title += f" shown 1:{grid.geometry.factor}"
        set_titles(box, title, legend_text(grid) if self.look != "numbers" else None)

    def show(self, index: int) -> None:
        """Every panel at step ``index``: its plane, its values if live, its highlight."""
        view = self.view
        if view is None:
            return
        marks = view.marks(index)
        for panel in view.panels:
            mark = marks.get(panel.key)
            plane = mark.plane if mark is not None else self._planes.get(panel.key, 0)
            grid = self.grid(panel.key)
            if plane != self._planes.get(panel.key):
                self._set_plane(panel, plane, index)
            elif panel.live and index != self._step:
                grid.update_values(self._cells(panel, plane, index))
            if mark is not None:
                grid.highlight(mark.highlight)
        self._step = index

    def set_look(self, look: str) -> None:
        """numbers → heat → pixels for every grid."""
        self.look = look
        for grid in self.query(GridView).results(GridView):
            grid.set_view(look)
        if self.view is not None:
            for panel in self.view.panels:
                self._title(panel, self._planes.get(panel.key, 0))
        self.arrange_panels()

    def on_grid_view_reshaped(self, message: GridView.Reshaped) -> None:
        message.stop()
        if self.view is not None:
            for panel in self.view.panels:
                if panel.key in self._planes:
                    self._title(panel, self._planes[panel.key])

    def on_resize(self) -> None:
        self.arrange_panels()

    def arrange_panels(self) -> None:
        """Each panel as wide as its grid needs when they all fit across; else the ones
        that need more than an equal share split what the others leave. Before the first
        layout, for the terminal's width, which the board gets: the first frame is final."""
        room = self.size.width or self.app.size.width
        if self.view is None or not room:
            return
        needs = [max(self.grid(p.key).natural_size().width + PANEL_FRAME, len(p.title) + 8)
                 for p in self.view.panels]
        share = room // len(needs)
        fits = sum(needs) <= room
        for panel, need in zip(self.view.panels, needs, strict=True):
            box = self.query_one(f"#op-{panel.key}-panel")
            width = str(need) if fits or need <= share else "1fr"
            if str(box.styles.width) != width:
                box.styles.width = need if width != "1fr" else "1fr"

    def natural_height(self) -> int:
        """Lines the tallest grid needs at its smallest cells, with the panel border."""
        grids = list(self.query(GridView).results(GridView))
        return max((g.natural_size().height for g in grids), default=0) + 2


class OpCodeView(CodeView):
    """The pseudocode panel of the operation screen: once a wrapped listing has been laid
    out at its new height, the current line is scrolled to again (before that the
    panel cannot scroll that far)."""

    def on_resize(self) -> None:
        self.reveal()
