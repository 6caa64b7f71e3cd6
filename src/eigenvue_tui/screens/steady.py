"""Screens that lay themselves out at the terminal's current size only.

Textual 8.2.8's ``Screen._refresh_layout`` posts a ``Resize`` to the screen
itself whenever the screen's own region changed, and ``Screen._on_resize`` lays
the screen out again at that event's size. When two terminal resizes reach a
busy screen with other messages between them (so Textual does not merge them),
each layout re-posts its own size behind the other: the screen lays out at the
two sizes in turn forever, never paints a settled frame and never gets to ``q``.
A ``Resize`` whose size is no longer the terminal's is stale: dropping it ends
the loop, and the terminal's current size is always laid out.
"""

from __future__ import annotations

from textual import events
from textual.command import CommandPalette
from textual.screen import Screen


class SteadyResize:
    """A mixin put before the Textual screen class among the bases: its handler runs
    first and drops a stale resize (see the module note). Not a DOMNode, so the screen
    still inherits its Textual base's CSS, component classes and bindings."""

    def on_resize(self, event: events.Resize) -> None:
        assert isinstance(self, Screen)
        if event.size != self.app.size:
            event.prevent_default()  # Screen._on_resize (relayout, breakpoints) is skipped


class SteadyPalette(SteadyResize, CommandPalette):
    """Textual's command palette with the same guard."""
