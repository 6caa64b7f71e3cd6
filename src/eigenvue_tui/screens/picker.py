"""The ``p`` picker: every preset with its title, size and description."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..presets import CatalogueEntry
from .steady import SteadyResize


class PresetPicker(SteadyResize, ModalScreen[CatalogueEntry | None]):
    """Enter returns the highlighted entry; Escape returns ``None``."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker.cancel")]

    def __init__(self, entries: list[CatalogueEntry], current: str) -> None:
        super().__init__()
        self._entries = entries
        self._current = current

    def compose(self) -> ComposeResult:
        options = []
        for entry in self._entries:
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
        if self._current in names:
            option_list.highlighted = names.index(self._current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._entries[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
