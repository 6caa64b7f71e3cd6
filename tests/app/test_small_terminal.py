"""Terminals below the minimum size (issue 12, items 2 and 3): a notice instead of the
screens, nothing laid out at a size it cannot take, and everything as it was after.

Textual 8.2.8 crashes the preset picker's OptionList at 12 columns or less
(``chop_cells`` with width 0) and the command palette's at 4 rows or less
(PageUp/PageDown: ``KeyError`` in ``OptionList._move_page``).
"""

from __future__ import annotations

import pytest
from textual.command import CommandInput, CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.screens.explorer import ExplorerScreen
from eigenvue_tui.screens.picker import PresetPicker
from eigenvue_tui.screens.too_small import MIN_SIZE, TooSmallScreen

SIZE = (120, 40)


def assert_alive(app: ConvolutionApp) -> None:
    assert app.is_running and app._exception is None and app.return_code is None


def notice(app: ConvolutionApp) -> str:
    assert isinstance(app.screen, TooSmallScreen)
    return str(app.screen.query_one("#too-small", Static).render())


async def open_picker(pilot: Pilot[None]) -> PresetPicker:
    await pilot.press("p")
    for _ in range(50):
        if isinstance(pilot.app.screen, PresetPicker):
            break
        await pilot.pause(0.05)
    assert isinstance(pilot.app.screen, PresetPicker)
    return pilot.app.screen


async def test_the_picker_survives_every_narrow_width_and_comes_back_as_it_was(
    app: ConvolutionApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(pilot)
        await pilot.press("down", "down")
        highlighted = picker.query_one(OptionList).highlighted
        for width in range(1, MIN_SIZE.width + 3):
            await pilot.resize_terminal(width, 20)
            assert_alive(app)
            if width < MIN_SIZE.width:
                assert f"({width}×20)" in notice(app)
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert app.screen is picker
        assert picker.query_one(OptionList).highlighted == highlighted
        assert picker.query_one(OptionList).region.width > 0


async def test_p_in_a_narrow_terminal_opens_nothing_until_it_grows(
    app: ConvolutionApp,
) -> None:
    async with app.run_test(size=(12, 30)) as pilot:
        await pilot.press("p", "right", "space")
        await pilot.pause(0.2)
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        explorer = app.screen
        assert isinstance(explorer, ExplorerScreen)
        assert (explorer.step, explorer.playing) == (0, False)
        await open_picker(pilot)
        assert_alive(app)


async def test_the_palette_pages_in_a_short_terminal_and_keeps_its_query(
    app: ConvolutionApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.press(*"blur")
        await pilot.pause(0.3)
        palette = app.screen
        for height in range(1, MIN_SIZE.height + 2):
            await pilot.resize_terminal(80, height)
            await pilot.press("pageup", "pagedown", "pagedown", "pageup")
            assert_alive(app)
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert app.screen is palette
        assert palette.query_one(CommandInput).value == "blur"
        await pilot.press("pagedown", "pageup")
        assert_alive(app)


async def test_ctrl_p_below_the_minimum_does_not_open_the_palette(
    app: ConvolutionApp,
) -> None:
    async with app.run_test(size=(80, 4)) as pilot:
        await pilot.press("ctrl+p", "pageup", "pagedown")
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert not any(isinstance(s, CommandPalette) for s in app.screen_stack)
        assert_alive(app)


async def test_a_tiny_terminal_shows_the_notice_and_keeps_the_step_and_play(
    app: ConvolutionApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        explorer = app.screen
        assert isinstance(explorer, ExplorerScreen)
        await pilot.press("right", "right", "right", "z")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        step, options = explorer.step, explorer.steps.spec.describe_options()
        for width, height in [(1, 1), (MIN_SIZE.width - 1, 40), (120, MIN_SIZE.height - 1)]:
            await pilot.resize_terminal(width, height)
            text = notice(app)
            assert f"({width}×{height})" in text
            assert f"{MIN_SIZE.width}×{MIN_SIZE.height}" in text
            await pilot.press("right", "space", "s")  # not for the hidden explorer
        await pilot.resize_terminal(*MIN_SIZE)
        await pilot.pause()
        assert app.screen is explorer
        assert (explorer.step, explorer.playing) == (step, False)
        assert explorer.steps.spec.describe_options() == options
        status = str(explorer.query_one("#status", Static).render())
        assert f"Step {step} /" in status


async def test_q_quits_from_the_notice(app: ConvolutionApp) -> None:
    async with app.run_test(size=(5, 2)) as pilot:
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


def shown(app: ConvolutionApp) -> tuple[str, list[tuple[str | None, bool]], list[object]]:
    """The screen's text, which of the explorer's parts are displayed, what each screen
    has focused."""
    text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
    explorer = app.screen_stack[0]
    return (text, [(child.id, child.display) for child in explorer.children],
            [screen.focused for screen in app.screen_stack])


async def steady(pilot: Pilot[None]) -> tuple[str, list[tuple[str | None, bool]], list[object]]:
    """What ``shown`` gives once two pauses in a row give the same (a panel refits a
    frame after the resize that reaches it, more under load)."""
    now = shown(pilot.app)
    for _ in range(30):
        await pilot.pause()
        before, now = now, shown(pilot.app)
        if now == before:
            break
    return now


async def test_growing_back_to_the_same_size_shows_everything_as_it_was(
    app: ConvolutionApp,
) -> None:
    """Back at the size it had (no breakpoint changes), the explorer and a dialog open
    over it are drawn as before, focus included: Textual restyled neither, so they kept
    their children hidden, and hiding them had dropped the focus."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right")
        before = await steady(pilot)
        assert "Step 2 /" in before[0]
        await pilot.resize_terminal(25, 8)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        assert await steady(pilot) == before
        picker = await open_picker(pilot)
        await pilot.press("down")
        dialog = await steady(pilot)
        await pilot.resize_terminal(25, 8)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        again = await steady(pilot)
        assert app.screen is picker
        assert again[1:] == dialog[1:]
        box = picker.query_one("#picker-box").region

        def inside(text: str) -> list[str]:
            return [line[box.x:box.right] for line in text.splitlines()[box.y:box.bottom]]

        assert inside(again[0]) == inside(dialog[0])  # the picker as it was
        await pilot.press("escape")
        assert (await steady(pilot))[1:] == before[1:]  # every part shown, the focus kept


@pytest.mark.parametrize("size", [(30, 10), (40, 12), (80, 12), (59, 24), (80, 13)])
async def test_just_above_the_minimum_the_bars_and_the_running_line_show(size) -> None:
    """Down to the minimum the status and key bars stay on screen (with ? and q), the
    pseudocode shows its running line however few rows it has, and under 60 columns it
    has the row to itself (beside the watch panel it kept 8 columns)."""
    from eigenvue_tui.presets import resolve

    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=size) as pilot:
        await pilot.press("right")
        await pilot.pause()
        lines = shown(app)[0].splitlines()
        assert len(lines) == size[1]
        assert lines[-2].startswith(" Step 1 / 55")
        assert "? Help" in lines[-1] and "q Quit" in lines[-1]
        assert any("▶" in line for line in lines)
        code = app.screen.query_one("#code-panel")
        watch = app.screen.query_one("#watch-panel")
        assert watch.display is (size[0] >= 60)
        assert code.region.width >= min(size[0], 48)
        assert app.screen.max_scroll_y == 0  # nothing pushed below the bottom
