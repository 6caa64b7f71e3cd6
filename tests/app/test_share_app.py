"""y copies a command that reopens the identical screen; ctrl+e and --screenshot save it as SVG.

The round trip: drive an app with real keys, press y, build a second app from
the copied command exactly as the CLI does, and compare both screens as text.
"""

from __future__ import annotations

import html
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from textual.command import CommandList

from eigenvue_tui import cli
from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.widgets.code import WatchList

REPO = Path(__file__).resolve().parents[2]
SIZE = (120, 40)


def screen_text(app: ConvolutionApp) -> str:
    """What the terminal shows, as plain text (Textual's own screenshot, without styles)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system="truecolor", legacy_windows=False,
                      safe_box=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def app_from(argv: list[str]) -> ConvolutionApp:
    """The app ``eigenvue-tui ARGV`` opens (cli.main's construction, without a terminal)."""
    args = cli.build_parser().parse_args(argv)
    preset = cli.choose_preset(args)
    return ConvolutionApp(preset, start_step=args.step or 0, look=args.look or "numbers",
                          zoom=args.zoom or 0)


async def settle(app: ConvolutionApp, pilot) -> None:
    """Background work done, notifications gone, and the watch list's "changed since the
    last step" stars dropped: they tell how you got here, which no command can repeat."""
    await app.workers.wait_for_complete()
    app.clear_notifications()
    app.explorer.query_one(WatchList)._previous = {}
    app.explorer._render_step(app.explorer.step)
    await pilot.pause()
    await pilot.pause()


async def copied(argv: list[str], keys: list[str]) -> tuple[list[str], str]:
    """Open ``argv``, press ``keys`` then y: the copied command and the screen before y."""
    app = app_from(argv)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await app.workers.wait_for_complete()
        await settle(app, pilot)
        before = screen_text(app)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        command = app.clipboard
        shown = [n.message for n in app._notifications]
    assert command and command in shown  # the notification shows it in full
    return shlex.split(command), before


async def reopened(words: list[str]) -> str:
    assert words[0] == "eigenvue-tui"
    app = app_from(words[1:])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        return screen_text(app)


@pytest.mark.parametrize("argv, keys", [
    (["edge-detection"], ["right"] * 5),
    (["default"], ["s", "z", "z", "down", "down", "right", "v"]),  # stride 2, padding full
    (["bias-relu"], ["r", "f", "end", "left", "v", "v"]),
    (["default"], ["greater_than_sign", "down", "right"]),  # shifted input: grids inline
    (["--input", "[[1,2,3],[4,5,6],[7,8,9]]", "--kernel", "[[1,0],[0,-1]]"],
     ["d", "right", "right"]),
    ([str(REPO / "presets" / "camera.png"), "--size", "10"], ["v", "right_square_bracket",
                                                              "down"]),
    (["rgb-channels"], ["down", "right", "right", "right", "right", "right"]),
])
async def test_y_copies_a_command_that_reopens_the_same_screen(argv, keys):
    words, before = await copied(argv, keys)
    after = await reopened(words)
    assert "Step " in before
    assert after == before, shlex.join(words)


async def test_y_says_the_step_view_and_changed_option():
    words, _ = await copied(["edge-detection"], ["z", "right", "right", "v"])
    assert words == ["eigenvue-tui", "edge-detection", "--padding", "same", "--step", "2",
                     "--look", "heat"]


async def test_ctrl_e_writes_the_screen_as_svg_named_after_preset_and_step(tmp_path,
                                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_from(["edge-detection", "--step", "12"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        shown = screen_text(app)
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        messages = [n.message for n in app._notifications]
    path = tmp_path / "edge-detection-step-12.svg"
    assert str(path) in messages
    assert svg_lines(path.read_text()) == [line.rstrip() for line in shown.splitlines()]


async def test_the_palette_offers_the_export(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_from(["default", "--step", "3"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"export svg")
        for _ in range(50):  # the palette searches in the background
            await pilot.pause(0.1)
            commands = app.screen.query_one(CommandList)
            if commands.option_count and "Export" in str(commands.get_option_at_index(0).prompt):
                break
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (tmp_path / "default-step-3.svg").read_text().startswith("<svg")


def svg_lines(svg: str) -> list[str]:
    """The text rows of a Textual SVG screenshot: each span put at its column (x divided
    by the cell width its textLength gives; blank runs have no span)."""
    spans = re.findall(r'<text class="[^"]*-r\d+" x="([\d.]+)" y="([\d.]+)" '
                       r'textLength="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    rows: dict[float, dict[int, str]] = {}
    cell = min(float(length) / len(html.unescape(text)) for _, _, length, text in spans)
    for x, y, _, text in spans:
        row = rows.setdefault(float(y), {})
        for offset, char in enumerate(html.unescape(text).replace("\xa0", " ")):
            row[round(float(x) / cell) + offset] = char
    return ["".join(row.get(c, " ") for c in range(max(row) + 1)).rstrip()
            for _, row in sorted(rows.items())]


def test_screenshot_flag_renders_headless_without_a_terminal(tmp_path):
    path = tmp_path / "slide.svg"
    result = subprocess.run(
        [sys.executable, "-m", "eigenvue_tui", "edge-detection", "--step", "37", "--look",
         "heat", "--screenshot", str(path), "--terminal-size", "100x30"],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and str(path) in result.stderr
    lines = svg_lines(path.read_text())
    assert len(lines) == 30 and all(len(line) <= 100 for line in lines)
    status = next(line for line in lines if "Step 37 / " in line)
    assert "│ heat │ Edge detection" in status


async def test_screenshot_equals_the_app_at_that_size(tmp_path):
    path = tmp_path / "same.svg"
    subprocess.run([sys.executable, "-m", "eigenvue_tui", "default", "--step", "9",
                    "--screenshot", str(path)], check=True, timeout=120,
                   stdin=subprocess.DEVNULL, capture_output=True)  # 120x40 by default
    app = app_from(["default", "--step", "9"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        shown = [line.rstrip() for line in screen_text(app).splitlines()]
    assert svg_lines(path.read_text()) == shown
