"""Sharing on the main screen: copy the command (``y``), export an SVG (``ctrl+e``), reload
a watched file, and the look and zoom the command line asked for.

A mixin of :class:`~.explorer.ExplorerScreen`. Its ``on_mount`` runs after the
screen's own (Textual calls each class's handler in turn), once the grids exist.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding

from ..engine import Steps
from ..operations import op_of
from ..presets import Preset, PresetError
from ..spec import SpecError
from ..widgets.board import Board
from .changes import _same_position

if TYPE_CHECKING:
    from textual.pilot import Pilot

BINDINGS = [
    Binding("y", "copy_command", "Copy cmd", show=False,
            tooltip="Copy the command that reopens this view (also shown)", id="share.copy"),
    Binding("ctrl+e", "export_svg", "Export SVG", show=False,
            tooltip="Save this screen as an SVG in the current folder", id="share.svg"),
]
Reload = Callable[[], Preset]
WATCH_DEBOUNCE_MS = 200


def svg_name(preset: Preset, step: int) -> str:
    """``edge-detection-step-37.svg``: the preset and the step, safe as a file name."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", preset.name).strip("-.") or "problem"
    return f"{slug}-step-{step}.svg"


class Sharing:
    """Copy-the-command, SVG export, file watching, start look and zoom."""

    start_look = "numbers"
    start_zoom = 0
    watch_source: tuple[Path, Reload] | None = None

    def on_mount(self) -> None:
        board = self.query_one(Board)
        if self.start_look != board.view:
            board.set_view(self.start_look)
        if self.start_zoom:
            board.set_zoom(self.start_zoom)
        if self.start_look != "numbers" or self.start_zoom:
            self._render_step(self.step)
        if self.watch_source is not None:
            self._watch_file(*self.watch_source)

    def share_commands(self) -> Iterable[SystemCommand]:
        """The palette's entries for the two keys."""
        yield SystemCommand("Export SVG", "Save this screen as an SVG (ctrl+e)",
                            self.action_export_svg)
        yield SystemCommand("Copy command", "Copy the command that reopens this view (y)",
                            self.action_copy_command)

    @work(exclusive=True, group="share")
    async def action_copy_command(self) -> None:
        """Build the command off the main thread (it reads the preset file again)."""
        from ..share import command_text, reproduce

        board = self.query_one(Board)
        argv = await asyncio.to_thread(
            reproduce, self.preset, self.steps.spec, step=self.step, look=board.view,
            zoom=board.zoom_delta,
        )
        text = command_text(argv)
        self.app.copy_to_clipboard(text)
        self.notify(text, title="Command copied (y)", timeout=20, markup=False)

    def action_export_svg(self) -> None:
        """Take the screen once the notifications are gone, so they are not in the picture."""
        self.app.clear_notifications()
        self.call_after_refresh(self._export_svg)

    @work(group="share")
    async def _export_svg(self) -> None:
        from ..export import write_atomic

        app: App[None] = self.app
        path = Path.cwd() / svg_name(self.preset, self.step)
        svg = app.export_screenshot()
        try:
            await asyncio.to_thread(write_atomic, path, svg)
        except OSError as error:
            self.notify(f"{path}: {error.strerror or error}", title="SVG not saved",
                        severity="error", markup=False)
            return
        self.notify(str(path), title="SVG saved", timeout=8, markup=False)

    @work(exclusive=True, group="watch", exit_on_error=False)
    async def _watch_file(self, path: Path, reload: Reload) -> None:
        """Reload on every change of ``path`` (its folder is watched: editors that save by
        renaming replace the file)."""
        import watchfiles

        target = path.resolve()

        def ours(_change: object, name: str) -> bool:
            return Path(name).resolve() == target

        async for _ in watchfiles.awatch(target.parent, watch_filter=ours, recursive=False,
                                         debounce=WATCH_DEBOUNCE_MS):
            async with self._change_lock:
                await self._reload(reload)

    async def _reload(self, reload: Reload) -> None:
        """The file again; if it is broken, say why and keep the problem on screen."""
        from ..cli import UsageError
        from ..share_cli import ShareError

        try:
            preset = await asyncio.to_thread(reload)
            if not preset.on_explorer:
                raise PresetError(f"{preset.name}: --watch reloads a conv problem into this"
                                  f" screen, not {op_of(preset.spec)} (open it directly)")
            steps = await asyncio.to_thread(Steps, preset.spec)
        except (PresetError, UsageError, ShareError, SpecError, OSError) as error:
            self.notify(f"{error}. Keeping the last good problem.", title="Not reloaded",
                        severity="error", timeout=10, markup=False)
            return
        step = _same_position(self.steps, steps, self.step)
        await self.show_problem(preset, steps, step)
        self.notify(f"{preset.title}: {preset.spec.describe_size()}", title="Reloaded",
                    timeout=3, markup=False)


def render_headless(app: App[None], size: tuple[int, int]) -> str:
    """Run ``app`` without a terminal at ``size`` (columns, rows); its screen as SVG."""
    shots: list[str] = []

    async def shoot(pilot: Pilot[None]) -> None:
        await app.workers.wait_for_complete()  # the output sums, off the main thread
        await pilot.pause()
        shots.append(app.export_screenshot())
        app.exit()

    app.run(headless=True, size=size, auto_pilot=shoot)
    return shots[0] if shots else ""
