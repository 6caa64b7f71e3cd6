"""Every character of text on screen reaches WCAG's 4.5:1 against its background, in each
built-in theme the issue names, in every view and in the dialogs."""

from __future__ import annotations

import pytest
from contrast import low_contrast
from textual.color import Color

from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import resolve
from eigenvue_tui.widgets.grid import VIEWS

THEMES = ["textual-dark", "textual-light", "nord", "gruvbox", "solarized-light",
          "catppuccin-latte"]


def _screen_problems(app: ConvolutionApp, box: str | None = None) -> list[tuple[int, str, float]]:
    """Low-contrast text on the screen, or only inside a dialog's ``box`` (the screen
    under a dialog is dimmed on purpose)."""
    variables = app.theme_variables
    background = Color.parse(variables["background"]).rgb
    foreground = Color.parse(variables["foreground"]).rgb
    strips = app.screen._compositor.render_strips()
    if box is not None:
        region = app.screen.query_one(box).region
        strips = [
            strip.crop(region.x, region.right)
            for strip in strips[region.y : region.bottom]
        ]
    return low_contrast(strips, background, foreground)


@pytest.mark.parametrize("theme", THEMES)
async def test_every_text_is_readable_in_every_view(theme):
    for preset, step in (("default", 20), ("rgb-channels", 40), ("handwritten-digit", 300)):
        app = ConvolutionApp(resolve(preset), start_step=step)
        async with app.run_test(size=(120, 40)) as pilot:
            app.theme = theme
            await pilot.pause()
            for view in VIEWS:
                await pilot.pause()
                assert _screen_problems(app) == [], (theme, preset, view)
                await pilot.press("v")


@pytest.mark.parametrize("theme", THEMES)
async def test_dialogs_are_readable(theme):
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        for key, box in (("question_mark", "#help-box"), ("p", "#picker-box"),
                         ("i", "#learn-box")):
            await pilot.press(key)
            for _ in range(50):  # the dialog opens from a worker (the picker reads files)
                await pilot.pause(0.05)
                if app.screen.query(box):
                    break
            await pilot.pause()
            assert _screen_problems(app, box) == [], (theme, key)
            await pilot.press("escape")
            await pilot.pause()
