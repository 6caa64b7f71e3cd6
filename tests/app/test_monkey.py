"""Random keys and random terminal sizes (down to 1×1) on several presets (issue 12).

Seeded, so a failure names the seed and the keys that led to it. The keys are every
binding of the app, the explorer and each dialog (read from their BINDINGS, so a new
key is covered without editing this file), plus printable keys, escape, enter and tab.
After each batch: the app is still running with no exception, and when the explorer
is on top its status bar shows the explorer's step.

``EIGENVUE_MONKEY=long`` (or a number of keys per preset) runs a longer pass.
"""

from __future__ import annotations

import os
import random
import string

import pytest
from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import Static

from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import resolve
from eigenvue_tui.screens.confirm import ConfirmScreen
from eigenvue_tui.screens.explorer import ExplorerScreen
from eigenvue_tui.screens.goto import GotoScreen
from eigenvue_tui.screens.help import HelpScreen
from eigenvue_tui.screens.kernel_picker import KernelPicker
from eigenvue_tui.screens.learn import LearnScreen
from eigenvue_tui.screens.picker import PresetPicker
from eigenvue_tui.screens.save_dialog import SaveScreen
from eigenvue_tui.screens.too_small import TooSmallScreen

PRESETS = ["default", "handwritten-digit", "rgb-channels", "two-filters", "same-padding",
           "large-scroll"]
SCREENS = [ConvolutionApp, ExplorerScreen, GotoScreen, HelpScreen, LearnScreen,
           PresetPicker, TooSmallScreen, CommandPalette, KernelPicker, SaveScreen,
           ConfirmScreen]
LEAVING = ("quit", "suspend")  # ending the app is tested elsewhere
BATCH = 15


def _setting() -> int:
    value = os.environ.get("EIGENVUE_MONKEY", "")
    if value == "long":
        return 5000
    return int(value) if value.isdigit() else 60


def monkey_keys() -> list[str]:
    keys: set[str] = {"escape", "enter", "tab", "shift+tab", "backspace"}
    for screen in SCREENS:
        for key, bindings in screen._merge_bindings().key_to_bindings.items():
            binding: Binding = bindings[0]
            if not any(word in binding.action for word in LEAVING):
                keys.add(key)
    keys.update(c for c in string.ascii_lowercase + string.digits + "+-=?<>.,")
    keys.discard("q")  # quits from the explorer
    return sorted(keys)


def a_size(rng: random.Random) -> tuple[int, int]:
    if rng.random() < 0.3:
        return rng.randint(1, 40), rng.randint(1, 14)
    return rng.randint(30, 200), rng.randint(10, 60)


def test_the_key_pool_has_every_binding() -> None:
    keys = monkey_keys()
    for expected in ("right", "left", "space", "s", "z", "d", "f", "r", "p", "g", "i",
                     "question_mark", "ctrl+p", "pageup", "pagedown", "escape"):
        assert expected in keys


@pytest.mark.parametrize("preset", PRESETS)
async def test_random_keys_and_sizes(preset: str, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # ctrl+e saves an SVG in the current folder
    seed = PRESETS.index(preset) + 1200
    rng = random.Random(seed)
    pool = monkey_keys()
    app = ConvolutionApp(resolve(preset))
    history: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for _batch in range(_setting() // BATCH):
            size = a_size(rng)
            history.append(f"resize{size}")
            await pilot.resize_terminal(*size)
            keys = [rng.choice(pool) for _ in range(BATCH)]
            history.extend(keys)
            await pilot.press(*keys)
            await pilot.pause()
            where = f"seed {seed}, {preset}, after {history[-60:]}"
            assert app.is_running and app._exception is None, where
            screen = app.screen
            if isinstance(screen, ExplorerScreen):
                status = str(screen.query_one("#status", Static).render())
                assert f"Step {screen.step} /" in status, where
    assert app._exception is None
