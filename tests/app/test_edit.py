"""Edit mode with real key presses (issue 7 §3): the cursor, setting cells, sizes,
random fills, undo/redo, clicks and refusals.

Every expected grid is the preset's numbers as written, edited here with numpy; every
expected output is scipy's ``correlate2d`` of those grids, never the app's engine.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import correlate2d
from test_teach import cell_offset
from textual.widgets import Static

from eigenvue_tui.screens.explorer import ExplorerScreen
from eigenvue_tui.widgets.grid import GridView

SIZE = (120, 40)
# The seed's default problem, copied by hand.
INPUT = np.array([[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2], [0, 1, 2, 3]])
KERNEL = np.array([[1, 0], [0, -1]])


def status(screen: ExplorerScreen) -> str:
    return str(screen.query_one("#status", Static).render())


def explanation(screen: ExplorerScreen) -> str:
    return str(screen.query_one("#explanation", Static).render())


def errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity in ("warning", "error")]


async def settle(pilot, app) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot, app, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot, app)


def grids(screen: ExplorerScreen) -> tuple[np.ndarray, np.ndarray]:
    spec = screen.steps.spec
    return spec.input[0], spec.kernel[0, 0]


def assert_shows(screen: ExplorerScreen, inputs: np.ndarray, kernel: np.ndarray) -> None:
    """The grids on screen and the app's output are those of ``inputs`` ⋆ ``kernel``."""
    shown_in, shown_k = grids(screen)
    assert shown_in.tolist() == inputs.tolist() and shown_k.tolist() == kernel.tolist()
    screen.steps.compute_sums()
    assert np.array_equal(screen.steps.output[0], correlate2d(inputs, kernel, mode="valid"))
    drawn = screen.query_one("#input-grid-0", GridView).cells.values
    assert drawn.tolist() == inputs.tolist()


def cursor_cell(screen: ExplorerScreen, grid_id: str) -> tuple[int, int] | None:
    return screen.query_one(grid_id, GridView).mark.cursor


async def test_cursor_starts_on_the_input_and_arrows_move_it(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, app, "e")
        assert screen.editing is not None and "EDIT" in status(screen)
        assert cursor_cell(screen, "#input-grid-0") == (0, 0)
        assert cursor_cell(screen, "#kernel-grid-0-0") is None
        await press(pilot, app, "right", "right", "down")
        assert cursor_cell(screen, "#input-grid-0") == (1, 2)
        assert "input[1][2] = 6" in explanation(screen)
        await press(pilot, app, *["right"] * 6, *["down"] * 6)
        assert cursor_cell(screen, "#input-grid-0") == (3, 3)  # kept inside the grid
        assert screen.step == 0  # the arrows moved the cursor, not the step
        await press(pilot, app, "tab")
        assert cursor_cell(screen, "#kernel-grid-0-0") == (1, 1)
        assert cursor_cell(screen, "#input-grid-0") is None
        await press(pilot, app, "tab")
        assert cursor_cell(screen, "#input-grid-0") == (1, 1)
        await press(pilot, app, "shift+tab")
        assert cursor_cell(screen, "#kernel-grid-0-0") == (1, 1)
        await press(pilot, app, "e")
        assert screen.editing is None and "EDIT" not in status(screen)
        assert cursor_cell(screen, "#kernel-grid-0-0") is None


async def test_typing_sets_a_cell_delete_zeroes_it(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, app, "e", "down", "right", "1", "2", "backspace", "7")
        assert "typed: 17" in explanation(screen)
        await press(pilot, app, "enter")
        expected = INPUT.copy()
        expected[1, 1] = 17
        assert_shows(screen, expected, KERNEL)
        assert "default (edited)" in status(screen)
        screen.step = 5  # any redraw keeps the edit line, not the step's sentence
        await settle(pilot, app)
        assert explanation(screen).startswith("EDIT input[1][1] = 17")
        await press(pilot, app, "tab", "-", "0", ".", "5", "enter")
        kernel = KERNEL.astype(float)
        kernel[1, 1] = -0.5
        assert_shows(screen, expected, kernel)
        await press(pilot, app, "shift+tab", "right", "delete")
        expected[1, 2] = 0
        assert_shows(screen, expected, kernel)
        assert not errors(app)


async def test_a_bad_number_is_refused_and_nothing_changes(app):
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.screen
        spec = screen.steps.spec
        await press(pilot, app, "e", "1", ".", "2", ".", "3", "enter")
        assert errors(app) and "not a number" in errors(app)[-1]
        assert screen.steps.spec is spec and not screen.edited
        await press(pilot, app, *"9999999", "enter")
        assert "beyond the limit" in errors(app)[-1] and screen.steps.spec is spec
        await press(pilot, app, "enter")  # nothing typed: told, nothing changes
        assert screen.steps.spec is spec and "(edited)" not in status(screen)


async def test_rows_and_columns_added_and_removed_at_the_cursor(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, app, "e", "down", "right", "r")
        expected = np.insert(INPUT, 2, 0, axis=0)
        assert_shows(screen, expected, KERNEL)
        assert cursor_cell(screen, "#input-grid-0") == (2, 1)  # onto the new row
        await press(pilot, app, "C")
        expected = np.insert(expected, 1, 0, axis=1)
        assert_shows(screen, expected, KERNEL)
        await press(pilot, app, "up", "x")
        expected = np.delete(expected, 1, axis=0)
        assert_shows(screen, expected, KERNEL)
        await press(pilot, app, "X")
        expected = np.delete(expected, 1, axis=1)
        assert_shows(screen, expected, KERNEL)
        await press(pilot, app, "R", "c")
        expected = np.insert(np.insert(expected, 1, 0, axis=0), 2, 0, axis=1)
        assert_shows(screen, expected, KERNEL)
        assert screen.steps.spec.height == 5 and screen.steps.spec.width == 5


async def test_the_kernel_may_not_grow_past_the_input(make_app):
    app = make_app("identity")  # 3×3 input, 1×1 kernel
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.screen
        await press(pilot, app, "e", "tab", "r", "r")
        assert screen.steps.spec.kernel.shape[2:] == (3, 1) and not errors(app)
        spec = screen.steps.spec
        await press(pilot, app, "r")
        assert "may not grow past the input" in errors(app)[-1]
        assert screen.steps.spec is spec
        await press(pilot, app, "shift+tab", "x")  # the input may not shrink under it
        assert "larger than input" in errors(app)[-1] and screen.steps.spec is spec


async def test_random_fill_then_undo_and_redo_everything(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, app, "e", "n")
        random_input = grids(screen)[0].copy()
        assert random_input.shape == INPUT.shape and not np.array_equal(random_input, INPUT)
        assert random_input.min() >= 0 and random_input.max() <= 9
        assert_shows(screen, random_input, KERNEL)
        await press(pilot, app, "tab", "n")
        random_kernel = grids(screen)[1].copy()
        assert random_kernel.min() >= -2 and random_kernel.max() <= 2
        assert grids(screen)[0].tolist() == random_input.tolist()
        await press(pilot, app, "c")
        wide = np.insert(random_kernel, 1, 0, axis=1)  # right of the cursor at [0][0]
        assert_shows(screen, random_input, wide)
        for want_in, want_k in [(random_input, random_kernel), (random_input, KERNEL),
                                (INPUT, KERNEL)]:
            await press(pilot, app, "ctrl+z")
            assert_shows(screen, want_in, want_k)
        assert "(edited)" not in status(screen)  # back to the preset as loaded
        await press(pilot, app, "ctrl+z")  # nothing left: the problem stays
        assert_shows(screen, INPUT, KERNEL)
        for want_in, want_k in [(random_input, KERNEL), (random_input, random_kernel),
                                (random_input, wide)]:
            await press(pilot, app, "ctrl+y")
            assert_shows(screen, want_in, want_k)
        assert "(edited)" in status(screen)


async def test_undo_reaches_option_changes_and_edits_out_of_edit_mode(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, app, "e", "delete", "e", "s")
        assert screen.steps.spec.stride == (2, 2) and grids(screen)[0][0, 0] == 0
        await press(pilot, app, "ctrl+z")
        assert screen.steps.spec.stride == (1, 1) and grids(screen)[0][0, 0] == 0
        await press(pilot, app, "ctrl+z")
        assert grids(screen)[0][0, 0] == 1


async def test_a_click_puts_the_cursor_on_the_cell(make_app):
    app = make_app("same-padding")  # a padded input: clicks count real cells only
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        top, _, left, _ = screen.steps.spec.padding
        await press(pilot, app, "e")
        inputs = screen.query_one("#input-grid-0", GridView)
        await pilot.click(inputs, offset=cell_offset(inputs, 3 + top, 2 + left))
        await settle(pilot, app)
        assert (screen.editing.grid, screen.editing.row, screen.editing.col) == ("input", 3, 2)
        assert inputs.mark.cursor == (3 + top, 2 + left)
        assert screen.marks is None  # not a point-and-ask question
        kernel = screen.query_one("#kernel-grid-0-0", GridView)
        await pilot.click(kernel, offset=cell_offset(kernel, 1, 0))
        await settle(pilot, app)
        assert (screen.editing.grid, screen.editing.row, screen.editing.col) == ("kernel", 1, 0)
        await press(pilot, app, "4", "enter")
        assert screen.steps.spec.kernel[0, 0, 1, 0] == 4


async def test_leaving_returns_to_the_same_output_cell_and_phase(app):
    """A step in the middle of output cell (1, 1) stays there after an edit that keeps the
    output's size, and goes to step 0 after one that removes that cell."""
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        block = KERNEL.size + 2
        step = 1 + 4 * block + 3  # output position 4 = (1, 1), its third step
        screen.step = step
        await settle(pilot, app)
        await press(pilot, app, "e", "5", "enter", "escape")
        assert screen.editing is None and screen.step == step
        records = screen.steps[step]
        assert (records.row, records.col) == (1, 1)
        await press(pilot, app, "e", "x", "x", "e")  # a 2×4 input: a 1×3 output
        assert screen.steps.spec.out_height == 1 and screen.step == 0


async def test_edit_mode_needs_practice_off(app):
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.screen
        await press(pilot, app, "t", "e")  # the answer line takes the key
        assert screen.editing is None
        screen.action_edit()  # however it is reached, edit mode waits for practice to end
        await settle(pilot, app)
        assert screen.editing is None and "practice" in errors(app)[-1].lower()
        await press(pilot, app, "t")
        screen.action_edit()
        assert screen.editing is not None


async def test_an_80x24_status_bar_shows_edit_and_edited(make_app):
    app = make_app("camera")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await press(pilot, app, "e", "7", "enter")
        line = status(screen)
        assert line.startswith(" EDIT ") and "camera (edited)" in line[:80]  # not cut off
        assert explanation(screen).startswith("EDIT input[0][0] = 7")
        await press(pilot, app, "e")
        assert "camera (edited)" in status(screen)[:80] and "EDIT " not in status(screen)


async def test_keys_typed_in_one_burst_apply_in_order(app):
    """A terminal delivers fast typing (or a paste, or a slow link) as keys back to back,
    with no frame between: each is applied in the order typed, whatever has the focus
    (a dialog closing gives it back to a panel). Enter and the arrows once overtook the
    digits before them (the digit landed in the next cell). An arrow, Tab or a click sets
    a number typed and not yet set, as Enter does, before the cursor leaves."""
    from textual import events

    def burst(*keys: str) -> None:
        names = {"\r": "enter", "\x7f": "backspace", "-": "minus", "→": "right", "↓": "down",
                 "⇥": "tab"}
        for key in keys:
            character = None if key in "→↓" else key
            app.post_message(events.Key(names.get(key, key), character))

    async def settled() -> None:
        for _ in range(5):
            await settle(pilot, app)

    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        focused = app.focused
        assert focused is not None  # the keys go through a panel, as in the terminal
        await press(pilot, app, "e")
        burst("7", "\r", "→", "8", "9", "\x7f", "\r", "↓", "-", "3", "\r")
        await settled()
        expected = INPUT.copy()
        expected[0, 0], expected[0, 1], expected[1, 1] = 7, 8, -3
        assert_shows(screen, expected, KERNEL)
        await press(pilot, app, "question_mark")
        await press(pilot, app, "escape")  # the help closes; a panel has the focus again
        assert app.focused is not None and screen.editing is not None
        burst("5", "→", "6", "→", "4", "\r")
        await settled()
        expected[1, 1:] = 5, 6, 4
        assert_shows(screen, expected, KERNEL)
        assert (screen.editing.row, screen.editing.col) == (1, 3)
        assert errors(app) == []
        assert "typed: (type a number)" in explanation(screen)
        burst("-", "↓")  # not a number: told, and the cursor stays to type it again
        await settled()
        assert (screen.editing.row, screen.editing.col) == (1, 3)
        assert len(errors(app)) == 1
        burst("\x7f", "2", "⇥")  # Tab sets it too, then goes to the kernel
        await settled()
        expected[1, 3] = 2
        assert_shows(screen, expected, KERNEL)
        assert screen.editing.grid == "kernel"
        await press(pilot, app, "escape")
        assert screen.editing is None and app.focused is focused
