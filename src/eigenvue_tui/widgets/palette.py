"""The cell styles every grid on a screen shares, resolved once per screen.

Textual resolves a widget's component classes each time the widget is restyled.
A grid drawn with thirteen of them costs a screen with 67 grids (16 filters over
3 channels) some 900 style resolutions per restyle; one hidden palette per
screen resolves them once, and the grids read them from it.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget

CELL_STYLES = (
    "label", "cell", "negative", "window", "gap", "current", "pending", "partial",
    "padding", "written", "dimmed", "marked", "cursor",
)


class CellPalette(Widget):
    """Not drawn (``display: none``): holds the ``grid--*`` styles of app.tcss."""

    COMPONENT_CLASSES = {f"grid--{name}" for name in CELL_STYLES}

    def __init__(self) -> None:
        super().__init__(id="cell-palette")
        self._styles: dict[str, Style] | None = None

    def cell_styles(self) -> dict[str, Style]:
        """Each style by its short name (``cell``, ``window``, …), cached until a restyle."""
        if self._styles is None:
            self._styles = {
                name: self.get_component_rich_style(f"grid--{name}") for name in CELL_STYLES
            }
        return self._styles

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
