"""Containers whose content size changing needs no second layout.

Textual 8.2.8 lays the screen out a second time whenever a container's content size
(``virtual_size``) changed during a layout, in case its scrollbars must change. That
pass repaints every such container, and so, Textual's partial update being the
bounding box of what is dirty, nearly the whole screen: 10–15 ms per problem change.
Yet a ``Vertical`` or ``Horizontal`` (``overflow: hidden``) has no scrollbars, and a
scrolling one decides its scrollbars in the same call (``_scroll_update``), where
one that appears or goes asks for the layout it needs. These boxes record the new
content size without asking for the pass; so do the code and watch panels' texts
(``Static``s that never scroll), whose new listing would otherwise lay the screen out
twice after every option key.
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size


class NoSecondLayout:
    """Record a new content size without a second layout (for widgets with no scrollbars
    of their own, or that decide them in ``_scroll_update``)."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(  # type: ignore[misc]
            size, virtual_size, container_size, layout=False
        )


class Column(NoSecondLayout, Vertical):
    """A ``Vertical`` that never scrolls."""


class Row(NoSecondLayout, Horizontal):
    """A ``Horizontal`` that never scrolls."""


class ScrollColumn(NoSecondLayout, VerticalScroll):
    """A ``VerticalScroll`` whose scrollbar, not its content size, asks for a layout."""
