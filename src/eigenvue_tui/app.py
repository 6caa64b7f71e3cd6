"""The Textual application: one explorer screen, its styles, and the preset catalogue."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding

from .commands import PresetCommands
from .engine import Steps
from .presets import CatalogueEntry, Preset, catalogue
from .screens.explorer import ExplorerScreen


class ConvolutionApp(App[None]):
    """eigenvue-tui: watch a kernel slide over an input, one multiply-add at a time."""

    CSS_PATH = "app.tcss"
    TITLE = "eigenvue-tui"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (36, "-tall")]
    COMMANDS = App.COMMANDS | {PresetCommands}
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+p", "command_palette", "Palette", show=False,
                tooltip="Command palette (presets too)", id="palette"),
    ]

    def __init__(
        self, preset: Preset, *, start_step: int = 0, preset_dirs: tuple[Path, ...] = (),
        steps: Steps | None = None,
    ) -> None:
        super().__init__()
        self._preset = preset
        self._steps = steps
        self._start_step = start_step
        self.preset_dirs = preset_dirs

    def on_mount(self) -> None:
        # Read the preset files now, in the background, so the first `p` opens at once.
        self.run_worker(self.read_catalogue(), group="catalogue", exit_on_error=False)

    def get_default_screen(self) -> ExplorerScreen:
        steps = self._steps if self._steps is not None else Steps(self._preset.spec)
        return ExplorerScreen(self._preset, steps, self._start_step)

    @property
    def explorer(self) -> ExplorerScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, ExplorerScreen)
        return screen

    async def read_catalogue(self) -> list[CatalogueEntry]:
        """Every preset file with its title and size, read off the main thread."""
        return await asyncio.to_thread(catalogue, self.preset_dirs)

    def load_entry(self, entry: CatalogueEntry) -> None:
        self.explorer.load_entry(entry)
