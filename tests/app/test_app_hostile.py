"""Hostile preset files through the picker (issue 12): a notification, the state kept.

Refused files show as ``cannot load`` entries; choosing one notifies and leaves
the step and the problem as they were. Tamed files load with a clean, short title.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

import hostile
from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import MAX_TITLE_CHARS, resolve
from eigenvue_tui.screens.explorer import ExplorerScreen
from eigenvue_tui.screens.picker import PresetPicker

SIZE = (120, 40)


def explorer(app: ConvolutionApp) -> ExplorerScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, ExplorerScreen)
    return screen


async def pick(pilot: Pilot, app: ConvolutionApp, name: str) -> str:
    """Open the picker, choose ``name`` with the keys, wait for the load; its prompt."""
    await pilot.press("p")
    for _ in range(200):
        if isinstance(app.screen, PresetPicker):
            break
        await pilot.pause(0.02)
    assert isinstance(app.screen, PresetPicker), "the picker did not open"
    await pilot.pause()
    options = app.screen.query_one(OptionList)
    target = options.get_option_index(name)
    prompt = str(options.get_option_at_index(target).prompt)
    start = options.highlighted or 0
    await pilot.press(*["down" if target >= start else "up"] * abs(target - start))
    assert options.highlighted == target
    await pilot.press("enter")
    for _ in range(100):
        if isinstance(app.screen, ExplorerScreen):
            break
        await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return prompt


def status(app: ConvolutionApp) -> str:
    return str(explorer(app).query_one("#status").render())


@pytest.mark.parametrize("case", hostile.REFUSED)
async def test_a_refused_file_notifies_and_keeps_the_state(tmp_path, case):
    write, problem = hostile.REFUSED[case]
    name = write(tmp_path).stem.encode("unicode_escape").decode().replace("\\\\", "\\")
    app = ConvolutionApp(resolve("edge-detection"), preset_dirs=(tmp_path,))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("down", "right", "right")
        screen = explorer(app)
        before = (screen.step, screen.preset, status(app))
        prompt = await pick(pilot, app, name)
        assert "cannot load" in prompt and problem in prompt
        assert not hostile.CONTROL.search(prompt)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and problem in errors[0].message
        assert not hostile.CONTROL.search(errors[0].message)
        assert (screen.step, screen.preset, status(app)) == before
        assert explorer(app) is screen and app.is_running


@pytest.mark.parametrize("case", hostile.TAMED)
async def test_a_tamed_file_loads_with_a_clean_short_title(tmp_path, case):
    path = hostile.TAMED[case](tmp_path)
    app = ConvolutionApp(resolve("edge-detection"), preset_dirs=(tmp_path,))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        prompt = await pick(pilot, app, path.stem)
        assert not hostile.CONTROL.search(prompt)
        screen = explorer(app)
        assert screen.preset.name == path.stem and screen.step == 0
        assert screen.preset.spec == resolve(str(path)).spec
        assert len(screen.preset.title) <= MAX_TITLE_CHARS
        assert screen.preset.title[:40] in status(app)
        assert not hostile.CONTROL.search(status(app))
        assert not [n for n in app._notifications if n.severity == "error"]
