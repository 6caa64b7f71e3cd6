"""The pseudocode listing with its current line, and the watch list beside it.

Both build ``Text`` objects, never markup, so ``output[row][col]`` keeps its
brackets. A step repaints only the rows it changed (the old and the new current
line, the values that changed), not the whole listing and watch list, and needs
no layout: their size is fixed per problem. Each row is turned into its strip on
its own and kept until it changes: Textual turns the whole text into strips
again on any repaint, for two changed rows of fifteen.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from ..cells import line_runs
from ..pseudocode import Listing
from .boxes import Column, NoSecondLayout, Row, ScrollColumn

CURRENT_MARK = "▶"


class RowText(NoSecondLayout, Widget):
    """A ``Text`` of whole rows that repaints the rows that changed, not all of them."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()
        self._lines: list[Text] = []
        self._rows: list[tuple[object, ...]] = []
        self._strips: list[Strip | None] = []
        self._strip_width = -1

    def render(self) -> Text:
        """The whole text: what Textual measures the widget's size by."""
        return self._text

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if width != self._strip_width:
            self._strips, self._strip_width = [None] * len(self._lines), width
        if y >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips[y]
        if strip is None:  # drawn as Textual draws the whole text: at once when all are new
            whole = all(drawn is None for drawn in self._strips)
            if whole:
                text = self._text
            else:  # at its own row, for the offsets text selection reads from each cell
                text = Text("\n" * y)
                text.append_text(self._lines[y])
            content = Content.from_rich_text(text, console=self.app.console)
            strips = Visual.to_strips(self, content, width, len(self._lines) if whole else y + 1,
                                      self.visual_style)
            if whole and len(strips) == len(self._lines):
                self._strips = strips
            strip = strips[y] if y < len(strips) else Strip.blank(width, self.rich_style)
            self._strips[y] = strip
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strip_width = -1  # a new base style: every row drawn again

    def selection_updated(self, selection: object) -> None:
        self._strip_width = -1  # a selection is drawn over the rows it covers
        super().selection_updated(selection)  # type: ignore[arg-type]

    def _show(self, text: Text, *, layout: bool = False) -> None:
        """Show ``text``; with the same number of rows and no layout, repaint only the rows
        whose characters or styles differ."""
        lines = text.split("\n", allow_blank=True)
        rows = [(line.plain, line.style, tuple(line.spans))  # what a row draws, compared
                for line in lines]  # far faster than its repr
        old, self._text, self._lines, self._rows = self._rows, text, list(lines), rows
        if layout or len(rows) != len(old):
            self._strip_width = -1
            self.refresh(layout=layout)
            return
        width = max(self.size.width, 1)
        changed = [y for y, (a, b) in enumerate(zip(old, rows, strict=True)) if a != b]
        if len(self._strips) == len(rows):  # else nothing drawn yet at this width
            for y in changed:
                self._strips[y] = None
        for start, end in line_runs(changed):
            self.refresh(Region(0, start, width, end - start))


class CodeView(RowText):
    """Numbered pseudocode; the line the current step runs is marked and highlighted."""

    COMPONENT_CLASSES = {"code--current", "code--number"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._listing: Listing | None = None
        self._line = 0
        self._room = 0
        self._first_rows: list[int] = []  # display row of each listing line

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(
            self, lambda _theme: self.call_after_refresh(self._draw, layout=False)
        )

    def set_listing(self, listing: Listing) -> None:
        """A new listing; the screen is laid out again only if its shape changed."""
        old = self._listing
        self._listing = listing
        self._line = 0
        same_shape = old is not None and [len(line) for line in old.numbered()] == [
            len(line) for line in listing.numbered()
        ]
        self._draw(layout=not same_shape)

    def fit_width(self, room: int) -> None:
        """Lay the listing out again for a panel ``room`` columns wide (never cut a line)."""
        if room != self._room:
            self._room = room
            self._draw(layout=True)
            self.call_after_refresh(self.reveal)  # rewrapped: once the panel has its rows

    def show_line(self, line: int) -> None:
        if line != self._line:
            self._line = line
            self._draw(layout=False)
            self.reveal()

    def reveal(self) -> None:
        """Scroll the panel (if it is too short for the listing) to the current line, centred
        and worked out from the step alone, so that the same step always shows the same
        lines however it was reached (Textual's scroll to a region starts from where the
        panel stands)."""
        panel = self.parent
        if not isinstance(panel, Widget) or not self._line or not self._first_rows:
            return
        shown = panel.scrollable_content_region.height
        if not shown:  # hidden (a terminal below the minimum): its scroll stays
            return
        first = self._first_rows[self._line - 1]
        after = self._first_rows[self._line] if self._line < len(self._first_rows) else None
        height = (after if after is not None else len(self._rows)) - first
        top = first - max(shown - height, 0) // 2
        panel.scroll_to(y=max(0, min(top, len(self._rows) - shown)), animate=False,
                        immediate=True)

    def _draw(self, *, layout: bool) -> None:
        if self._listing is None:
            return
        current = self.get_component_rich_style("code--current")
        number = self.get_component_rich_style("code--number")
        lines = self._listing.numbered()
        digits = len(str(len(self._listing.lines))) + 2
        numbered = not self._room or max(len(line) for line in lines) + 1 <= self._room
        if not numbered:
            lines = list(self._listing.lines)
            digits = 0
        text = Text(no_wrap=True)
        self._first_rows = []
        row = 0
        for i, line in enumerate(lines, 1):
            self._first_rows.append(row)
            pieces = wrap_code(line, self._room - 1, digits) if self._room else [line]
            for j, piece in enumerate(pieces):
                if row:
                    text.append("\n")
                row += 1
                mark = (CURRENT_MARK if j == 0 else " ") if i == self._line else " "
                if i == self._line:
                    text.append(mark + piece, current)
                else:
                    text.append(" " + piece[:digits], number)
                    text.append(piece[digits:])
        if self.styles.height is None or self.styles.height.cells != row:
            self.styles.height = row
        self._show(text, layout=layout)


def wrap_code(line: str, room: int, margin: int) -> list[str]:
    """``line`` split at spaces to fit ``room`` columns, continuations indented under it."""
    if room <= 0 or len(line) <= room:
        return [line]
    body = line[margin:]
    indent = " " * (margin + len(body) - len(body.lstrip()) + 4)
    pieces, rest, lead = [], line, ""
    while len(lead + rest) > room:
        cut = (lead + rest).rfind(" ", len(lead) + 1, room)
        if cut <= len(lead):
            cut = room
        pieces.append((lead + rest)[:cut].rstrip())
        rest = (lead + rest)[cut:].lstrip()
        lead = indent
        if len(lead) >= room:
            lead = ""
    pieces.append(lead + rest)
    return pieces


class WatchList(RowText):
    """Variables in scope and their values, like a debugger's watch window."""

    COMPONENT_CLASSES = {"watch--name", "watch--changed"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._previous: dict[str, str] = {}
        self._values: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        # Styles are baked into the content when drawn: draw again in a new theme.
        self.app.theme_changed_signal.subscribe(
            self, lambda _theme: self.call_after_refresh(self._redraw)
        )

    def _redraw(self) -> None:
        previous = self._previous
        self.show_values(self._values)
        self._previous = previous

    def show_values(self, values: list[tuple[str, str]]) -> None:
        self._values = values
        name_style = self.get_component_rich_style("watch--name")
        changed = self.get_component_rich_style("watch--changed")
        width = max((len(name) for name, _ in values), default=1)
        text = Text(no_wrap=True)
        for i, (name, value) in enumerate(values):
            if i:
                text.append("\n")
            text.append(f"{name:>{width}} = ", name_style)
            if self._previous.get(name, value) != value:
                text.append(value + " *", changed)
            else:
                text.append(value)
        self._previous = dict(values)
        self._show(text)


def code_row(code: Widget, watch: Widget) -> ComposeResult:
    """The pseudocode panel and the watch panel beside it, titled, as both screens
    lay them out (boxes that skip Textual's second layout, see boxes.py)."""
    code_panel = ScrollColumn(code, id="code-panel", classes="panel")
    code_panel.border_title = "pseudocode"
    watch_panel = Column(watch, id="watch-panel", classes="panel")
    watch_panel.border_title = "watch"
    yield Row(code_panel, watch_panel, id="code-row")
