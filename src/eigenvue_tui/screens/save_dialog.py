"""The ``ctrl+s`` dialog: the name to save the problem under, asking before overwriting."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..saving import SaveError, check_stem, path_for
from .confirm import ConfirmScreen
from .steady import SteadyResize


class SaveScreen(SteadyResize, ModalScreen[str | None]):
    """Returns the file stem to save as (overwriting agreed to), or ``None`` on Escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save.cancel")]

    def __init__(self, stem: str) -> None:
        super().__init__()
        self._stem = stem

    def compose(self) -> ComposeResult:
        with Vertical(id="save-box"):
            yield Static("Save as a preset", classes="dialog-title")
            yield Static(f"in {path_for('NAME').parent}", classes="dialog-hint", markup=False)
            yield Input(self._stem, placeholder="name", id="save-name")
            yield Static("Enter saves · Escape cancels", id="save-error", classes="dialog-hint",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).select_all()

    @work(exclusive=True, group="save-dialog")
    async def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            stem = check_stem(event.value)
        except SaveError as error:
            self.query_one("#save-error", Static).update(str(error))
            return
        if path_for(stem).exists():
            agreed = await self.app.push_screen_wait(ConfirmScreen(
                "Overwrite?", f"{path_for(stem)} exists. Replace it with this problem?",
                "Overwrite",
            ))
            if not agreed:
                self.query_one("#save-error", Static).update(
                    "Not overwritten: type another name, or Escape.")
                return
        self.dismiss(stem)

    def action_cancel(self) -> None:
        self.dismiss(None)
