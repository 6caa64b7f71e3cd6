"""The ``k`` kernel picker, ``ctrl+s`` save and quitting with unsaved edits (issue 7 §2–4),
with real key presses. Saves go to a temporary ``$XDG_DATA_HOME`` (tests/conftest.py).

Expected grids are the preset files' numbers read with ``json`` here; outputs are
scipy's ``correlate2d``; a saved preset is read back by name with ``presets.resolve``
and by the CLI's ``--trace``.
"""

from __future__ import annotations

import errno
import io
import json
import os

import numpy as np
from rich.console import Console
from scipy.signal import correlate2d
from test_edit import errors, press, settle, status
from textual.widgets import Input, OptionList, Static

from eigenvue_tui import cli, export
from eigenvue_tui.kernels import NAMED
from eigenvue_tui.presets import builtin_dir, resolve, user_dir
from eigenvue_tui.screens.confirm import ConfirmScreen
from eigenvue_tui.screens.help import HelpScreen
from eigenvue_tui.screens.kernel_picker import KernelPicker
from eigenvue_tui.screens.picker import PresetPicker
from eigenvue_tui.screens.save_dialog import SaveScreen

SIZE = (120, 40)


def preset_json(name: str) -> dict:
    return json.loads((builtin_dir() / f"{name}.json").read_text(encoding="utf-8"))


async def wait_for(pilot, app, kind):
    for _ in range(100):
        if isinstance(app.screen, kind):
            await pilot.pause()
            return app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"{kind.__name__} did not open")


async def pick_kernel(pilot, app, option_id: str) -> None:
    """Open ``k``, walk the highlight to ``option_id`` with the arrow keys, Enter."""
    await pilot.press("k")
    picker = await wait_for(pilot, app, KernelPicker)
    options = picker.query_one(OptionList)
    for _ in range(200):
        if options.highlighted == options.get_option_index(option_id):
            break
        await pilot.press("down")
    await press(pilot, app, "enter")


def choice_id(picker: KernelPicker, name: str) -> str:
    return next(str(i) for i, c in enumerate(picker._choices) if name in (c.name, c.source))


async def test_the_picker_draws_every_named_kernel_and_the_presets(make_app):
    app = make_app("default")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        picker = await wait_for(pilot, app, KernelPicker)
        options = picker.query_one(OptionList)
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        joined = "\n".join(texts)
        for name in NAMED:
            assert any(t.startswith(name) for t in texts), name
        assert "Named kernels" in joined and "Kernels of the presets" in joined
        sobel = next(t for t in texts if t.startswith("sobel-x"))
        assert sobel.splitlines()[1:] == ["  -1  0  1", "  -2  0  2", "  -1  0  1"]
        assert any("handwritten-digit" in t for t in texts)
        assert not any("maxpool" in t for t in texts)  # a pool has no kernel
        # The current kernel (the default's) is highlighted.
        highlighted = str(options.get_option_at_index(options.highlighted).prompt)
        assert highlighted.splitlines()[0].endswith("  default")
        assert highlighted.splitlines()[1:] == ["   1  0", "   0 -1"]
        await pilot.press("escape")
        assert not isinstance(app.screen, KernelPicker)


async def test_enter_swaps_the_kernel_keeping_input_options_and_cell(make_app):
    app = make_app("handwritten-digit", start_step=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, app, "s")  # stride 2, kept through the swap
        block = 9 + 2
        step = 1 + 5 * block + 4  # output position 5 = (0, 5), a multiply-add
        screen.step = step
        await settle(pilot, app)
        await pilot.press("k")
        picker = await wait_for(pilot, app, KernelPicker)
        target = choice_id(picker, "sobel-x")
        await pilot.press("escape")
        await pick_kernel(pilot, app, target)
        data = preset_json("handwritten-digit")
        spec = screen.steps.spec
        assert spec.kernel[0, 0].tolist() == NAMED["sobel-x"]
        assert spec.input[0].tolist() == data["input"] and spec.stride == (2, 2)
        assert screen.step == step
        screen.steps.compute_sums()
        expected = correlate2d(np.array(data["input"]), np.array(NAMED["sobel-x"]),
                               mode="valid")[::2, ::2]
        assert np.array_equal(screen.steps.output[0], expected)
        assert "(edited)" in status(screen)
        await press(pilot, app, "ctrl+z")  # a kernel swap is undone like an edit
        assert screen.steps.spec.kernel[0, 0].tolist() == data["kernel"]


async def test_a_kernel_that_does_not_fit_is_refused(make_app):
    app = make_app("default")  # a plain 2-D input: a 3-channel kernel cannot apply
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.screen
        spec = screen.steps.spec
        await pilot.press("k")
        picker = await wait_for(pilot, app, KernelPicker)
        target = choice_id(picker, "rgb-channels")
        await pilot.press("escape")
        await pick_kernel(pilot, app, target)
        assert errors(app) and "channel" in errors(app)[-1]
        assert screen.steps.spec is spec and "(edited)" not in status(screen)


async def test_a_named_kernel_applies_to_every_channel(make_app):
    app = make_app("rgb-channels")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("k")
        picker = await wait_for(pilot, app, KernelPicker)
        target = choice_id(picker, "laplacian")
        await pilot.press("escape")
        await pick_kernel(pilot, app, target)
        kernel = screen.steps.spec.kernel
        assert kernel.shape == (1, 3, 3, 3)
        assert all(kernel[0, ch].tolist() == NAMED["laplacian"] for ch in range(3))


async def save_as(pilot, app, name: str | None) -> SaveScreen:
    await pilot.press("ctrl+s")
    dialog = await wait_for(pilot, app, SaveScreen)
    if name is not None:
        dialog.query_one(Input).value = ""
        await pilot.press(*name, "enter")
        await answered(pilot, app)
    return dialog


async def answered(pilot, app) -> None:
    """Wait for the save to finish, unless a question (overwrite?) waits for an answer."""
    for _ in range(100):
        if isinstance(app.screen, ConfirmScreen):
            await pilot.pause()
            return
        if not isinstance(app.screen, SaveScreen):
            await settle(pilot, app)
            return
        await pilot.pause(0.02)


async def test_save_prefills_saves_and_the_preset_reads_back(make_app, capsys):
    app = make_app("default")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, app, "e", "down", "9", "enter", "tab", "c", "e", "z")
        spec = screen.steps.spec
        assert "(edited)" in status(screen)
        dialog = await save_as(pilot, app, None)
        assert dialog.query_one(Input).value == "default-4-4-2-2"
        await pilot.press("escape")  # cancelled: nothing written
        await settle(pilot, app)
        assert not user_dir().exists() or not list(user_dir().iterdir())
        await save_as(pilot, app, "mine")
        assert (user_dir() / "mine.json").is_file()
        assert "(edited)" not in status(screen) and "(mine)" in status(screen)
        assert not screen.unsaved
        await pilot.press("p")
        picker = await wait_for(pilot, app, PresetPicker)
        options = picker.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "Your saved presets" in prompts
        assert options.get_option_index("mine") > prompts.index("Your saved presets")
        await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running and app.return_code == 0  # saved: q quits at once
    saved = resolve("mine")
    assert saved.spec == spec and saved.spec.padding_label == "same"
    data = preset_json("default")
    inputs = np.array(data["input"])
    inputs[1, 0] = 9
    kernel = np.insert(np.array(data["kernel"]), 1, 0, axis=1)  # right of the cursor's column
    assert np.array_equal(saved.spec.input[0], inputs)
    assert np.array_equal(saved.spec.kernel[0, 0], kernel)
    assert cli.main(["mine", "--trace", "--padding", "valid"]) == 0
    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert np.array_equal(np.array(last["output"]), correlate2d(inputs, kernel, mode="valid"))


async def test_an_existing_name_asks_before_overwriting(make_app):
    app = make_app("default")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await save_as(pilot, app, "mine")
        before = (user_dir() / "mine.json").read_text()
        await press(pilot, app, "e", "delete", "e")
        dialog = await save_as(pilot, app, "mine")
        await wait_for(pilot, app, ConfirmScreen)
        await pilot.press("n")
        await answered(pilot, app)
        assert app.screen is dialog  # not overwritten: the name can be changed
        assert (user_dir() / "mine.json").read_text() == before and screen.unsaved
        await pilot.press("enter")
        await wait_for(pilot, app, ConfirmScreen)
        await pilot.press("y")
        await answered(pilot, app)
        assert resolve("mine").spec.input[0, 0, 0] == 0 and not screen.unsaved


async def test_a_failing_write_notifies_and_keeps_file_and_state(make_app, monkeypatch):
    app = make_app("default")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.screen
        await save_as(pilot, app, "mine")
        before = (user_dir() / "mine.json").read_bytes()
        await press(pilot, app, "e", "7", "enter", "e")
        spec, preset = screen.steps.spec, screen.preset

        def disk_full(*args, **kwargs):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(export.os, "fsync", disk_full)
        await save_as(pilot, app, "mine")
        await wait_for(pilot, app, ConfirmScreen)
        await pilot.press("y")
        await answered(pilot, app)
        assert "No space left" in errors(app)[-1]
        assert (user_dir() / "mine.json").read_bytes() == before
        assert sorted(p.name for p in user_dir().iterdir()) == ["mine.json"]
        assert screen.steps.spec is spec and screen.preset is preset and screen.unsaved
        assert "mine (edited)" in status(screen)


async def test_quitting_with_unsaved_edits_asks_first(make_app):
    app = make_app("default")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, app, "e", "n", "e")
        await pilot.press("q")
        await wait_for(pilot, app, ConfirmScreen)
        await press(pilot, app, "escape")  # cancel: still running, edits kept
        assert app.is_running and app.screen_stack[0].unsaved
        await pilot.press("q")
        await wait_for(pilot, app, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert not app.is_running and app.return_code == 0


async def test_q_quits_at_once_without_edits(make_app):
    app = make_app("default")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, app, "s", "q")  # an option change is not an unsaved edit
    assert not app.is_running and app.return_code == 0


async def test_help_lists_the_edit_keys(make_app):
    """Each new key on its own line of ``?``, also where another key shares it (⏎)."""
    app = make_app("default")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        help_screen = await wait_for(pilot, app, HelpScreen)
        console = Console(width=200, file=io.StringIO(), record=True)
        for static in help_screen.query(Static):
            console.print(static.content)
        lines = [line.strip() for line in console.export_text().splitlines()]
        for key, words in [("e", "Edit mode: change the input and kernel in place"),
                           ("k", "Choose a kernel"), ("^s", "Save the problem as a preset"),
                           ("^z", "Undo the last edit"), ("^y", "Redo"),
                           ("⏎", "Edit mode: set the cell to the number typed"),
                           ("⏎", "What the cell under the cursor is linked to"),
                           ("del", "Edit mode: set the cell to 0"),
                           ("esc", "Edit mode: leave it"), ("0-9", "type a number"),
                           ("tab", "Edit mode: cursor to the next grid"),
                           ("r", "add a row of zeros below"), ("R", "add a row of zeros above"),
                           ("x", "remove the cursor's row"), ("X", "remove the cursor's column"),
                           ("n", "fill the grid under the cursor with random")]:
            assert any(line.split()[0] == key and words in line for line in lines if line), key


async def test_loading_a_preset_over_unsaved_edits_asks_first(make_app):
    from test_app import choose

    app = make_app("default")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, app, "e", "delete", "e")
        edited = screen.steps.spec
        await pilot.press("p")
        await choose(pilot, await wait_for(pilot, app, PresetPicker), "sobel-x")
        await wait_for(pilot, app, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot, app)
        assert screen.steps.spec is edited and screen.preset.name == "default"
        await pilot.press("p")
        await choose(pilot, await wait_for(pilot, app, PresetPicker), "sobel-x")
        await wait_for(pilot, app, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        assert screen.preset.name == "sobel-x" and not screen.unsaved
        assert screen.steps.spec.input[0].tolist() == preset_json("sobel-x")["input"]
        await press(pilot, app, "ctrl+z")  # a new problem starts a new history
        assert screen.preset.name == "sobel-x"


async def test_changing_the_operation_over_unsaved_edits_asks_first(make_app):
    app = make_app("default")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await press(pilot, app, "e", "delete", "e")
        await pilot.press("o")
        await wait_for(pilot, app, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot, app)
        assert app.screen is screen and screen.steps.spec.input[0, 0, 0] == 0
        await pilot.press("o")
        await wait_for(pilot, app, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        assert app.screen is not screen  # the operation screen, with the edited grids
        assert app.screen.steps.spec.input[0, 0, 0] == 0
