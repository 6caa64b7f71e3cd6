"""The output sums of a big problem are computed after the first paint, in a thread.
Neither they nor the reading of the preset files start before that first frame.

The real ``all_sums`` runs behind a gate the test opens, so the "still loading"
screen can be looked at for as long as needed: written output cells say ``…``
(never a number), the output's title says how far the sums are, keys go on
working, and quitting while they load ends the app at once (the worker is
cancelled). Once the gate opens the numbers on screen are the oracle's.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from textual.screen import Screen

from eigenvue_tui import app as app_module
from eigenvue_tui import engine, operations
from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import parse_preset
from eigenvue_tui.screens.explorer import INLINE_MACS
from eigenvue_tui.sums import SumsCancelled
from eigenvue_tui.widgets.grid import GridView
from oracle import conv2d

SIZE = (120, 40)


class Gate:
    """Holds the background ``all_sums`` until opened, noticing the worker being
    cancelled meanwhile; small problems, summed inline (on the main thread, or in the
    thread of the change that made them), pass."""

    def __init__(self, real) -> None:
        self.real = real
        self.opened = threading.Event()
        self.started = threading.Event()
        self.saw_cancel = False

    def __call__(self, spec, padded, weights, starts, progress=None, cancelled=None):
        if cancelled is None:  # inline, before the first paint
            return self.real(spec, padded, weights, starts, progress, cancelled)
        self.started.set()
        while not self.opened.wait(0.01):
            if cancelled is not None and cancelled():
                self.saw_cancel = True
                raise SumsCancelled
        return self.real(spec, padded, weights, starts, progress, cancelled)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Gate:
    gate = Gate(engine.all_sums)
    monkeypatch.setattr(engine, "all_sums", gate)
    return gate


def big_problem() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    x = rng.integers(-9, 10, (130, 130))
    w = rng.integers(-3, 4, (9, 9))
    assert INLINE_MACS < (130 - 8) ** 2 * 81  # so the app computes it in the background
    return x, w


def big_app(x: np.ndarray, w: np.ndarray) -> ConvolutionApp:
    data = {"title": "big", "input": x.tolist(), "kernel": w.tolist()}
    return ConvolutionApp(parse_preset(data, "big", "test"))


def output_tokens(grid: GridView) -> list[list[str]]:
    """The cell texts of every drawn row of an output grid (labels dropped)."""
    rows = []
    for y in range(1, grid.size.height):  # line 0 holds the column numbers
        tokens = grid.render_line(y).text.split()
        if tokens:
            rows.append(tokens[1:])
    return rows


async def until(pilot, condition, tries: int = 500) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition never held")


async def test_written_cells_wait_for_the_sums_then_show_the_oracle(gate: Gate) -> None:
    x, w = big_problem()
    app = big_app(x, w)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, gate.started.is_set)
        await pilot.press("end")  # done: every output cell is written
        await pilot.pause()
        grid = app.screen.query_one("#output-grid-0", GridView)
        waiting = output_tokens(grid)
        assert waiting and all(token == "…" for row in waiting for token in row), waiting
        title = str(app.screen.query_one("#output-panel").border_title)
        assert "computing the sums" in title
        await pilot.press("home", "right", "right")  # keys still work meanwhile
        assert "Step 2 /" in str(app.screen.query_one("#status").render())
        await pilot.press("end")
        gate.opened.set()
        await until(pilot, lambda: app.screen.steps.sums_ready)
        await pilot.pause()
        want = conv2d(x, w)[0]
        shown = output_tokens(grid)
        assert shown
        for r, row in enumerate(shown):
            assert row == [str(v) for v in want[r, : len(row)]], r
        assert "computing" not in str(app.screen.query_one("#output-panel").border_title)


async def test_the_background_work_starts_once_the_first_frame_is_drawn(
        gate: Gate, monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads started before it take turns with the first frame for the interpreter."""
    paints: list[Screen] = []
    started: dict[str, int] = {}
    paint, read_catalogue = Screen._compositor_refresh, app_module.catalogue

    def counted_paint(screen: Screen) -> None:
        paints.append(screen)
        paint(screen)

    def counted_catalogue(dirs):
        started["catalogue"] = len(paints)
        return read_catalogue(dirs)

    def counted_sums(spec, padded, weights, starts, progress=None, cancelled=None):
        if cancelled is not None:  # the background load, not a sum worked out inline
            started["sums"] = len(paints)
        return gate(spec, padded, weights, starts, progress, cancelled)

    monkeypatch.setattr(Screen, "_compositor_refresh", counted_paint)
    monkeypatch.setattr(app_module, "catalogue", counted_catalogue)
    monkeypatch.setattr(engine, "all_sums", counted_sums)
    app = big_app(*big_problem())
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(started) == 2)
        assert started["catalogue"] >= 1 and started["sums"] >= 1, started
        await pilot.press("p")  # the picker lists the files read in the background
        await until(pilot, lambda: "Default" in "".join(
            strip.text for strip in app.screen._compositor.render_strips()))
        gate.opened.set()


async def test_quitting_while_the_sums_load_cancels_them(gate: Gate) -> None:
    x, w = big_problem()
    app = big_app(x, w)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, gate.started.is_set)
        steps = app.screen.steps
        await pilot.press("q")
    await app.workers.wait_for_complete()
    assert gate.saw_cancel, "the sums worker was not cancelled"
    assert not steps.sums_ready


async def test_an_option_key_during_the_load_drops_the_old_sums(gate: Gate) -> None:
    x, w = big_problem()
    app = big_app(x, w)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, gate.started.is_set)
        old = app.screen.steps
        await pilot.press("s")  # stride 2: small enough to be summed inline
        await until(pilot, lambda: app.screen.steps is not old and gate.saw_cancel)
        assert not old.sums_ready
        assert app.screen.steps.sums_ready
        await pilot.press("end")
        await pilot.pause()
        want = conv2d(x, w, stride=2)[0]
        grid = app.screen.query_one("#output-grid-0", GridView)
        first = output_tokens(grid)[0]
        assert first == [str(v) for v in want[0, : len(first)]]



@pytest.mark.parametrize("quick", [True, False], ids=["summed-with-the-change", "background"])
async def test_an_option_change_draws_its_sums_once_or_waits_for_them(
    gate: Gate, monkeypatch: pytest.MonkeyPatch, quick: bool,
) -> None:
    """Dilation 2 on 130²⊛9² (1M multiply-adds): its thread sums the new problem before it
    is shown, so no output cell ever says ``…``; above the bound the sums load in the
    background as at start. Either way the cells end as the oracle's."""
    if not quick:
        monkeypatch.setattr(operations, "SUMS_WITH_THE_CHANGE", 0)
    x, w = big_problem()
    app = big_app(x, w)
    drawn: list[str] = []
    real_line = GridView.render_line

    def render_line(self, y):
        strip = real_line(self, y)
        if self.id == "output-grid-0":
            drawn.append(strip.text)
        return strip

    monkeypatch.setattr(GridView, "render_line", render_line)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, gate.started.is_set)
        gate.opened.set()
        await until(pilot, lambda: app.screen.steps.sums_ready)
        await pilot.press("end")
        await pilot.pause()
        gate.started.clear()
        drawn.clear()
        await pilot.press("d")
        await until(pilot, lambda: app.screen.steps.spec.dilation == (2, 2))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert gate.started.is_set() is not quick
        assert any("…" in line for line in drawn) is not quick
        want = conv2d(x, w, dilation=2)[0]
        shown = output_tokens(app.screen.query_one("#output-grid-0", GridView))
        assert shown
        for r, row in enumerate(shown):
            assert row == [str(v) for v in want[r, : len(row)]], r
