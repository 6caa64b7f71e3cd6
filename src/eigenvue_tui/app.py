"""The Textual application: one explorer screen, its styles, and the preset catalogue."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen

from . import collection
from .commands import PresetCommands
from .engine import Steps
from .operations import build
from .presets import CatalogueEntry, Preset, catalogue
from .screens.confirm import ConfirmScreen
from .screens.explorer import ExplorerScreen
from .screens.steady import SteadyPalette
from .screens.too_small import TooSmallScreen, too_small

if TYPE_CHECKING:  # loaded when a problem needs it, not at every start
    from textual.widget import Widget

    from .screens.operation import OperationScreen


def breakpoint_classes(size: Size, across: list[tuple[int, str]],
                       down: list[tuple[int, str]]) -> list[str]:
    """The class of the highest breakpoint each dimension reaches, as Textual picks it."""
    classes: list[str] = []
    for limits, length in ((across, size.width), (down, size.height)):
        classes += [name for at, name in sorted(limits, reverse=True) if length >= at][:1]
    return classes


class ConvolutionApp(App[None]):
    """eigenvue-tui: watch a kernel slide over an input, one multiply-add at a time."""

    CSS_PATH = "app.tcss"
    TITLE = "eigenvue-tui"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-cramped"), (60, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-tiny"), (13, "-short"), (36, "-tall")]
    COMMANDS = App.COMMANDS | {PresetCommands}
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+p", "command_palette", "Palette", show=False,
                tooltip="Command palette (presets too)", id="palette"),
    ]

    def __init__(
        self, preset: Preset, *, start_step: int = 0, preset_dirs: tuple[Path, ...] = (),
        steps: Any = None, look: str = "numbers", zoom: int = 0,
        watch: tuple[Path, Callable[[], Preset]] | None = None,
    ) -> None:
        super().__init__()
        self._look, self._zoom, self._watch = look, zoom, watch
        self._preset = preset
        self._steps = steps
        self._start_step = start_step
        self.preset_dirs = preset_dirs
        self._heap_thawed = False
        self._catalogue_read = False
        self._focus_before_small: list[tuple[Screen, Widget | None]] = []

    def on_mount(self) -> None:
        self._fit(self.size)

    def first_frame_shown(self) -> None:
        """Called once a screen has painted its first frame.

        The objects of the imports and of that screen live as long as the app: frozen, a
        full garbage collection no longer walks them (50–115 ms each, landing on random
        key presses) but only what was made since. The preset files are read now, in the
        background, so the first `p` opens at once: read before, their 20–30 ms of
        parsing took turns with the first frame.
        """
        if not self._heap_thawed:
            gc.freeze()
        collection.resume()  # paused by the command line until this first frame
        if not self._catalogue_read:
            self._catalogue_read = True
            self.run_worker(self.read_catalogue, group="catalogue", exit_on_error=False)

    def on_unmount(self) -> None:
        # Collectable again: a process may go on after the app (tests, Jupyter), and a
        # freeze asked for during the shutdown is not made.
        self._heap_thawed = True
        gc.unfreeze()

    def on_resize(self, event: events.Resize) -> None:
        # Runs before Textual's own handler, so no screen is laid out at a size below
        # the minimum before its children are hidden.
        self._fit(event.size)

    def _fit(self, size: Size) -> None:
        """Cover the screens with the "too small" notice below the minimum size, and
        take it away (everything underneath as it was) once the terminal is big enough."""
        small = too_small(size)
        if small and not self.has_class("-too-small"):  # hiding them drops their focus
            self._focus_before_small = [(screen, screen.focused) for screen in self.screen_stack]
        self.set_class(small, "-too-small")
        top = self.screen
        if isinstance(top, TooSmallScreen):
            if small:
                top.show_size(size)
            else:
                self.pop_screen()
                # Textual 8.2.8 restyles only the top screen for a class of the app, and
                # not the screen a pop uncovers: the screens beneath kept their children
                # hidden (all but the code row) unless the new size changed a breakpoint.
                for screen in self.screen_stack:
                    screen.update_node_styles(animate=False)
                for screen, widget in self._focus_before_small:
                    if widget is not None and widget.is_attached and widget.focusable:
                        screen.set_focus(widget, scroll_visible=False)
                self._focus_before_small = []
        elif small and not any(isinstance(s, TooSmallScreen) for s in self.screen_stack):
            self.push_screen(TooSmallScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "command_palette" and self.has_class("-too-small"))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not SteadyPalette.is_open(self):
            self.push_screen(SteadyPalette(id="--command-palette"))

    async def action_quit(self) -> None:
        """Quit at once, unless the problem has unsaved edits: then ask first."""
        if not getattr(self.screen_stack[0], "unsaved", False):
            self.exit()
            return
        if any(isinstance(screen, ConfirmScreen) for screen in self.screen_stack):
            return  # already asking

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(ConfirmScreen(
            "Unsaved edits", "The problem has edits that are not saved (ctrl+s saves them)."
            " Quit anyway?", "Quit anyway",
        ), answered)

    def get_default_screen(self) -> ExplorerScreen | OperationScreen:
        steps = self._steps if self._steps is not None else build(self._preset.spec)
        screen = self.screen_for(self._preset, steps, self._start_step, look=self._look)
        # The size classes the first resize would add, there before any widget mounts:
        # added after, they would restyle every widget on the screen once more.
        screen.add_class(*breakpoint_classes(self.size, self.HORIZONTAL_BREAKPOINTS,
                                             self.VERTICAL_BREAKPOINTS))
        if isinstance(screen, ExplorerScreen):
            screen.start_look, screen.start_zoom = self._look, self._zoom
            screen.watch_source = self._watch
        return screen

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, ExplorerScreen):
            yield from screen.share_commands()

    @staticmethod
    def screen_for(preset: Preset, steps: Any, step: int = 0, kernel_source: Any = None,
                   look: str = "numbers") -> ExplorerScreen | OperationScreen:
        """The explorer for a conv on its grids, the operation screen for the rest."""
        if preset.on_explorer:
            return ExplorerScreen(preset, steps, step)
        from .screens.operation import OperationScreen

        return OperationScreen(preset, steps, step, kernel_source=kernel_source, look=look)
    def open_problem(self, preset: Preset, steps: Any, step: int = 0, *,
                     kernel_source: Any = None) -> None:
        """Show a problem: a conv on the explorer keeps the explorer (its view, speed);
        anything else switches to the screen that draws it."""
        base = self.screen_stack[0]
        if isinstance(base, ExplorerScreen) and preset.on_explorer and isinstance(steps, Steps):
            self.run_worker(base.show_problem(preset, steps, step), group="open-problem")
            return
        top = self.screen
        if not top._result_callbacks:
            # The default screen was never pushed, so it has no result callback for
            # switch_screen to pop (Textual 8.2.8 then raises IndexError): give it one.
            top._push_result_callback(top, None)
        self.switch_screen(self.screen_for(preset, steps, step, kernel_source))

    @property
    def explorer(self) -> ExplorerScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, ExplorerScreen)
        return screen

    async def read_catalogue(self) -> list[CatalogueEntry]:
        """Every preset file with its title and size, read off the main thread."""
        return await asyncio.to_thread(catalogue, self.preset_dirs)

    def load_entry(self, entry: CatalogueEntry) -> None:
        self.screen_stack[0].load_entry(entry)  # type: ignore[attr-defined]
