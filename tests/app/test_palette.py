"""The grids' cell styles come from one palette per screen, kept right across a theme
change; the app keeps its startup heap out of the garbage collector's full passes, and
collects again from its first frame when the command line paused the collector."""

from __future__ import annotations

import gc

import pytest
from textual.color import Color

from eigenvue_tui import collection
from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import resolve
from eigenvue_tui.widgets.grid import GridView
from eigenvue_tui.widgets.palette import CellPalette

SIZE = (120, 40)


def backgrounds(app: ConvolutionApp) -> set[tuple[int, int, int]]:
    """The background colours of every segment the screen shows."""
    colours = set()
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            if segment.style is not None and segment.style.bgcolor is not None:
                triplet = segment.style.bgcolor.triplet
                if triplet is not None:
                    colours.add(tuple(triplet))
    return colours


def warning(app: ConvolutionApp) -> tuple[int, int, int]:
    """The theme's $warning: the current cell's background in app.tcss."""
    return Color.parse(app.theme_variables["warning"]).rgb


async def test_one_palette_styles_every_grid_and_follows_the_theme():
    app = ConvolutionApp(resolve("rgb-channels"), start_step=40)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        grids = list(app.screen.query(GridView))
        assert len(grids) > 3 and not any(grid.COMPONENT_CLASSES for grid in grids)
        assert len(app.screen.query(CellPalette)) == 1
        dark = warning(app)
        assert dark in backgrounds(app)  # the current cell, in the dark theme's colour

        app.theme = "solarized-light"
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        light = warning(app)
        assert light != dark
        shown = backgrounds(app)
        assert light in shown and dark not in shown


async def test_the_heap_is_frozen_while_the_app_runs_and_thawed_after():
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize(("name", "size"), [("default", SIZE), ("maxpool", SIZE),
                                            ("default", (30, 10))])
async def test_the_collector_paused_for_the_start_runs_from_the_first_frame(name, size):
    """As `eigenvue-tui` starts it: paused before the app is made. A terminal too small at
    the start (the explorer under the size notice) is a first frame too."""
    collection.pause()
    try:
        app = ConvolutionApp(resolve(name))
        async with app.run_test(size=size) as pilot:
            for _ in range(20):
                await pilot.pause()
                if gc.isenabled():
                    break
            assert gc.isenabled()
    finally:
        collection.resume()
        gc.enable()


def scrollbar_mismatches(app: ConvolutionApp) -> list[str]:
    """Grids whose vertical scrollbar does not match whether their content fits."""
    wrong = []
    for grid in app.screen.query(GridView):
        if not grid.display or not grid.size.height:
            continue
        overflows = grid.virtual_size.height > grid.container_size.height
        if grid.show_vertical_scrollbar != overflows:
            wrong.append(f"{grid.id}: {grid.virtual_size} in {grid.container_size}, "
                         f"bar {grid.show_vertical_scrollbar}")
    return wrong


async def test_a_grid_scrolls_exactly_when_its_content_does_not_fit():
    """Decided at the size the panels end up with, not on the way (a problem change
    used to leave a bar on the products grid from the old panel size)."""
    app = ConvolutionApp(resolve("rgb-channels"), start_step=16)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert scrollbar_mismatches(app) == []
        for key in ("z", "s", "d", "z", "s"):
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert scrollbar_mismatches(app) == [], key
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert scrollbar_mismatches(app) == []
