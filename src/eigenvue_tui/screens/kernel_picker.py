"""The ``k`` picker: the named kernels and every preset's kernel, each with its grid drawn."""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..formatting import format_number
from ..kernels import KernelChoice
from .steady import SteadyResize

MAX_ROWS, MAX_COLS = 5, 7  # a bigger kernel shows its top-left corner and says so


def grid_lines(kernel: Any) -> list[str]:
    """A kernel's first 2-D slice as aligned rows of numbers (its shape when 3-D or 4-D)."""
    array = np.asarray(kernel)
    lines = []
    if array.ndim > 2:
        lines.append("[" + "][".join(map(str, array.shape)) + "], first slice:")
        array = array.reshape(-1, *array.shape[-2:])[0]
    texts = [[format_number(v) for v in row[:MAX_COLS]] for row in array[:MAX_ROWS].tolist()]
    width = max(len(t) for row in texts for t in row)
    more = "  …" if array.shape[1] > MAX_COLS else ""
    lines += [" ".join(t.rjust(width) for t in row) + more for row in texts]
    if array.shape[0] > MAX_ROWS:
        lines.append("…")
    return lines


class KernelPicker(SteadyResize, ModalScreen[KernelChoice | None]):
    """Enter returns the highlighted kernel; Escape returns ``None``."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="kernels.cancel")]

    def __init__(self, choices: list[KernelChoice], current: Any = None) -> None:
        super().__init__()
        self._choices = choices
        self._current = current

    def compose(self) -> ComposeResult:
        options: list[Option | None] = []
        heading = None
        for index, choice in enumerate(self._choices):
            section = "Named kernels" if choice.source == "named" else "Kernels of the presets"
            if section != heading:
                heading = section
                options.append(Option(Text(section, "bold underline"), disabled=True))
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append(choice.name, "bold")
            if choice.source != "named":
                label.append(f"  {choice.source}", "italic")
            for line in grid_lines(choice.kernel):
                label.append(f"\n  {line}")
            options.append(Option(label, id=str(index)))
        with Vertical(id="kernels-box"):
            yield Static("Kernels", classes="dialog-title")
            yield OptionList(*options, id="kernels-list")
            yield Static("↑↓ choose · Enter use (the input and options stay) · Escape cancel",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        same = [index for index, choice in enumerate(self._choices)
                if np.array_equal(np.asarray(choice.kernel), np.asarray(self._current))]
        option_list.highlighted = option_list.get_option_index(str(same[0] if same else 0))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self._choices[int(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)
