"""What a terminal below the minimum size shows instead of the app's screens.

The screens underneath stay mounted, with their children hidden (``App.-too-small``
in app.tcss) so nothing is laid out at a size it cannot take; growing the terminal
again shows them as they were: problem, step, playing, any open dialog.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

from .steady import SteadyResize

MIN_SIZE = Size(30, 10)


def too_small(size: Size) -> bool:
    return size.width < MIN_SIZE.width or size.height < MIN_SIZE.height


class TooSmallScreen(SteadyResize, Screen[None]):
    """One line of advice; ``q`` still quits."""

    BINDINGS = [Binding("q", "app.quit", "Quit", id="too-small.quit")]

    def compose(self) -> ComposeResult:
        yield Static(id="too-small", markup=False)

    def show_size(self, size: Size) -> None:
        self.query_one("#too-small", Static).update(
            f"Terminal too small ({size.width}×{size.height}): eigenvue-tui needs "
            f"at least {MIN_SIZE.width}×{MIN_SIZE.height}. Enlarge it, or press q to quit."
        )

    def on_screen_resume(self) -> None:
        # Back on top after a dialog that was opened over it: leave if the terminal grew.
        if not too_small(self.app.size):
            self.dismiss()
        else:
            self.show_size(self.app.size)
