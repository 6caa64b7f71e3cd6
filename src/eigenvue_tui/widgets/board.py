"""The three grids, input ⊛ kernel → output, and how a frame highlights them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll

from ..view_model import Frame, Prepared
from .grid import GridView, Window

PANEL_CHROME = 5  # border, padding and a scrollbar around a grid
KERNEL_PANEL_MIN = 28


class Board(Horizontal):
    """Input, kernel and output panels side by side; ``-stacked`` (output below) when
    the grids would not fit across, so small problems use the whole height."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._prepared: Prepared | None = None
        self._channel = 0
        self._filter = 0

    @property
    def channel(self) -> int:
        """The input channel on display (kept between steps that have none)."""
        return max(self._channel, 0)

    def compose(self) -> ComposeResult:
        with Vertical(id="input-panel", classes="panel"):
            yield GridView(id="input-grid")
        with Vertical(id="kernel-panel", classes="panel"):
            yield GridView(id="kernel-grid")
        with VerticalScroll(id="output-panel", classes="panel"):
            yield GridView(id="output-grid-0", classes="output-grid")

    async def load(self, prepared: Prepared) -> None:
        """Show a new problem: new texts in every grid, highlights cleared."""
        self._prepared = prepared
        spec = prepared.steps.spec
        panel = self.query_one("#output-panel", VerticalScroll)
        grids = list(panel.query(GridView))
        if len(grids) != spec.filters:
            await panel.remove_children()
            grids = [
                GridView(id=f"output-grid-{f}", classes="output-grid")
                for f in range(spec.filters)
            ]
            await panel.mount_all(grids)
        oh, ow = spec.out_height, spec.out_width
        for f, grid in enumerate(grids):
            grid.set_grid(
                prepared.output_texts[f], prepared.output_negative[f], prepared.output_width,
                filled=0,
            )
            grid.border_title = f"feature map f={f}" if spec.has_filters else None
            grid.set_class(spec.has_filters, "-feature-map")
        panel.border_title = (
            f"output {spec.filters}×{oh}×{ow}" if spec.has_filters else f"output {oh}×{ow}"
        )
        self._channel = self._filter = -1
        self._show_slices(0, 0)
        self._arrange()

    def on_resize(self) -> None:
        self._arrange()

    def _arrange(self) -> None:
        grids = list(self.query(GridView))
        if not grids or not self.size.width:
            return
        widths = {grid.id: grid.virtual_size.width + PANEL_CHROME for grid in grids}
        needed = (
            widths["input-grid"]
            + max(widths["kernel-grid"], KERNEL_PANEL_MIN)
            + max(width for name, width in widths.items() if name and name.startswith("output"))
        )
        self.set_class(needed > self.size.width, "-stacked")

    def _show_slices(self, channel: int, filter: int) -> None:
        """Swap the input channel / kernel slice on display (only when they change)."""
        assert self._prepared is not None
        prepared = self._prepared
        spec = prepared.steps.spec
        top, bottom, left, right = spec.padding
        if channel != self._channel:
            grid = self.query_one("#input-grid", GridView)
            grid.set_grid(
                prepared.input_texts[channel], prepared.input_negative[channel],
                prepared.input_width, row_base=-top, col_base=-left,
                real=(top, left, top + spec.height, left + spec.width) if spec.padded else None,
            )
            title = f"input {spec.height}×{spec.width}"
            if spec.has_channels:
                title = f"input ch={channel} of {spec.channels} · {spec.height}×{spec.width}"
            if spec.padded:
                title += f" · pad top {top}, bottom {bottom}, left {left}, right {right}"
            self.query_one("#input-panel").border_title = title
        if (channel, filter) != (self._channel, self._filter):
            grid = self.query_one("#kernel-grid", GridView)
            grid.set_grid(
                prepared.kernel_texts[filter][channel],
                prepared.kernel_negative[filter, channel],
                prepared.kernel_width,
            )
            index = (f"[{filter}]" if spec.has_filters else "") + (
                f"[{channel}]" if spec.has_channels else ""
            )
            title = f"kernel{index} {spec.kernel_height}×{spec.kernel_width}"
            if spec.dilation != (1, 1):
                title += " · dil {},{}".format(*spec.dilation)
            if spec.flip:
                title += " · as written, read rotated 180°"
            self.query_one("#kernel-panel").border_title = title
        self._channel, self._filter = channel, filter

    def show(self, frame: Frame) -> None:
        """Move every highlight to ``frame``; only changed lines are redrawn."""
        assert self._prepared is not None
        spec = self._prepared.steps.spec
        self._show_slices(frame.channel, frame.filter)
        window = None
        if frame.window is not None:
            window = Window(
                frame.window[0], frame.window[1], spec.kernel_height, spec.kernel_width,
                spec.dilation[0], spec.dilation[1],
            )
        self.query_one("#input-grid", GridView).highlight(window, frame.input_cell)
        self.query_one("#kernel-grid", GridView).highlight(None, frame.kernel_cell)
        per_map = spec.out_height * spec.out_width
        for f, grid in enumerate(self.query_one("#output-panel").query(GridView)):
            filled = min(max(frame.filled - f * per_map, 0), per_map)
            mine = f == frame.filter and frame.output_cell is not None
            grid.highlight(
                None,
                frame.output_cell if mine else None,
                filled=filled,
                partial=frame.partial if mine else None,
                written=frame.output_cell if mine and frame.written else None,
            )
