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

They also draw the rows between their borders once: a container's own content is
blank, so each of those rows is the same strip (a border, the background, a border),
yet Textual renders every one afresh whenever the box is resized: 15–20 rows a panel,
five panels, on every option key.
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region, Size
from textual.strip import Strip


class NoSecondLayout:
    """Record a new content size without a second layout (for widgets with no scrollbars
    of their own, or that decide them in ``_scroll_update``)."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(  # type: ignore[misc]
            size, virtual_size, container_size, layout=False
        )


class SameMiddleRows:
    """Render one row between the borders and show it on every such row (containers
    only: their own content is blank, so those rows differ in nothing)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        render = super().render_lines  # type: ignore[misc]
        border = self.styles.border  # type: ignore[attr-defined]
        first = 1 if border.top[0] else 0
        last = self.outer_size.height - (1 if border.bottom[0] else 0)  # type: ignore[attr-defined]
        top, bottom = max(crop.y, first), min(crop.bottom, last)
        if bottom - top < 2:
            return render(crop)
        row = render(Region(crop.x, top, crop.width, 1))
        above = render(Region(crop.x, crop.y, crop.width, top - crop.y)) if top > crop.y else []
        below = (render(Region(crop.x, bottom, crop.width, crop.bottom - bottom))
                 if crop.bottom > bottom else [])
        return [*above, *row * (bottom - top), *below]


class Column(SameMiddleRows, NoSecondLayout, Vertical):
    """A ``Vertical`` that never scrolls."""


class Row(SameMiddleRows, NoSecondLayout, Horizontal):
    """A ``Horizontal`` that never scrolls."""


class ScrollColumn(SameMiddleRows, NoSecondLayout, VerticalScroll):
    """A ``VerticalScroll`` whose scrollbar, not its content size, asks for a layout."""
