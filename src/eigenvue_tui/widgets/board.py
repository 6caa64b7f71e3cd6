"""The grids, input ⊛ kernel → output, laid out to use the room they have.

Input planes and kernel slices are drawn side by side when they fit (the one
being read marked, the others dimmed), with the current window's products
under the kernels. Panel widths are worked out here from the grids' cell
geometry, so small grids get small panels and the space goes where it is used.
"""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.message import Message

from ..cells import CellGrid
from ..engine import Steps
from ..links import Cursor, Marks
from ..marks import board_marks, output_width, with_links
from ..view_model import ZOOM_LIMIT, Frame
from .boxes import Column, Row, ScrollColumn
from .grid import GridView
from .legend import legend_text, plane_title
from .titles import set_titles

MAX_PLANES_SIDE_BY_SIDE = 16


class Board(Row):
    """Input, kernel and output panels side by side; ``stacked`` (output below) when
    the grids would not fit across."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.steps: Steps | None = None
        self.view = "numbers"
        self.zoom_delta = 0
        self._planes: tuple[int, ...] = (0,)
        self._slices: tuple[tuple[int, int], ...] = ((0, 0),)
        self._all_planes = True
        self._frame: Frame | None = None
        self.channel_names: tuple[str, ...] = ()
        self.ready = False
        self._progress = 0.0  # of the output sums being computed in the background
        self.stacked = False  # output below input and kernel (see _stack)
        self._reshaping = False  # grids said they reshaped: retitle and redraw once
        self._badges = False  # the last step drawn showed product badges

    @property
    def channel(self) -> int:
        """The input channel last read (kept by steps that read none)."""
        return self._frame.channel if self._frame is not None else 0

    def compose(self) -> ComposeResult:
        with Column(id="input-panel", classes="panel"):
            yield Row(id="input-planes")
        with Column(id="kernel-panel", classes="panel"):
            yield Column(id="kernel-slices")
            yield GridView(id="products-grid", classes="products")
        yield ScrollColumn(id="output-panel", classes="panel")

    # -- loading ----------------------------------------------------------

    def grids_in(self, panel: str) -> list[GridView]:
        """The grids of ``#input-planes``, ``#kernel-slices`` or ``#output-panel``, in order.

        A panel's children, not a CSS query: a descendant selector walks and matches every
        node of the board (0.3 ms on 16 maps), and a step asks several times.
        """
        return [child for child in self.query_one(f"#{panel}").children
                if isinstance(child, GridView)]

    @property
    def _slice_columns(self) -> int:
        """Kernel slices across: one per filter, or the single slice being read."""
        return max(self.steps.spec.filters, 1) if self._all_planes and self.steps else 1

    def _grids(self) -> list[GridView]:
        return [*self.grids_in("input-planes"), *self.grids_in("kernel-slices"),
                self.query_one("#products-grid", GridView), *self.grids_in("output-panel")]

    async def load(self, steps: Steps, channel_names: tuple[str, ...] = ()) -> None:
        """Show a new problem: new grids, highlights cleared. Nothing is formatted here:
        each view formats the cells it draws."""
        self.steps = steps
        self.channel_names = channel_names
        self._progress = 0.0
        spec = steps.spec
        self._all_planes = spec.channels * max(spec.filters, 1) <= MAX_PLANES_SIDE_BY_SIDE
        planes = tuple(range(spec.channels)) if self._all_planes else (0,)
        slices = tuple(  # a row per channel, a column per filter; else the one being read
            (f, ch) for ch in planes for f in range(spec.filters)
        ) if self._all_planes else ((0, 0),)
        await self._mount_grids(planes, slices, spec.filters, spec.has_channels, spec.has_filters)
        self.ready = len(self.query_one("#input-planes").children) == len(planes)
        if not self.ready:  # a hidden screen (terminal too small) mounts nothing yet
            return
        self._planes, self._slices = planes, slices
        self._fill_planes(planes, slices)
        outputs = self.grids_in("output-panel")
        for f, (grid, cells) in enumerate(zip(outputs, self._output_cells(), strict=True)):
            grid.set_grid(cells)
            set_titles(grid, f"feature map f={f}" if spec.has_filters else None)
            grid.set_class(spec.has_filters, "-feature-map")
        self._frame = None
        self._retitle()
        self.arrange_panels()

    async def _mount_grids(
        self, planes: tuple[int, ...], slices: tuple[tuple[int, int], ...], filters: int,
        channels_titled: bool, maps_titled: bool,
    ) -> None:
        """Mount as many grid widgets as the problem has planes, slices and maps, with
        the classes their titles need already set (a class change restyles a grid)."""
        view = self.view
        for container, ids, classes in (
            ("#input-planes", [f"input-grid-{ch}" for ch in planes],
             "plane -titled" if channels_titled else "plane"),
            ("#kernel-slices", [f"kernel-grid-{f}-{ch}" for f, ch in slices],
             "plane -titled" if len(slices) > 1 else "plane"),
            ("#output-panel", [f"output-grid-{f}" for f in range(filters)],
             "output-grid -feature-map" if maps_titled else "output-grid"),
        ):
            parent = self.query_one(container)
            if [child.id for child in parent.children] != ids:
                await parent.remove_children()
                await parent.mount_all(
                    [GridView(id=name, view=view, classes=classes) for name in ids]
                )
        self.query_one("#kernel-slices").styles.grid_size_columns = self._slice_columns

    def _fill_planes(self, planes: tuple[int, ...], slices: tuple[tuple[int, int], ...]) -> None:
        assert self.steps is not None
        spec = self.steps.spec
        top, _, left, _ = spec.padding
        real = (top, left, top + spec.height, left + spec.width) if spec.padded else None
        inputs = self.query_one("#input-planes").children
        for ch, grid in zip(planes, inputs, strict=True):
            assert isinstance(grid, GridView)
            grid.keep_or_set(
                CellGrid(self.steps.padded_input[ch], row_base=-top, col_base=-left, real=real)
            )
        kernels = self.query_one("#kernel-slices").children
        for (f, ch), grid in zip(slices, kernels, strict=True):
            assert isinstance(grid, GridView)
            grid.keep_or_set(CellGrid(spec.kernel[f, ch]))
        products = self.query_one("#products-grid", GridView)
        products.set_grid(CellGrid(np.zeros((spec.kernel_height, spec.kernel_width))))

    def _output_cells(self) -> list[CellGrid]:
        """Each feature map's cells: zeros and not ready until the sums are known (one
        read-only zero seen at every cell, not 8 MB of them for a 1024² output)."""
        assert self.steps is not None
        steps = self.steps
        ready, width = steps.sums_ready, output_width(steps)
        return [CellGrid(steps.output[f] if ready else np.broadcast_to(0.0, steps.out_shape[1:]),
                         width_hint=width, ready=ready) for f in range(steps.spec.filters)]

    def sums_arrived(self) -> None:
        """The output sums finished in the background: draw the values and their scale."""
        if not self.ready:  # a hidden screen has no grids yet: load draws them
            return
        outputs = self.grids_in("output-panel")
        for grid, cells in zip(outputs, self._output_cells(), strict=True):
            grid.update_values(cells)
        self._retitle()
        self.arrange_panels()

    # -- views and zoom ---------------------------------------------------

    def set_view(self, view: str) -> None:
        """Another view of every grid, fitted to the room (its own zoom levels)."""
        self.view = view
        self.zoom_delta = 0
        for grid in self._grids():
            grid.set_view(view)
        self.arrange_panels()
        self._retitle()

    def set_zoom(self, delta: int) -> None:
        """``delta`` levels from the fitted size, within ``ZOOM_LIMIT`` either way."""
        delta = max(-ZOOM_LIMIT, min(delta, ZOOM_LIMIT))
        self.zoom_delta = delta
        for grid in self._grids():
            grid.set_zoom(delta)
        self.arrange_panels()

    # -- titles -----------------------------------------------------------

    def on_grid_view_reshaped(self, message: GridView.Reshaped) -> None:
        message.stop()
        if not self._reshaping:  # grids reshape together: answer the burst once
            self._reshaping = True
            self.call_later(self._reshaped)

    def _reshaped(self) -> None:
        self._reshaping = False
        self._retitle()
        # The grids redraw their own cells; the step is drawn again only when the cell
        # height decides differently whether products show as badges.
        if self._frame is not None and self._badges != self._wants_badges():
            self.post_message(self.Loaded())

    def _wants_badges(self) -> bool:
        """Cells tall enough for a product badge under the value (4 half lines)."""
        first = self.query_one(f"#input-grid-{self._planes[0]}", GridView)
        return first.geometry.half_lines >= 4

    def _retitle(self) -> None:
        if self.steps is None or not self.ready:
            return
        spec = self.steps.spec
        channel = self._frame.channel if self._frame is not None else 0
        filt = self._frame.filter if self._frame is not None else 0
        planes = self.grids_in("input-planes")
        names = self.channel_names
        for ch, grid in zip(self._planes, planes, strict=False):
            shown = channel if not self._all_planes else ch
            set_titles(grid, plane_title(shown, names) if spec.has_channels else None,
                       legend_text(grid) if self.view != "numbers" else None)
            grid.set_class(spec.has_channels, "-titled")
        first = planes[0] if planes else None
        title = f"input {spec.height}×{spec.width}"
        if spec.has_channels:
            title = f"input {spec.channels}×{spec.height}×{spec.width}"
            if not self._all_planes:
                title += f" · showing ch {channel} of {spec.channels}"
        if spec.padded:
            top, bottom, left, right = spec.padding
            title += f" · pad top {top}, bottom {bottom}, left {left}, right {right}"
        if first is not None and first.geometry.factor > 1:
            title += f" shown 1:{first.geometry.factor}"
        set_titles(self.query_one("#input-panel"), title)
        for f, ch in self._slices:
            grid = self.query_one(f"#kernel-grid-{f}-{ch}", GridView)
            index = (f"[{f}]" if spec.has_filters else "") + (
                f"[{ch}]" if spec.has_channels else ""
            )
            set_titles(grid, f"kernel{index}" if len(self._slices) > 1 else None)
            grid.set_class(len(self._slices) > 1, "-titled")
        shape = (spec.filters,) * spec.has_filters + (spec.channels,) * spec.has_channels
        kernel_title = "kernel " + "×".join(
            map(str, (*shape, spec.kernel_height, spec.kernel_width)))
        if not self._all_planes:
            kernel_title += f" · showing [{filt}][{channel}]"
        if spec.dilation != (1, 1):
            kernel_title += " · dil {},{}".format(*spec.dilation)
        if spec.flip:
            kernel_title += " · as written, read rotated 180°"
        set_titles(self.query_one("#kernel-panel"), kernel_title)
        self._title_output()
        if not spec.has_channels and planes:
            set_titles(self.query_one("#input-panel"),
                       subtitle=legend_text(planes[0]) if self.view != "numbers" else None)

    def show_progress(self, fraction: float) -> None:
        """How far the background sums are, in the output's title (no layout change)."""
        self._progress = fraction
        if self.ready:
            self._title_output()

    def _title_output(self) -> None:
        assert self.steps is not None
        spec = self.steps.spec
        oh, ow = spec.out_height, spec.out_width
        output = f"output {spec.filters}×{oh}×{ow}" if spec.has_filters else f"output {oh}×{ow}"
        maps = list(self.grids_in("output-panel"))
        if maps and maps[0].geometry.factor > 1:
            output += f" shown 1:{maps[0].geometry.factor}"
        if maps and not maps[0].cells.ready:
            output += f" · computing the sums {self._progress:.0%}"
        panel = self.query_one("#output-panel")
        set_titles(panel, output,
                   legend_text(maps[0]) if maps and self.view != "numbers" else None)

    # -- layout -----------------------------------------------------------

    class Loaded(Message):
        """The grids are in place (posted when they mounted late) or changed cell size:
        the screen draws the step again."""

    def on_resize(self) -> None:
        if not self.ready and self.steps is not None:
            self.run_worker(self._late_load(), exclusive=True, group="board")
            return
        self.arrange_panels()

    async def _late_load(self) -> None:
        assert self.steps is not None
        await self.load(self.steps, self.channel_names)
        if self.ready:
            self.post_message(self.Loaded())

    def arrange_panels(self, width: int | None = None, height: int | None = None) -> None:
        """Panel widths from the grids' needs: across when they fit, else output below.

        ``width`` and ``height`` are the size the board is about to get (before the first
        layout, or a new listing resizing the code row): planned for it, the next layout
        is the last one.
        """
        width = self.size.width if width is None else width
        if self.steps is None or not width or not self.ready:
            return
        from .layout import plan

        height = self.size.height if height is None else height

        inputs = self.grids_in("input-planes")
        kernels = self.grids_in("kernel-slices")
        outputs = self.grids_in("output-panel")
        columns = self._slice_columns
        layout = plan(
            width, height, inputs, kernels, columns,
            self.query_one("#products-grid", GridView), outputs,
        )
        if layout.stacked != self.stacked:
            self._stack(layout.stacked)
        self._size_products(kernels, layout.stacked, height)
        if layout.stacked:
            columns = f"{layout.widths['input-panel']} {layout.widths['kernel-panel']}"
            if str(self.styles.grid_columns) != columns:
                self.styles.grid_columns = columns
        for name, width in layout.widths.items():
            panel = self.query_one(f"#{name}")
            if panel.styles.width is None or panel.styles.width.cells != width:
                panel.styles.width = width

    def _stack(self, stacked: bool) -> None:
        """Output below input and kernel (a 2×2 grid, the output across both columns),
        or all three across. Inline styles, not a class: a class on the board restyles
        every grid in it (25 ms with 16 feature maps)."""
        self.stacked = stacked
        styles, output = self.styles, self.query_one("#output-panel").styles
        styles.layout = "grid" if stacked else None
        styles.grid_size_columns = styles.grid_size_rows = 2 if stacked else None
        styles.grid_rows = "1fr 1fr" if stacked else None
        output.column_span = 2 if stacked else None

    def _size_products(self, kernels: list[GridView], stacked: bool, height: int) -> None:
        """The products grid gets what the kernel slices leave (half the panel for a
        single slice), and hides when not even a row of it would fit."""
        products = self.query_one("#products-grid", GridView)
        inner = (height // 2 if stacked else height) - 2
        columns = self._slice_columns
        rows = -(-len(kernels) // columns)
        several = len(kernels) > 1
        slices = rows * max(
            (g.natural_size().height + (1 if several else 0) for g in kernels), default=0
        )
        wanted = products.natural_size().height + 1
        if len(kernels) == 1:
            wanted = max(wanted, inner // 2)
        wanted = min(wanted, inner - slices)
        products.display = wanted >= 3
        if wanted >= 3 and (products.styles.height is None
                            or products.styles.height.cells != wanted):
            products.styles.height = wanted

    def natural_height(self) -> int:
        """Lines the board needs to show every grid at its smallest cells."""
        def height(grid: GridView, titled: bool) -> int:
            return grid.natural_size().height + (1 if titled else 0)

        inputs = self.grids_in("input-planes")
        kernels = self.grids_in("kernel-slices")
        outputs = list(self.grids_in("output-panel"))
        several = len(kernels) > 1
        columns = self._slice_columns
        kernel_rows = -(-len(kernels) // columns)
        products = self.query_one("#products-grid", GridView)
        kernel = kernel_rows * max((height(g, several) for g in kernels), default=0)
        kernel += height(products, True)
        tallest = max(
            max((height(g, len(inputs) > 1) for g in inputs), default=0),
            kernel,
            min(sum(height(g, len(outputs) > 1) for g in outputs), 12),
        )
        return tallest + 2

    # -- a step -----------------------------------------------------------

    def show(self, frame: Frame, links: Marks | None = None, cursor: Cursor | None = None) -> None:
        """Move every highlight to ``frame`` (with point-and-ask ``links`` and the cell
        ``cursor`` drawn on top); only changed lines are redrawn."""
        assert self.steps is not None
        retitle = self._frame is None or (frame.channel, frame.filter) != (
            self._frame.channel, self._frame.filter
        )
        if not self._all_planes and retitle:
            self._swap_single_plane(frame)
        self._frame = frame
        self._badges = self._wants_badges()
        marks = board_marks(
            self.steps, frame, planes=self._planes_read(frame), slices=self._slices_read(frame),
            badges=self._badges,
        )
        if links is not None or cursor is not None:
            marks = with_links(marks, links, cursor, frame.filter)
        for ch, mark in marks.inputs.items():
            grid_id = ch if self._all_planes else self._planes[0]
            self.query_one(f"#input-grid-{grid_id}", GridView).highlight(mark)
        for (f, ch), mark in marks.kernels.items():
            key = (f, ch) if self._all_planes else self._slices[0]
            self.query_one(f"#kernel-grid-{key[0]}-{key[1]}", GridView).highlight(mark)
        for f, grid in enumerate(self.grids_in("output-panel")):
            grid.highlight(marks.outputs[f])
        products = self.query_one("#products-grid", GridView)
        if not np.array_equal(products.cells.values, marks.products.values):
            products.update_values(marks.products)  # a new window: not every multiply-add
        products.highlight(marks.products_mark)
        set_titles(products, marks.products_title)
        if retitle:
            self._retitle()

    def _planes_read(self, frame: Frame) -> tuple[int, ...]:
        return self._planes if self._all_planes else (frame.channel,)

    def _slices_read(self, frame: Frame) -> tuple[tuple[int, int], ...]:
        return self._slices if self._all_planes else ((frame.filter, frame.channel),)

    def _swap_single_plane(self, frame: Frame) -> None:
        """Too many planes to show at once: the one grid shows the plane being read."""
        assert self.steps is not None
        spec = self.steps.spec
        top, _, left, _ = spec.padding
        real = (top, left, top + spec.height, left + spec.width) if spec.padded else None
        self.query_one(f"#input-grid-{self._planes[0]}", GridView).keep_or_set(
            CellGrid(self.steps.padded_input[frame.channel], row_base=-top, col_base=-left,
                     real=real)
        )
        f, ch = self._slices[0]
        self.query_one(f"#kernel-grid-{f}-{ch}", GridView).keep_or_set(
            CellGrid(spec.kernel[frame.filter, frame.channel])
        )
