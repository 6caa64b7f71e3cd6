"""Border titles that repaint their border row only, and only when they change.

Textual's ``border_title`` and ``border_subtitle`` setters repaint the whole widget
every time, even with the same text, and a panel's repaint is every grid inside
it. The board sets its titles after every problem change and channel switch, the
products title on every step and the output's title a few times a second while
the background sums run. A title sits in its border row and never changes the
layout, so these helpers store it as Textual's setter would and repaint that row.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget

_UNSET = object()


def set_titles(widget: Widget, title: object = _UNSET, subtitle: object = _UNSET) -> None:
    """Set ``widget``'s border title and/or subtitle (``None`` for none) if they changed."""
    shown = widget.__dict__.setdefault("_shown_titles", [_UNSET, _UNSET])
    if title is not _UNSET and title != shown[0]:
        shown[0] = title
        widget._border_title = _stored(widget, title)
        _repaint_row(widget, 0)
    if subtitle is not _UNSET and subtitle != shown[1]:
        shown[1] = subtitle
        widget._border_subtitle = _stored(widget, subtitle)
        _repaint_row(widget, widget.outer_size.height - 1)


def _stored(widget: Widget, title: object) -> Content | None:
    """The title as Textual 8.2.8's ``_BorderTitle.__set__`` stores it (first line, tabs
    expanded), which its border rendering reads back."""
    if title is None:
        return None
    if isinstance(title, Text):
        title = Content.from_rich_text(title)
    return widget.render_str(title).expand_tabs(4).split()[0]  # type: ignore[arg-type]


def _repaint_row(widget: Widget, y: int) -> None:
    """Repaint row ``y`` of the widget's own area (its borders included): ``refresh``
    takes regions in content coordinates, so the gutter is taken off first."""
    if y < 0:  # not laid out yet: its first layout paints it whole
        return
    offset = widget.content_offset
    widget.refresh(Region(-offset.x, y - offset.y, widget.outer_size.width, 1))
