"""Border titles that repaint only when they change.

Textual's ``border_title`` and ``border_subtitle`` setters repaint the whole widget
every time, even with the same text, and a panel's repaint is every grid inside
it. The board sets its titles after every problem change and channel switch, and
the products title on every step, so these helpers set a title only when it
differs from the one shown.
"""

from __future__ import annotations

from textual.widget import Widget

_UNSET = object()


def set_titles(widget: Widget, title: object = _UNSET, subtitle: object = _UNSET) -> None:
    """Set ``widget``'s border title and/or subtitle (``None`` for none) if they changed."""
    shown = widget.__dict__.setdefault("_shown_titles", [_UNSET, _UNSET])
    if title is not _UNSET and title != shown[0]:
        shown[0] = title
        widget.border_title = title  # type: ignore[assignment]
    if subtitle is not _UNSET and subtitle != shown[1]:
        shown[1] = subtitle
        widget.border_subtitle = subtitle  # type: ignore[assignment]
