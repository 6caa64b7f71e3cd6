"""Snapshots of the three views at the three terminal sizes a class meets, and in a light
theme. Look at the report before refreshing a baseline (``--snapshot-update``)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from eigenvue_tui.widgets.grid import VIEWS

SIZES = [(80, 24), (120, 40), (200, 60)]
MID_WAY = {"default": 20, "large-scroll": 1500, "handwritten-digit": 300, "rgb-channels": 40,
           "two-filters": 90}


def _in_view(view: str):
    async def run_before(pilot: Pilot) -> None:
        await pilot.press(*["v"] * VIEWS.index(view))
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


def _light(view: str):
    async def run_before(pilot: Pilot) -> None:
        pilot.app.theme = "textual-light"
        await _in_view(view)(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("preset", ["default", "large-scroll"])
def test_view_at_size(snap_compare, make_app, preset, view, size):
    """Each view mid-way through a multiply-add, at 80×24, 120×40 and 200×60."""
    app = make_app(preset, start_step=MID_WAY[preset])
    assert snap_compare(app, terminal_size=size, run_before=_in_view(view))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("preset", ["handwritten-digit", "rgb-channels", "two-filters"])
def test_pictures_channels_and_filters(snap_compare, make_app, preset, view):
    """The digit as a picture, the three RGB planes side by side, both filters' kernels."""
    app = make_app(preset, start_step=MID_WAY[preset])
    assert snap_compare(app, terminal_size=(120, 40), run_before=_in_view(view))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("preset", ["default", "handwritten-digit"])
def test_light_theme(snap_compare, make_app, preset, view):
    """textual-light: every highlight and label still readable."""
    app = make_app(preset, start_step=MID_WAY[preset])
    assert snap_compare(app, terminal_size=(120, 40), run_before=_light(view))
