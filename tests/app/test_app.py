"""Pilot tests: every key of the explorer, checked against independent references.

Step indices are computed here from the grid shapes (``2 + outH·outW·(kH·kW + 2)``
steps, a block of ``kH·kW + 2`` per output cell); output values come from scipy
and from ``oracle.py``, never from the app's own engine.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from rich.console import Console
from scipy.signal import correlate2d
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

import oracle
from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import catalogue, resolve
from eigenvue_tui.screens.explorer import ExplorerScreen
from eigenvue_tui.screens.goto import GotoScreen
from eigenvue_tui.screens.help import HelpScreen
from eigenvue_tui.screens.picker import PresetPicker
from eigenvue_tui.widgets.code import CodeView
from eigenvue_tui.widgets.grid import GridView

SIZE = (120, 40)
REPO_PRESETS = Path(__file__).resolve().parents[2] / "presets"

# The seed's default problem (../shared/seed/convolution-2d.txt), copied by hand.
INPUT = np.array([[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2], [0, 1, 2, 3]])
KERNEL = np.array([[1, 0], [0, -1]])
KH, KW = KERNEL.shape
OUT_H, OUT_W = INPUT.shape[0] - KH + 1, INPUT.shape[1] - KW + 1
BLOCK = KH * KW + 2
POSITIONS = OUT_H * OUT_W
LAST = 2 + POSITIONS * BLOCK - 1
OUTPUT = correlate2d(INPUT, KERNEL, mode="valid")

# The seed's pseudocode, line for line (issue 2): what each phase runs.
SEED_LINES = {
    "init": (6, "output = zeros(outH, outW)"),
    "reset": (10, "sum = 0"),
    "mac": (13, "sum += input[row+kr][col+kc] * kernel[kr][kc]"),
    "write": (14, "output[row][col] = sum"),
    "done": (15, "return output"),
}


# -- step arithmetic, from the definition ------------------------------


def write_step(position: int, block: int = BLOCK) -> int:
    """The ``write`` step of output position ``position`` (loop order)."""
    return 1 + position * block + block - 1


def phase_of(step: int, block: int = BLOCK, last: int = LAST) -> tuple[str, int, int]:
    """(phase, position, MAC number) of a step."""
    if step == 0:
        return "init", -1, -1
    if step == last:
        return "done", -1, -1
    position, offset = divmod(step - 1, block)
    if offset == 0:
        return "reset", position, -1
    if offset == block - 1:
        return "write", position, -1
    return "mac", position, offset - 1


# -- reading the screen ---------------------------------------------------------


def explorer(app: ConvolutionApp) -> ExplorerScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, ExplorerScreen)
    return screen


def text_of(app: ConvolutionApp, selector: str) -> str:
    return str(explorer(app).query_one(selector, Static).render())


def status(app: ConvolutionApp) -> str:
    return text_of(app, "#status")


def shown_step(app: ConvolutionApp) -> tuple[int, int]:
    """(N, LAST) as the status bar shows ``Step N / LAST``."""
    match = re.match(r" Step (\d+) / (\d+) ", status(app))
    assert match, status(app)
    return int(match[1]), int(match[2])


def shown_speed(app: ConvolutionApp) -> str:
    match = re.search(r"(?:playing|paused) ([\d.]+)×", status(app))
    assert match, status(app)
    return match[1]


def assert_at(app: ConvolutionApp, step: int, last: int = LAST) -> None:
    assert explorer(app).step == step
    assert shown_step(app) == (step, last)


def grid(app: ConvolutionApp, selector: str) -> GridView:
    return explorer(app).query_one(selector, GridView)


def line_text(widget: GridView, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


def normal(cell: str) -> str:
    """``[ 5]`` → ``[5]``, `` -4 `` → ``-4``."""
    cell = cell.strip()
    if cell.startswith("[") and cell.endswith("]"):
        return f"[{cell[1:-1].strip()}]"
    return cell


def grid_cells(view: GridView) -> list[list[str]]:
    """The cells of a grid as drawn (rows and columns in view, from the top-left)."""
    view.set_zoom(-50)  # one line a cell: the numbers as plain text, not big digits
    assert view.scroll_offset.x == 0 and view.scroll_offset.y == 0
    rows, cols = view.grid_size
    width = view.geometry.cell_w
    gutter = view.geometry.gutter
    region = view.scrollable_content_region
    cols = min(cols, (region.width - gutter) // width)
    rows = min(rows, region.height - 1)
    cells = []
    for r in range(rows):
        text = line_text(view, r + 1)
        assert text[:gutter].strip() == str(r), text
        cells.append(
            [normal(text[gutter + c * width : gutter + (c + 1) * width]) for c in range(cols)]
        )
    return cells


def same_number(text: str, want: float) -> bool:
    """A drawn number is ``want``: exactly for ints, to the 4 digits shown for floats."""
    if float(want).is_integer() and re.fullmatch(r"-?\d+", text):
        return int(text) == int(want)
    return abs(float(text) - want) <= 1e-3 * max(abs(want), 1e-6)


async def settle(pilot: Pilot, app: ConvolutionApp) -> None:
    """Let a preset load (a worker and a thread) finish and the screen redraw."""
    for _ in range(50):
        if isinstance(app.screen, ExplorerScreen):
            break
        await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_picker(pilot: Pilot, app: ConvolutionApp) -> PresetPicker:
    await pilot.press("p")
    for _ in range(100):
        if isinstance(app.screen, PresetPicker):
            await pilot.pause()
            return app.screen
        await pilot.pause(0.02)
    raise AssertionError("the preset picker did not open")


async def choose(pilot: Pilot, picker: PresetPicker, name: str) -> None:
    """Move the picker's highlight to ``name`` with the arrow keys and press Enter."""
    options = picker.query_one(OptionList)
    target = options.get_option_index(name)
    start = options.highlighted or 0
    key = "down" if target >= start else "up"
    await pilot.press(*[key] * abs(target - start))
    assert options.highlighted == target
    await pilot.press("enter")


def board_state(app: ConvolutionApp) -> dict[str, object]:
    """Everything a failed load must leave alone."""
    screen = explorer(app)
    grids = {
        view.id: [line_text(view, y) for y in range(view.size.height)]
        for view in screen.query(GridView)
    }
    titles = {
        name: screen.query_one(name).border_title
        for name in ("#input-panel", "#kernel-panel", "#output-panel")
    }
    return {
        "preset": screen.preset.name,
        "step": screen.step,
        "status": status(app),
        "explanation": text_of(app, "#explanation"),
        "titles": titles,
        "grids": grids,
    }


# -- stepping keys --------------------------------------------------------------


async def test_right_and_left_move_one_step(app):
    async with app.run_test(size=SIZE) as pilot:
        assert_at(app, 0)
        await pilot.press("left")
        assert_at(app, 0)
        await pilot.press("right")
        assert_at(app, 1)
        await pilot.press("right", "right", "right")
        assert_at(app, 4)
        await pilot.press("left")
        assert_at(app, 3)
        await pilot.press("end")
        assert_at(app, LAST)
        await pilot.press("right")
        assert_at(app, LAST)
        await pilot.press("left")
        assert_at(app, LAST - 1)


async def test_down_visits_every_write_step_then_done(app):
    async with app.run_test(size=SIZE) as pilot:
        for position in range(POSITIONS):
            await pilot.press("down")
            assert_at(app, write_step(position))
            assert phase_of(explorer(app).step)[0] == "write"
        await pilot.press("down")
        assert_at(app, LAST)
        await pilot.press("down")
        assert_at(app, LAST)
        await pilot.press("up")
        assert_at(app, write_step(POSITIONS - 1))


async def test_up_and_down_from_inside_a_cell(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")
        assert_at(app, write_step(0))
        await pilot.press("up")
        assert_at(app, 0)
        await pilot.press("up")
        assert_at(app, 0)
        # A multiply-add of position 4: ↓ finishes this cell, ↑ goes back to the previous one.
        inside = 1 + 4 * BLOCK + 2
        explorer(app).step = inside
        await pilot.pause()
        await pilot.press("down")
        assert_at(app, write_step(4))
        explorer(app).step = inside
        await pilot.pause()
        await pilot.press("up")
        assert_at(app, write_step(3))


async def test_page_keys_move_one_output_row_home_end_go_to_the_ends(app):
    """PageDown/PageUp: the same phase one output row down/up; from init the start of
    row 1, from done the start of the last row; past either end, done / init."""
    row = OUT_W * BLOCK

    def reset_of(position: int) -> int:
        return 1 + position * BLOCK

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("pagedown")
        assert_at(app, reset_of(OUT_W))
        await pilot.press("pagedown")
        assert_at(app, reset_of(2 * OUT_W))
        await pilot.press("pageup")
        assert_at(app, reset_of(OUT_W))
        await pilot.press("right", "right", "pageup")
        assert_at(app, reset_of(0) + 2)
        await pilot.press("pagedown")
        assert_at(app, reset_of(0) + 2 + row)
        await pilot.press("pageup", "pageup")
        assert_at(app, 0)
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        assert_at(app, LAST)
        await pilot.press("pagedown")
        assert_at(app, LAST)
        await pilot.press("pageup")
        assert_at(app, reset_of(OUT_H * OUT_W - OUT_W))
        await pilot.press("home")
        assert_at(app, 0)
        await pilot.press("end")
        assert_at(app, LAST)
        assert status(app).startswith(f" Step {LAST} / {LAST} ")


# -- play ------------------------------------------------------------------------


async def test_space_plays_and_pauses(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus", "plus")  # 4×: a few steps in half a second
        await pilot.press("space")
        assert "playing" in status(app)
        for _ in range(50):  # a loaded machine ticks late: wait up to 5 s for a step
            await pilot.pause(0.1)
            if explorer(app).step > 0:
                break
        moved = explorer(app).step
        assert moved > 0
        await pilot.press("space")
        assert "paused" in status(app)
        stopped = explorer(app).step
        await pilot.pause(0.6)
        assert_at(app, stopped)
        assert stopped >= moved


async def test_play_pauses_itself_at_the_end(make_app):
    app = make_app(start_step=LAST - 3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus", "plus")  # 4×: 8 steps a second
        await pilot.press("space")
        for _ in range(50):  # three ticks at 8 a second; a loaded machine is slower
            await pilot.pause(0.1)
            if not explorer(app).playing:
                break
        assert_at(app, LAST)
        assert explorer(app).playing is False
        assert "paused" in status(app)
        # Play at the end starts over from the first step (slowly, to catch it playing).
        await pilot.press("minus", "minus", "minus")
        await pilot.press("space")
        assert explorer(app).playing
        assert explorer(app).step <= 1
        await pilot.press("space")
        assert not explorer(app).playing


async def test_plus_and_minus_change_the_speed_within_bounds(app):
    async with app.run_test(size=SIZE) as pilot:
        assert shown_speed(app) == "1"
        seen = ["1"]
        for _ in range(8):
            await pilot.press("plus")
            seen.append(shown_speed(app))
        assert seen == ["1", "2", "4", "8", "16", "32", "32", "32", "32"]
        for _ in range(10):
            await pilot.press("minus")
        assert shown_speed(app) == "0.5"
        await pilot.press("equals_sign")
        assert shown_speed(app) == "1"


# -- dialogs ---------------------------------------------------------------------


async def test_goto_jumps_to_the_typed_step(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, GotoScreen)
        await pilot.press("2", "0", "enter")
        assert isinstance(app.screen, ExplorerScreen)
        assert_at(app, 20)
        await pilot.press("g", *str(LAST), "enter")
        assert_at(app, LAST)


async def test_goto_rejects_out_of_range_and_escape_cancels(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "right")
        await pilot.press("g", *str(LAST + 1), "enter")
        assert isinstance(app.screen, GotoScreen)
        error = str(app.screen.query_one("#goto-error", Static).render())
        assert str(LAST) in error
        await pilot.press("escape")
        assert isinstance(app.screen, ExplorerScreen)
        assert_at(app, 2)
        await pilot.press("g", "1", "escape")
        assert_at(app, 2)


async def test_goto_refuses_what_is_not_a_step_number_and_keeps_every_character(app):
    """``1e2`` once jumped to step 12: the ``e`` was dropped as it was typed. Now the text
    stays as typed, Enter says it is not a step number and the dialog stays open."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "right")
        for typed in ("1e2", "2.5", "-3", "abc"):
            await pilot.press("g", *typed, "enter")
            assert isinstance(app.screen, GotoScreen), typed
            assert app.screen.query_one(Input).value == typed
            error = str(app.screen.query_one("#goto-error", Static).render())
            assert f"'{typed}' is not a step number" in error and f"0 to {LAST}" in error
            await pilot.press("escape")
            assert_at(app, 2)
        await pilot.press("g", "space", "1", "2", "space", "enter")  # spaces around: fine
        assert isinstance(app.screen, ExplorerScreen)
        assert_at(app, 12)


async def test_picker_escape_keeps_the_preset(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        before = board_state(app)
        picker = await open_picker(pilot, app)
        names = [option.id for option in picker.query_one(OptionList).options]
        assert {"default", "edge-detection", "large-scroll"} <= set(names)
        await pilot.press("down", "escape")
        await settle(pilot, app)
        assert board_state(app) == before


async def test_picker_loads_another_preset(app):
    edge = json.loads((REPO_PRESETS / "edge-detection.json").read_text(encoding="utf-8"))
    kh, kw = np.shape(edge["kernel"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "right", "right")
        assert "2×2" in explorer(app).query_one("#kernel-panel").border_title
        picker = await open_picker(pilot, app)
        await choose(pilot, picker, "edge-detection")
        await settle(pilot, app)
        screen = explorer(app)
        assert screen.preset.name == "edge-detection"
        assert "(edge-detection)" in status(app)
        assert f"{kh}×{kw}" in screen.query_one("#kernel-panel").border_title
        kernel = [[str(v) for v in row] for row in edge["kernel"]]
        assert grid_cells(grid(app, "#kernel-grid-0-0")) == kernel
        h, w = np.shape(edge["input"])
        last = 2 + (h - kh + 1) * (w - kw + 1) * (kh * kw + 2) - 1
        assert_at(app, 0, last)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"input": [[1, 2], [3]], "kernel": [[1]]}',
        '{"input": [[1, 2], [3, 4]], "kernel": [[1, 2, 3]]}',
        '{"input": [[1, 2], [3, 4]]}',
    ],
    ids=["bad-json", "ragged", "kernel-too-wide", "no-kernel"],
)
async def test_a_broken_preset_notifies_and_keeps_the_state(make_app, tmp_path, content):
    (tmp_path / "broken.json").write_text(content, encoding="utf-8")
    app = make_app(preset_dirs=(tmp_path,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "right")
        before = board_state(app)
        picker = await open_picker(pilot, app)
        listed = picker.query_one(OptionList).get_option("broken")
        assert "cannot load" in str(listed.prompt)
        await choose(pilot, picker, "broken")
        await settle(pilot, app)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1
        assert "broken.json" in errors[0].message
        assert board_state(app) == before



@pytest.mark.parametrize("name", ["transposed", "maxpool", "grad-weight", "im2col"])
async def test_an_operation_preset_opens_on_the_operation_screen(make_app, name):
    """Issue 10's operations: p loads them onto the screen that draws them, no error."""
    from eigenvue_tui.screens.operation import OperationScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "right")
        picker = await open_picker(pilot, app)
        await choose(pilot, picker, name)
        for _ in range(100):
            if isinstance(app.screen, OperationScreen) and app.screen.view_model is not None:
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, OperationScreen)
        assert not [n for n in app._notifications if n.severity == "error"]
        assert app.screen.preset.name == name


MARKUP_TITLE = "Box [blur] [/b] filter"


async def test_a_title_with_brackets_loads_from_the_picker(make_app, tmp_path):
    preset = {"title": MARKUP_TITLE, "input": [[1, 2], [3, 4]], "kernel": [[1]]}
    (tmp_path / "odd.json").write_text(json.dumps(preset), encoding="utf-8")
    app = make_app(preset_dirs=(tmp_path,))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        picker = await open_picker(pilot, app)
        await choose(pilot, picker, "odd")
        await settle(pilot, app)
        await pilot.pause(0.1)
        assert explorer(app).preset.name == "odd"
        assert MARKUP_TITLE in status(app)


async def test_a_title_with_brackets_in_the_command_palette(make_app, tmp_path):
    preset = {"title": MARKUP_TITLE, "input": [[1, 2], [3, 4]], "kernel": [[1]]}
    (tmp_path / "odd.json").write_text(json.dumps(preset), encoding="utf-8")
    app = make_app(preset_dirs=(tmp_path,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"odd")
        for _ in range(50):  # the palette searches in the background
            await pilot.pause(0.1)
            commands = app.screen.query_one(CommandList)
            prompts = [str(option.prompt) for option in commands.options]
            if any(MARKUP_TITLE in prompt for prompt in prompts):
                break
        assert any(MARKUP_TITLE in prompt for prompt in prompts)


async def test_command_palette_loads_a_preset(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"edge")
        commands = app.screen.query_one(CommandList)
        for _ in range(50):
            if commands.option_count and commands.highlighted is not None:
                break
            await pilot.pause(0.02)
        await pilot.press("enter")
        await settle(pilot, app)
        assert explorer(app).preset.name == "edge-detection"
        assert "(edge-detection)" in status(app)
        assert_at(app, 0, 2 + 3 * 3 * (3 * 3 + 2) - 1)


async def test_help_lists_every_binding(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, file=io.StringIO(), record=True)
        for static in app.screen.query(Static):
            console.print(static.content)
        shown = console.export_text()
        for binding in [*ExplorerScreen.BINDINGS, *ConvolutionApp.BINDINGS]:
            assert (binding.tooltip or binding.description) in shown, binding
        keys = {line.split()[0].lower() for line in shown.splitlines() if line.strip()}
        assert {"→", "←", "↓", "↑", "pgdn", "pgup", "home", "end", "space", "?", "q"} <= keys


@pytest.mark.parametrize("key", ["escape", "question_mark"])
async def test_help_closes(app, key):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        assert isinstance(app.screen, ExplorerScreen)
        assert_at(app, 1)


async def test_q_quits(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


# -- what the grids, code and explanation show ---------------------------------


async def test_output_at_the_end_matches_scipy(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end")
        assert grid_cells(grid(app, "#output-grid-0")) == [[str(v) for v in r] for r in OUTPUT]
        assert grid_cells(grid(app, "#input-grid-0")) == [[str(v) for v in r] for r in INPUT]
        assert grid_cells(grid(app, "#kernel-grid-0-0")) == [[str(v) for v in r] for r in KERNEL]


async def test_pending_cells_are_empty_and_written_cells_show_values(app):
    async with app.run_test(size=SIZE) as pilot:
        assert grid_cells(grid(app, "#output-grid-0")) == [["·"] * OUT_W] * OUT_H
        screen = explorer(app)
        for step in (write_step(3), write_step(3) + 3, write_step(POSITIONS - 1) - 1):
            screen.step = step
            await pilot.pause()
            phase, position, mac = phase_of(step)
            filled = position + (phase == "write")
            current = divmod(position, OUT_W)
            cells = grid_cells(grid(app, "#output-grid-0"))
            for p in range(POSITIONS):
                r, c = divmod(p, OUT_W)
                if p < filled:
                    assert normal(cells[r][c].strip("[]")) == str(OUTPUT[r, c]), (step, r, c)
                elif (r, c) == current:
                    # The running sum so far, in brackets: not yet the value.
                    kr, kc = np.unravel_index(np.arange(mac + 1), (KH, KW))
                    running = int((INPUT[r + kr, c + kc] * KERNEL[kr, kc]).sum())
                    assert cells[r][c] == f"[Σ{running}]", (step, r, c)
                else:
                    assert cells[r][c] == "·", (step, r, c)


async def test_current_input_and_kernel_cells_are_bracketed(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = explorer(app)
        for step in range(write_step(4) - BLOCK + 2, write_step(4)):
            screen.step = step
            await pilot.pause()
            phase, position, mac = phase_of(step)
            assert phase == "mac"
            row, col = divmod(position, OUT_W)
            kr, kc = divmod(mac, KW)
            inputs = grid_cells(grid(app, "#input-grid-0"))
            kernel = grid_cells(grid(app, "#kernel-grid-0-0"))
            bracketed = [
                (r, c) for r, line in enumerate(inputs) for c, t in enumerate(line) if "[" in t
            ]
            assert bracketed == [(row + kr, col + kc)]
            assert inputs[row + kr][col + kc] == f"[{INPUT[row + kr, col + kc]}]"
            assert kernel[kr][kc] == f"[{KERNEL[kr, kc]}]"
            assert sum("[" in t for line in kernel for t in line) == 1


async def test_first_mac_shows_brackets_after_two_presses(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "right")
        assert grid_cells(grid(app, "#input-grid-0"))[0][0] == f"[{INPUT[0, 0]}]"


async def test_pseudocode_highlights_the_line_of_each_phase(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = explorer(app)
        code = screen.query_one("#code", CodeView)
        for step in (0, 1, 2, 3, write_step(0), write_step(0) + 1, LAST - 1, LAST):
            screen.step = step
            await pilot.pause()
            number, source = SEED_LINES[phase_of(step)[0]]
            assert code._line == number
            marked = [line for line in str(code.render()).splitlines() if "▶" in line]
            assert len(marked) == 1
            assert re.match(rf"▶\s*{number}\s+{re.escape(source)}$", marked[0].strip())


async def test_explanation_of_a_multiply_add(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["right"] * 5)
        assert_at(app, 5)
        for step in (5, 2, 1 + 7 * BLOCK + 3):
            explorer(app).step = step
            await pilot.pause()
            _, position, mac = phase_of(step)
            row, col = divmod(position, OUT_W)
            kr, kc = divmod(mac, KW)
            x, w = INPUT[row + kr, col + kc], KERNEL[kr, kc]
            done = np.unravel_index(np.arange(mac + 1), (KH, KW))
            running = (INPUT[row + done[0], col + done[1]] * KERNEL[done]).sum()
            want = (
                f"input[{row + kr}][{col + kc}] × kernel[{kr}][{kc}]"
                f" = {x} × {w} = {x * w}, sum = {running}"
            )
            assert text_of(app, "#explanation") == want
        explorer(app).step = 5
        await pilot.pause()
        assert text_of(app, "#explanation") == "input[1][1] × kernel[1][1] = 5 × -1 = -5, sum = -4"


# -- layout ----------------------------------------------------------------------


async def test_resizing_stacks_the_panels_when_they_do_not_fit(app):
    """Side by side while the three grids fit across; output below input once they don't."""
    panels = ("#input-panel", "#kernel-panel", "#output-panel")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "right", "right")
        screen = explorer(app)
        board = screen.query_one("#board")
        await pilot.resize_terminal(70, 30)  # narrow, but a 4×4 problem still fits across
        await pilot.pause()
        assert screen.has_class("-narrow") and not board.stacked
        regions = [screen.query_one(p).region for p in panels]
        assert len({r.y for r in regions}) == 1
        await pilot.resize_terminal(48, 30)
        await pilot.pause()
        assert board.stacked
        regions = [screen.query_one(p).region for p in panels]
        # The output goes below the input (the kernel sits beside the input).
        assert regions[2].x == regions[0].x
        assert regions[2].y >= regions[0].bottom
        for i, region in enumerate(regions):
            assert board.region.contains_region(region) and region.area > 0
            for other in regions[i + 1 :]:
                assert not region.overlaps(other)
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert screen.has_class("-wide") and not board.stacked
        regions = [screen.query_one(p).region for p in panels]
        assert len({r.y for r in regions}) == 1
        assert regions[0].x < regions[1].x < regions[2].x
        assert_at(app, 3)
        assert grid_cells(grid(app, "#input-grid-0"))[0][1] == f"[{INPUT[0, 1]}]"


async def test_a_large_problem_stacks_even_on_a_wide_terminal():
    app = ConvolutionApp(resolve("large-scroll"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert explorer(app).query_one("#board").stacked


async def test_the_current_code_line_stays_in_view_after_a_resize(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "right", "right")  # a multiply-add: line 13
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        await pilot.press("right")  # still line 13
        panel = explorer(app).query_one("#code-panel")
        line = SEED_LINES["mac"][0]
        top = panel.scroll_offset.y
        assert top < line <= top + panel.scrollable_content_region.height


def _in_view(view: GridView, top: int, left: int, rows: int, cols: int) -> bool:
    """Cells top..top+rows-1 × left..left+cols-1 lie inside the grid's visible area."""
    region = view.scrollable_content_region
    x, y = view.scroll_offset.x, view.scroll_offset.y
    geometry = view.geometry
    width, height = region.width - geometry.gutter, region.height - geometry.header
    x0, x1 = geometry.x_span(left, left + cols - 1)
    y0, y1 = geometry.y_span(top, top + rows - 1)
    return x <= x0 and x1 <= x + width and y <= y0 and y1 <= y + height


async def test_large_grid_scrolls_to_follow_the_window(make_app):
    data = json.loads((REPO_PRESETS / "large-scroll.json").read_text(encoding="utf-8"))
    x, k = np.array(data["input"]), np.array(data["kernel"])
    assert min(x.shape) >= 48
    kh, kw = k.shape
    oh, ow = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    block = kh * kw + 2
    last = 2 + oh * ow * block - 1
    app = make_app("large-scroll")
    async with app.run_test(size=SIZE) as pilot:
        view = grid(app, "#input-grid-0")
        assert view.scroll_offset.x == view.scroll_offset.y == 0
        await pilot.press("end", "up")
        assert_at(app, write_step(oh * ow - 1, block), last)
        assert view.scroll_offset.x > 0 and view.scroll_offset.y > 0
        assert _in_view(view, oh - 1, ow - 1, kh, kw)
        await pilot.press("left")  # the last multiply-add: bottom-right input cell
        row = x.shape[0] - 1
        line = line_text(view, row - view.scroll_offset.y + 1)
        assert line.split()[0] == str(row)
        assert f"[{x[row, -1]}]" in line.replace(" ", "")
        out = grid(app, "#output-grid-0")
        assert _in_view(out, oh - 1, ow - 1, 1, 1)
        # Back to the top: the view follows the window back.
        await pilot.press("home", "down")
        assert view.scroll_offset.x == view.scroll_offset.y == 0
        # A window in the middle, reached by the step number: scrolled in both directions.
        explorer(app).step = write_step(30 * ow + 25, block) - 1
        await pilot.pause()
        assert view.scroll_offset.x > 0 and view.scroll_offset.y > 0
        assert _in_view(view, 30, 25, kh, kw)
        await pilot.press("pageup")
        assert _in_view(view, 29, 25, kh, kw)


# -- every preset ----------------------------------------------------------------

OPTION_FREE_KEYS = {"title", "description", "input", "kernel", "channel_names"}
# The shipped pictures: the (width, height) Pillow is asked for at the default --size 32.
PICTURES = {"camera": (32, 32), "facade": (32, 24)}


def preset_data(name: str) -> dict:
    """A preset's grids read without the package: JSON, or Pillow's numbers and the edge kernel."""
    if name not in PICTURES:
        return json.loads((REPO_PRESETS / f"{name}.json").read_text(encoding="utf-8"))
    with Image.open(REPO_PRESETS / f"{name}.png") as image:
        grey = image.convert("L").resize(PICTURES[name], Image.Resampling.BOX)
    edge = [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]
    return {"input": np.asarray(grey).astype(int).tolist(), "kernel": edge}


@pytest.mark.parametrize(
    "name", [e.name for e in catalogue() if e.op == "conv" and e.view == "grid"]
)
async def test_every_preset_runs_to_the_end(name):
    """Every conv preset on the explorer (the other operations: test_operations_app.py)."""
    data = preset_data(name)
    options = {key: value for key, value in data.items() if key not in OPTION_FREE_KEYS}
    problem = oracle.Problem(data["input"], data["kernel"], **options)
    want = oracle.conv2d(data["input"], data["kernel"], **options)
    last = problem.n_steps - 1
    block = problem.C * problem.kH * problem.kW + 2
    app = ConvolutionApp(resolve(name))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end")
        assert_at(app, last, last)
        for f in range(problem.F):
            cells = grid_cells(grid(app, f"#output-grid-{f}"))
            assert cells, f
            for r, line in enumerate(cells):
                for c, text in enumerate(line):
                    assert same_number(text, want[f, r, c]), (f, r, c, text, want[f, r, c])
        await pilot.press("home")
        assert_at(app, 0, last)
        await pilot.press("right", "right", "right")
        assert_at(app, 3, last)
        await pilot.press("down")
        expected = write_step(0, block) if write_step(0, block) > 3 else write_step(1, block)
        assert_at(app, min(expected, last), last)
        await pilot.press("end", "up", "pageup", "left")
        assert 0 < explorer(app).step < last


EDGE = json.loads((REPO_PRESETS / "edge-detection.json").read_text(encoding="utf-8"))
OPTION_BINDINGS = [b for b in ExplorerScreen.BINDINGS if b.action.startswith("cycle(")]


@pytest.mark.parametrize("binding", OPTION_BINDINGS, ids=lambda b: b.action)
async def test_option_keys_give_what_the_oracle_computes(make_app, binding):
    """Whatever an option key switches to, the steps and the output follow the oracle."""
    key = binding.key.split(",")[0]
    app = make_app("edge-detection")
    async with app.run_test(size=SIZE) as pilot:
        options = explorer(app).steps.spec.options()
        for _ in range(2):
            await pilot.press(key)
            await settle(pilot, app)
            before, options = options, explorer(app).steps.spec.options()
            assert options != before
            problem = oracle.Problem(EDGE["input"], EDGE["kernel"], **options)
            want = oracle.conv2d(EDGE["input"], EDGE["kernel"], **options)
            await pilot.press("end")
            assert_at(app, problem.n_steps - 1, problem.n_steps - 1)
            cells = grid_cells(grid(app, "#output-grid-0"))
            for r, line in enumerate(cells):
                for c, text in enumerate(line):
                    assert same_number(text, want[0, r, c]), (options, r, c, text)


# -- no colour -------------------------------------------------------------------


def _looks(style) -> tuple[bool, bool, bool, bool]:
    return (bool(style.bold), bool(style.reverse), bool(style.underline), bool(style.italic))


async def test_no_color_keeps_highlights_distinguishable(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await pilot.press("right", "right", "right")  # input[0][1] × kernel[0][1]
        view = grid(app, "#input-grid-0")
        view.set_zoom(-50)
        segments = [s for s in view.render_line(1) if s.text.strip()][1:]  # skip the label
        texts = [normal(s.text) for s in segments]
        assert texts[:4] == ["1", f"[{INPUT[0, 1]}]", "3", "0"]
        plain, current, outside = segments[0], segments[1], segments[3]
        # Without colour, the current cell, the window and the rest still differ.
        assert _looks(current.style) != _looks(outside.style)
        assert _looks(plain.style) != _looks(outside.style)  # in the window, not current
        out = grid_cells(grid(app, "#output-grid-0"))
        assert out[0][0].startswith("[")
