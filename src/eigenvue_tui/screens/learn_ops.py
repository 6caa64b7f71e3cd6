"""The ``i`` screen on the operation screen: each operation, its size formula, these numbers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .steady import SteadyResize


class OpLearnScreen(SteadyResize, ModalScreen[None]):
    """A section per operation (the one on screen first), with the current numbers."""

    BINDINGS = [Binding("escape,i,q", "dismiss", "Close", id="op.learn.close")]

    def __init__(self, sections: list[tuple[str, str]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="learn-box"):
            yield Static("Beyond the forward pass, on these grids", classes="dialog-title")
            for heading, body in self.sections:
                yield Static(heading, classes="learn-heading", markup=False)
                yield Static(body, classes="learn-text", markup=False)
            yield Static("Escape closes.", classes="dialog-hint")
