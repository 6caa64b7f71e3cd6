"""The ``p`` picker: every preset with its title, size and description."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..im2col import im2col_refusal
from ..operations import build, with_quick_sums
from ..presets import CatalogueEntry, Preset, PresetError, load_preset
from .steady import SteadyResize


def read_entry(entry: CatalogueEntry) -> tuple[Preset, Any]:
    """A preset file and its steps, if the app can show them (in a thread: file I/O and
    numpy); a preset in the im2col view too big to unfold is refused like a bad file."""
    preset = load_preset(entry.path)
    if preset.view == "im2col" and (why := im2col_refusal(preset.spec)):
        raise PresetError(f"{entry.path}: {why}")
    return preset, with_quick_sums(build(preset.spec))


Outcome = tuple[Preset, Any] | PresetError  # a preset read with its steps, or why not


async def read_outcome(entry: CatalogueEntry) -> Outcome:
    """``read_entry`` off the main thread, its error returned rather than raised."""
    try:
        return await asyncio.to_thread(read_entry, entry)
    except PresetError as error:
        return error


class PresetPicker(SteadyResize, ModalScreen[tuple[CatalogueEntry, Outcome] | None]):
    """Enter returns the highlighted entry, already read; Escape returns ``None``.

    The file is read, and shown by the screen beneath when that needs no question,
    before the picker closes: the frame that uncovers the screen draws the new problem
    (shown after, the old one was drawn once more first). No frame is drawn between:
    one would paint the new problem dimmed under a picker about to go, a full paint
    (on 16 feature maps as costly as the real one).
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker.cancel")]

    def __init__(self, entries: list[CatalogueEntry], current: str,
                 show_beneath: Callable[[CatalogueEntry, Outcome], Awaitable[bool]]) -> None:
        super().__init__()
        self._entries = entries
        self._current = current
        self._show_beneath = show_beneath

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        heading = None
        for entry in self._entries:
            section = "Your saved presets" if entry.user else "Presets"
            if section != heading and any(e.user for e in self._entries):
                heading = section
                options.append(Option(Text(section, "bold underline"), disabled=True))
            label = Text(no_wrap=False)
            label.append(entry.title, "bold")
            label.append(f"  {entry.name}", "italic")
            if entry.error:
                label.append("\n  cannot load: ", "bold red")
                label.append(entry.error)
            else:
                label.append(f"\n  {entry.size}", "italic")
                if entry.description:
                    label.append(f"\n  {entry.description}")
            options.append(Option(label, id=entry.name))
        with Vertical(id="picker-box"):
            yield Static("Presets", classes="dialog-title")
            yield OptionList(*options, id="picker-list")
            yield Static("↑↓ choose · Enter load · Escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        names = [entry.name for entry in self._entries]
        current = self._current if self._current in names else names[0] if names else None
        if current is not None:
            option_list.highlighted = option_list.get_option_index(current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        by_name = {entry.name: entry for entry in self._entries}
        if event.option.id in by_name:
            self._read_and_close(by_name[event.option.id])

    @work(exclusive=True, group="read")
    async def _read_and_close(self, entry: CatalogueEntry) -> None:
        self.query_one(".dialog-hint", Static).update(f"Loading {entry.name}…")
        outcome = await read_outcome(entry)
        with self.app.batch_update():
            self.dismiss(None if await self._show_beneath(entry, outcome) else (entry, outcome))

    def action_cancel(self) -> None:
        self.dismiss(None)


class PickingPresets:
    """The ``p`` key of a screen with a ``preset`` on show and a ``load_entry`` worker."""

    @work(exclusive=True, group="catalogue")
    async def action_pick(self) -> None:
        entries = await self.app.read_catalogue()
        picked = await self.app.push_screen_wait(
            PresetPicker(entries, self.preset.name, self._show_under_picker))
        if picked is not None:
            self.load_entry(*picked)

    async def _show_under_picker(self, entry: CatalogueEntry, outcome: Outcome) -> bool:
        """Show a preset chosen in the picker while it still covers this screen, if that
        needs no question and no other screen; False leaves it to ``load_entry``."""
        return False
