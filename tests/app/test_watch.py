"""--watch: a preset file edited on disk reloads; a broken save is told and the problem kept."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

from eigenvue_tui import cli
from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.engine import Phase

SIZE = (120, 40)


def app_watching(path: Path, *flags: str) -> ConvolutionApp:
    """The app ``eigenvue-tui PATH --watch FLAGS`` opens (as cli.main builds it)."""
    args = cli.build_parser().parse_args([str(path), "--watch", *flags])
    preset = cli.choose_preset(args)
    options = cli.app_options(args, preset, lambda: cli.choose_preset(args))
    return ConvolutionApp(preset, start_step=args.step or 0, **options)


def save(path: Path, text: str) -> None:
    """As an editor does: write a new file and rename it over the old one."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


async def until(condition, pilot, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)
        await pilot.pause()


def cell_at(app: ConvolutionApp) -> tuple[Phase, tuple[int, int, int], int]:
    steps, step = app.explorer.steps, app.explorer.step
    phase, position, mac = steps.locate(step)
    return phase, steps.coords(position), mac


async def test_change_break_fix_keeps_the_output_cell(tmp_path):
    path = tmp_path / "lesson.json"
    first = {"title": "Lesson", "input": [[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2],
                                          [0, 1, 2, 3]], "kernel": [[1, 0], [0, -1]]}
    path.write_text(json.dumps(first))
    app = app_watching(path, "--step", "22", "--padding", "same")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.5)  # the watcher is up
        where = cell_at(app)
        assert where[0] is Phase.MAC and where[1] == (0, 0, 3)

        # 1. A change: the new kernel on screen, the same output cell and multiply-add.
        save(path, json.dumps({**first, "kernel": [[2, 0], [0, -2]]}))
        await until(lambda: app.explorer.steps.spec.kernel[0, 0, 0, 0] == 2, pilot)
        assert cell_at(app) == where
        assert app.explorer.steps.spec.padding_label == "same"  # the flags still apply
        assert "Lesson" in str(app.explorer.query_one("#status").render())

        # 2. A broken save: told, and the last good problem stays.
        shown = app.explorer.steps
        save(path, '{"title": "Lesson", "input": [[1, 2], ')
        await until(lambda: any(n.title == "Not reloaded" for n in app._notifications), pilot)
        message = next(n.message for n in app._notifications if n.title == "Not reloaded")
        assert str(path) in message and "invalid JSON" in message
        assert app.explorer.steps is shown and cell_at(app) == where

        # 3. Fixed, and bigger: still the same output cell.
        bigger = {**first, "input": [[1, 2, 3, 0, 5], [4, 5, 6, 1, 5], [7, 8, 9, 2, 5],
                                     [0, 1, 2, 3, 5], [1, 1, 1, 1, 1]]}
        save(path, json.dumps(bigger))
        await until(lambda: app.explorer.steps.spec.width == 5, pilot)
        assert cell_at(app) == where
        text = str(app.explorer.query_one("#status").render())
        assert f"Step {app.explorer.step} / {app.explorer.steps.last}" in text


async def test_a_picture_is_watched_too(tmp_path):
    from PIL import Image

    path = tmp_path / "photo.png"
    Image.new("L", (8, 6), 40).save(path)
    app = app_watching(path, "--size", "8", "--step", "5")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.5)
        before = cell_at(app)
        Image.new("L", (8, 6), 200).save(path.with_name("new.png"))
        os.replace(path.with_name("new.png"), path)
        await until(lambda: int(app.explorer.steps.spec.input[0, 0, 0]) == 200, pilot)
        assert cell_at(app) == before


async def test_a_change_on_disk_asks_before_replacing_unsaved_edits(tmp_path):
    """Edits not saved are not replaced unasked: a change of the watched file asks first
    (as loading a preset does). No keeps the edits; yes reloads and starts afresh."""
    from eigenvue_tui.screens.confirm import ConfirmScreen

    path = tmp_path / "w.json"
    first = {"input": [[1, 2, 3], [4, 5, 6], [7, 8, 8]], "kernel": [[2]]}
    path.write_text(json.dumps(first))
    app = app_watching(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.5)  # the watcher is up
        await pilot.press("e", "4", "2", "enter", "escape")
        await until(lambda: app.explorer.steps.spec.input[0, 0, 0] == 42, pilot)
        assert app.explorer.unsaved

        save(path, json.dumps({**first, "kernel": [[3]]}))
        await until(lambda: isinstance(app.screen, ConfirmScreen), pilot)
        await pilot.press("n")
        await until(lambda: not isinstance(app.screen, ConfirmScreen), pilot)
        await pilot.pause(0.3)
        spec = app.explorer.steps.spec
        assert spec.input[0, 0, 0] == 42 and spec.kernel[0, 0, 0, 0] == 2
        assert app.explorer.unsaved and "(edited)" in str(
            app.explorer.query_one("#status").render())

        save(path, json.dumps({**first, "kernel": [[4]]}))
        await until(lambda: isinstance(app.screen, ConfirmScreen), pilot)
        await pilot.press("y")
        await until(lambda: app.explorer.steps.spec.kernel[0, 0, 0, 0] == 4, pilot)
        assert app.explorer.steps.spec.input[0, 0, 0] == 1 and not app.explorer.unsaved
        assert "(edited)" not in str(app.explorer.query_one("#status").render())
