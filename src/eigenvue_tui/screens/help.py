"""The ``?`` screen: every key the app answers to, read from the bindings themselves."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .steady import SteadyResize

DIALOG_KEYS = (
    ("", ""),
    ("0-9 . -", "In edit mode: type a number for the cell under the cursor (⏎ sets it)"),
    ("↑ ↓ enter", "In the preset picker: choose and load (escape cancels)"),
    ("a b c d", "On the learn screen: answer the quiz"),
    ("escape", "Close any dialog"),
)


class HelpScreen(SteadyResize, ModalScreen[None]):
    """Lists the app's bindings so the help can never drift from the keys."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self._listed = bindings

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        seen: set[tuple[str, str]] = set()
        for binding in self._listed:
            text = binding.tooltip or binding.description
            if (binding.key, text) in seen:  # play and pause share space and one line
                continue
            seen.add((binding.key, text))
            keys = binding.key_display or " ".join(
                self.app.get_key_display(Binding(k.strip(), "")) for k in binding.key.split(",")
            )
            table.add_row(keys, text)
        for keys, text in DIALOG_KEYS:
            table.add_row(keys, text)
        with VerticalScroll(id="help-box"):
            yield Static("Keys", classes="dialog-title")
            yield Static(table)
            yield Static("Press Escape or ? to close.", classes="dialog-hint")
