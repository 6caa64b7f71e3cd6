"""The ``g`` dialog: type a step number, Enter jumps there."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import Integer
from textual.widgets import Input, Static

from .steady import SteadyResize


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
            yield Input(
                str(self._current),
                placeholder="step number",
                type="integer",
                validators=[Integer(minimum=0, maximum=self._last)],
                id="goto-input",
            )
            yield Static("", id="goto-error", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).select_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.query_one("#goto-error", Static).update(
                f"Enter a whole number from 0 to {self._last}."
            )
            return
        self.dismiss(int(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
