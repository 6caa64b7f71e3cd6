"""The pseudocode listing with its current line, and the watch list beside it.

Both build ``Text`` objects, never markup, so ``output[row][col]`` keeps its
brackets; both update with ``layout=False`` because their size is fixed per
problem.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.geometry import Region, Spacing
from textual.style import Style as VisualStyle
from textual.widgets import Static

from ..pseudocode import Listing

CURRENT_MARK = "▶"


class CodeView(Static):
    """Numbered pseudocode; the line the current step runs is marked and highlighted."""

    COMPONENT_CLASSES = {"code--current", "code--number"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._listing: Listing | None = None
        self._line = 0

    def set_listing(self, listing: Listing) -> None:
        self._listing = listing
        self._line = 0
        self.styles.height = len(listing.lines)
        self._draw(layout=True)

    def show_line(self, line: int) -> None:
        if line != self._line:
            self._line = line
            self._draw(layout=False)
            self.reveal()

    def reveal(self) -> None:
        """Scroll the panel (if it is too short for the listing) to the current line."""
        if self.parent is not None and self._line:
            self.parent.scroll_to_region(
                Region(0, self._line - 1, 1, 1), spacing=Spacing(1, 0, 1, 0), animate=False,
                immediate=True,
            )

    def _draw(self, *, layout: bool) -> None:
        if self._listing is None:
            return
        current = self.get_component_rich_style("code--current")
        number = self.get_component_rich_style("code--number")
        digits = len(str(len(self._listing.lines)))
        text = Text(no_wrap=True)
        for i, line in enumerate(self._listing.numbered(), 1):
            if i > 1:
                text.append("\n")
            if i == self._line:
                text.append(CURRENT_MARK + line, current)
            else:
                text.append(" " + line[:digits], number)
                text.append(line[digits:])
        self.update(text, layout=layout)


class WatchList(Static):
    """Variables in scope and their values, like a debugger's watch window."""

    COMPONENT_CLASSES = {"watch--name", "watch--changed"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._previous: dict[str, str] = {}

    def show_values(self, values: list[tuple[str, str]]) -> None:
        name_style = self.get_visual_style("watch--name", partial=True)
        changed = self.get_visual_style("watch--changed", partial=True)
        width = max((len(name) for name, _ in values), default=1)
        parts: list[str | tuple[str, VisualStyle]] = []
        for i, (name, value) in enumerate(values):
            if i:
                parts.append("\n")
            parts.append((f"{name:>{width}} = ", name_style))
            if self._previous.get(name, value) != value:
                parts.append((value + " *", changed))
            else:
                parts.append(value)
        self._previous = dict(values)
        self.update(Content.assemble(*parts), layout=False)
