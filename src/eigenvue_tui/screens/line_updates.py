"""Screen updates that render only the lines that changed, and no line hidden behind others.

Textual 8.2.8's partial update (``Compositor.render_partial_update``) takes the
bounding box of every dirty region, and every widget that box touches renders all
of its lines, most of them from its line cache, before the changed spans are cut
out. A step dirties a few grid lines at the top, a code line and the watch list in
the middle and the status line at the bottom, so the box is the whole screen and
each step re-renders some 270 lines of 25 widgets (9–10 ms on a 16-filter
problem). This compositor renders, for each widget under a dirty region, only the
runs of dirty lines it covers, and composes them front to back exactly as Textual
does; a widget's line whose every piece a widget in front of it already gave (a
container behind its children) is not rendered at all. Full updates (the first
frame, a resize, a screenshot) are composed the same way over the whole screen:
Textual cuts every container's line at every widget edge on it, some 40 edges a
line with 16 kernel slices side by side, only to throw the pieces away.
``tests/app/test_line_updates.py`` checks every update against Textual's own
render of the same screen.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from textual import events
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip

from ..cells import line_runs


class LineCompositor(Compositor):
    """A :class:`Compositor` that renders the lines an update shows, and only those."""

    _reflow_base: dict | None = None  # the map the screen last showed, when rebuilt since
    full_next = False  # the next update is a full one (see LineScreen)

    def render_update(self, full=False, screen_stack=None, simplify=False):  # type: ignore[no-untyped-def]
        full, self.full_next = full or self.full_next, False
        return super().render_update(full, screen_stack, simplify)

    @property
    def full_map(self):  # type: ignore[no-untyped-def]
        """Textual 8.2.8 rebuilds the full map lazily after a scroll-only layout, from
        the styles of the moment. Looked up between a style change and its layout (a
        toast being placed while stride 2 widens the output panel at 80×24), the rebuilt
        map already holds the new geometry, the layout then finds nothing moved, and the
        panel's new columns are never sent. The map before the rebuild is kept for the
        layout to compare with."""
        if self.root is not None and self._full_map_invalidated and self._reflow_base is None:
            self._reflow_base = self._full_map
        return super().full_map

    def reflow(self, parent, size):  # type: ignore[no-untyped-def]
        if self._reflow_base is not None:
            self._full_map, self._reflow_base = self._reflow_base, None
        return super().reflow(parent, size)

    def reflow_visible(self, parent, size):  # type: ignore[no-untyped-def]
        """Scroll a container: repaint what moved or came into view, not the screen.

        Textual 8.2.8 compares the new visible map with the previous visible one,
        which every layout discards, so the first scroll after a layout (the output
        panel following the step to another feature map, say) finds every widget
        changed and repaints the whole screen: 20–25 ms on 16 maps. What is on
        screen then is what the layout's full map says (``visible_widgets`` is read
        from it), so that is the map to compare with.
        """
        if self._visible_map is None:
            self._visible_map = self._full_map
        return super().reflow_visible(parent, size)

    def render_partial_update(self) -> ChopsUpdate | None:
        screen_region = self.size.region
        update_regions = [
            region.intersection(screen_region) for region in self._dirty_regions
        ]
        self._dirty_regions.clear()
        update_regions = [region for region in update_regions if region]
        if not update_regions:
            return None
        spans = list(self._regions_to_spans(update_regions))
        chops = self._compose(update_regions)
        return ChopsUpdate(chops, spans, [cut_set[1:] for cut_set in self.cuts])

    def _render_chops(  # type: ignore[override]
        self, crop: Region, is_rendered_line: Callable[[int], bool]
    ) -> list[dict[int, Strip | None]]:
        """Textual's full update and ``render_strips`` (screenshots) come here."""
        crop = crop.intersection(self.size.region)
        lines = [y for y in range(crop.y, crop.bottom) if is_rendered_line(y)]
        return self._compose(
            [Region(crop.x, start, crop.width, end - start) for start, end in line_runs(lines)]
        )

    def _compose(self, update_regions: list[Region]) -> list[dict[int, Strip | None]]:
        """The pieces of every screen line under ``update_regions``, front to back: each
        widget renders only its lines there that still lack a piece under an update,
        which no widget in front of it gave. A piece outside every update is never sent
        (Textual skips a piece left ``None``): a scrollbar's or a border title's repaint
        does not render the whole lines of the grid beside it."""
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        spans: dict[int, list[tuple[int, int]]] = {}
        for update in update_regions:
            for y in range(update.y, update.bottom):
                spans.setdefault(y, []).append((update.x, update.right))
        for widget, (region, clip) in self.visible_widgets.items():  # front to back
            visible = region.intersection(clip)
            if not visible:
                continue
            dirty = sorted({
                y
                for update in update_regions
                if visible.overlaps(update)
                for y in range(max(update.y, visible.y), min(update.bottom, visible.bottom))
            })
            first_cut, last_cut = visible.column_span
            line_cuts = {}
            for y in dirty:  # only lines where a piece of this widget is still wanted
                final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
                line, wanted = chops[y], spans[y]
                if any(line.get(cut) is None and any(x1 < end and cut < x2 for x1, x2 in wanted)
                       for cut, end in pairwise(final_cuts)):
                    line_cuts[y] = final_cuts
            for start, end in line_runs(list(line_cuts)):
                strips = widget.render_lines(
                    Region(visible.x - region.x, start - region.y, visible.width, end - start)
                )
                for y, strip in zip(range(start, end), strips, strict=False):
                    line = chops[y]
                    final_cuts = line_cuts[y]
                    pieces = strip.divide([cut - visible.x for cut in final_cuts[1:]])
                    for cut, piece in zip(final_cuts, pieces, strict=False):
                        if line.get(cut) is None:  # the front-most widget's piece wins
                            line[cut] = piece
        return chops


class LineScreen(Screen[None]):
    """A screen drawn by a :class:`LineCompositor`, whose layout and repaint asked for in
    one frame paint it once.

    Textual 8.2.8 paints what the layout changed and then, for the repaint (the screen
    uncovered by a dialog closing, say), the whole screen again: a preset chosen in the
    picker painted the screen three times over. Here the layout's paint is the full one.
    """

    def __init__(self) -> None:
        super().__init__()
        self._compositor = LineCompositor()
        self._shown_before = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before Textual's own handler. The first time a screen is shown, Textual
        8.2.8 restyles every widget on it, each one styled moments before as it mounted
        (and again with every class change since): 5–10 ms of the first frame."""
        if not self._shown_before:
            self._shown_before = True
            event.refresh_styles = False

    def _on_timer_update(self) -> None:
        if (self._layout_required and self._repaint_required and self.is_current
                and not self.app._batch_count and not self.app.is_inline):
            self._repaint_required = False
            self._compositor.full_next = True
        super()._on_timer_update()
