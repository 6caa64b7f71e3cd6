"""The ``g`` dialog: type a step number, Enter jumps there."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..safe_text import clean
from .steady import SteadyResize

STEP_NUMBER = re.compile(r"[0-9]+")


def chosen_step(text: str, last: int) -> int | str:
    """The step ``text`` names, or why it names none. Checked only on Enter: an input
    that refuses keys as they are typed dropped the ``e`` of ``1e2`` and jumped to 12."""
    typed = text.strip()
    if not STEP_NUMBER.fullmatch(typed):
        what = f"'{clean(typed, 20)}' is not a step number" if typed else "Nothing typed"
        return f"{what}: type a whole number from 0 to {last}."
    digits = typed.lstrip("0") or "0"  # int() refuses over 4,300 digits: compare lengths
    if len(digits) > len(str(last)) or int(digits) > last:
        return f"There is no step {clean(typed, 20)}: type a whole number from 0 to {last}."
    return int(digits)


class GotoScreen(SteadyResize, ModalScreen[int | None]):
    """Returns the chosen step, or ``None`` when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goto.cancel")]

    def __init__(self, current: int, last: int) -> None:
        super().__init__()
        self._current = current
        self._last = last

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Static(f"Go to step (0 … {self._last})", classes="dialog-title")
            yield Input(str(self._current), placeholder="step number", id="goto-input")
            yield Static("", id="goto-error", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).select_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        step = chosen_step(event.value, self._last)
        if isinstance(step, str):
            self.query_one("#goto-error", Static).update(step)
            return
        self.dismiss(step)

    def action_cancel(self) -> None:
        self.dismiss(None)
