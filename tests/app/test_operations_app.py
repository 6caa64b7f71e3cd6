"""The operation screen with real key presses, checked against tests/ops_oracle.py.

What is on screen (the drawn numbers, the highlighted cells, the status bar) is
compared with the oracle's loop nests, which know nothing of eigenvue_tui.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_app import grid_cells, same_number
from test_views import screen_lines
from textual.pilot import Pilot
from textual.widgets import OptionList

import ops_oracle as oracle
from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import catalogue, resolve
from eigenvue_tui.screens.explorer import ExplorerScreen
from eigenvue_tui.screens.learn import LearnScreen
from eigenvue_tui.screens.learn_ops import OpLearnScreen
from eigenvue_tui.screens.operation import OperationScreen
from eigenvue_tui.screens.picker import PresetPicker
from eigenvue_tui.widgets.code import CodeView
from eigenvue_tui.widgets.grid import GridView

SIZE = (120, 40)
PRESETS = Path(__file__).resolve().parents[2] / "presets"
OP_PRESETS = [e.name for e in catalogue(()) if not e.error
              and (e.op != "conv" or e.view != "grid")]


def data(name: str) -> dict:
    return json.loads((PRESETS / f"{name}.json").read_text(encoding="utf-8"))


def pair(value, default):
    if value is None:
        return default
    return tuple(value) if isinstance(value, list) else (value, value)


async def wait_for(pilot: Pilot, app: ConvolutionApp, kind: type, **attrs) -> None:
    """Until the top screen is a ``kind`` (with these attributes) and drawn."""
    for _ in range(200):
        screen = app.screen
        wanted = isinstance(screen, kind) and all(
            getattr(screen, k) == v for k, v in attrs.items())
        if wanted and (not isinstance(screen, OperationScreen) or screen.view_model is not None):
            await app.workers.wait_for_complete()
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{kind.__name__} {attrs} never showed (top: {app.screen})")


def op_grid(app: ConvolutionApp, key: str) -> GridView:
    return app.screen.query_one(f"#op-{key}-grid", GridView)


def status(app: ConvolutionApp) -> str:
    return str(app.screen.query_one("#status").render())


def explanation(app: ConvolutionApp) -> str:
    return str(app.screen.query_one("#explanation").render())


def drawn(app: ConvolutionApp, key: str) -> list[list[str]]:
    """A grid's numbers as drawn, one line a cell (its highlight cleared of brackets)."""
    view = op_grid(app, key)
    cells = grid_cells(view)
    return [[c.strip("[]").removeprefix("Σ").removeprefix("m") for c in row] for row in cells]


def assert_drawn(app: ConvolutionApp, key: str, want) -> None:
    cells = drawn(app, key)
    want = np.asarray(want, dtype=float)
    assert len(cells) == want.shape[0] and len(cells[0]) == want.shape[1], (cells, want)
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            if np.isneginf(want[r, c]):
                assert text == "-inf", (key, r, c, text)
            else:
                assert same_number(text, want[r, c]), (key, r, c, text, want[r, c])


# -- each operation, stepped by keys ---------------------------------------------


async def test_transposed_steps_scatter_into_the_output_as_the_oracle_does():
    """→ through the whole transposed stride-2 preset: the current input, kernel and output
    cells and the growing output grid match the oracle's scatter steps at every step."""
    d = data("transposed-stride-2")
    s, p, op = pair(d.get("stride"), (1, 1)), pair(d.get("padding"), (0, 0)), \
        pair(d.get("output_padding"), (0, 0))
    x, w = [d["input"]], [[d["kernel"]]]
    out = oracle.conv_transpose2d(x, w, s, p, (1, 1), op)
    want = oracle.scatter_steps(x, w, (len(out[0]), len(out[0][0])), s, p, (1, 1))
    app = ConvolutionApp(resolve("transposed-stride-2"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, OperationScreen)
        acc = np.zeros((len(out[0]), len(out[0][0])))
        for index in range(1, len(want) - 1):
            await pilot.press("right")
            rec = want[index]
            assert f"Step {index} / {len(want) - 1}" in status(app)
            assert op_grid(app, "input").mark.current == (rec["row"], rec["col"])
            assert op_grid(app, "kernel").mark.current == (rec["kr"], rec["kc"])
            if rec.get("skipped"):
                assert op_grid(app, "output").mark.current is None
                assert "skipped" in explanation(app)
            else:
                acc[rec["out_row"], rec["out_col"]] = rec["value"]
                assert op_grid(app, "output").mark.current == (rec["out_row"], rec["out_col"])
                assert f"= {rec['value']}" in explanation(app)
            if index % 9 == 0:
                assert_drawn(app, "output", acc)
        await pilot.press("end")
        assert_drawn(app, "output", out[0])


@pytest.mark.parametrize("name", ["maxpool", "maxpool-ceil-mode", "avgpool-padding"])
async def test_pool_steps_match_the_oracle(name):
    """Every step: the window cell read (padding included) and the output written so far."""
    d = data(name)
    op = d["op"]
    k = pair(d["pool"], None)
    want = oracle.pool_steps(
        op, [d["input"]], k, pair(d.get("stride"), k), pair(d.get("padding"), (0, 0)),
        pair(d.get("dilation"), (1, 1)), d.get("ceil_mode", False),
        d.get("count_include_pad", True), d.get("divisor_override"))
    output = np.asarray(want[-1]["output"], dtype=float)
    app = ConvolutionApp(resolve(name))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, OperationScreen)
        ph, pw = pair(d.get("padding"), (0, 0))
        key = "max" if op == "maxpool" else "sum"
        for index in range(1, min(len(want) - 1, 60)):
            await pilot.press("right")
            rec = want[index]
            out = op_grid(app, "output").mark
            assert out.current == (rec["row"], rec["col"]), index
            if rec["phase"] == "pool":
                assert op_grid(app, "input").mark.current == (rec["in_row"] + ph,
                                                            rec["in_col"] + pw)
                assert op_grid(app, "window").mark.current == (rec["kr"], rec["kc"])
                assert out.partial is not None
                assert same_number(out.partial, rec[key]) or out.partial == "-inf"
                # the running max reads as the pseudocode's m, a running sum as Σ
                cell = grid_cells(op_grid(app, "output"))[rec["row"]][rec["col"]]
                assert cell.strip("[]").startswith("m" if op == "maxpool" else "Σ"), cell
            if rec["phase"] == "write":
                assert out.written == (rec["row"], rec["col"])
                assert same_number(drawn(app, "output")[rec["row"]][rec["col"]], rec["value"])
        await pilot.press("end")
        assert_drawn(app, "output", output)


@pytest.mark.parametrize("name", ["grad-input", "grad-weight"])
async def test_gradients_end_where_the_chain_rule_does(name):
    """End shows dX / dW as the oracle's chain rule through every forward MAC; a step
    in between highlights the dY cell the oracle's loop reads."""
    d = data(name)
    x, w = [d["input"]], [[d["kernel"]]]
    oh = len(x[0]) - len(w[0][0]) + 1
    ow = len(x[0][0]) - len(w[0][0][0]) + 1
    dy = [d.get("grad_output") or [[1] * ow for _ in range(oh)]]
    dx, dw, _ = oracle.conv_grads(x, w, dy, (1, 1), (0, 0, 0, 0), (1, 1))
    app = ConvolutionApp(resolve(name))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, OperationScreen)
        if name == "grad-input":
            want = oracle.scatter_steps(dy, [[plane] for plane in w[0]], (4, 4), (1, 1),
                                        (0, 0), (1, 1), src="grad", dst=("in_row", "in_col"))
            for index in range(1, 12):
                await pilot.press("right")
                rec = want[index]
                assert op_grid(app, "grad_output").mark.current == (rec["row"], rec["col"])
                assert op_grid(app, "output").mark.current == (rec["in_row"], rec["in_col"])
        else:
            await pilot.press("right", "right", "right")  # init, reset, two multiply-adds
            assert op_grid(app, "grad_output").mark.current == (0, 1)
            assert op_grid(app, "input").mark.current == (0, 1)
            assert op_grid(app, "output").mark.current == (0, 0)
            assert "sum = 3" in explanation(app)  # x[0][0]·1 + x[0][1]·1 = 1 + 2
        await pilot.press("end")
        assert_drawn(app, "output", dx[0] if name == "grad-input" else dw[0][0])
        assert "finished" in status(app)


async def test_e_shows_the_equivalent_direct_convolution_with_the_same_output():
    """e: stretched, padded input and rotated kernel on the conv engine; End gives the
    oracle's transposed output; e again goes back to the scatter form."""
    d = data("transposed-stride-2")
    out = oracle.conv_transpose2d([d["input"]], [[d["kernel"]]], (2, 2), (1, 1), (1, 1),
                                  (1, 1))
    app = ConvolutionApp(resolve("transposed-stride-2"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, OperationScreen)
        await pilot.press("e")
        await wait_for(pilot, app, OperationScreen, mode="direct")
        assert "transposed as a direct conv" in status(app)
        stretched = op_grid(app, "input").cells.values
        assert stretched[1:6:2, 1:6:2].tolist() == d["input"]  # zeros between the cells
        assert op_grid(app, "kernel").cells.values.tolist() == np.rot90(d["kernel"], 2).tolist()
        await pilot.press("end")
        assert_drawn(app, "output", out[0])
        await pilot.press("e")
        await wait_for(pilot, app, OperationScreen, mode=None)
        assert "Step 82 / 82" in status(app)


# -- o: the next operation that fits -------------------------------------------------


async def test_o_cycles_every_operation_and_back_to_conv():
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "right")
        seen = []
        for _ in range(6):
            await pilot.press("o")
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            seen.append(type(screen).__name__ + ":" + screen.steps.spec.describe_options()
                        .split(" ·")[0])
        assert [s.split(":")[0] for s in seen] == ["OperationScreen"] * 5 + ["ExplorerScreen"]
        assert [s.split(":")[1] for s in seen[:5]] == [
            "transposed", "maxpool 2", "avgpool 2", "grad-input", "grad-weight"]
        assert isinstance(app.screen, ExplorerScreen)
        assert app.screen.steps.spec.grids() == resolve("default").spec.grids()


async def test_m_and_o_keep_the_look_the_speed_and_the_play_unit():
    """v + + + u, then m: the im2col view in heat at 8× (it plays a step a tick, so the
    unit is kept for the way back); m again: the explorer in heat, 8× by output cell. The
    same all the way round the operations with o. Both once came back at 1× in numbers."""
    kept = "paused 8× by output cell │ heat"
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "plus", "plus", "plus", "u")
        assert kept in status(app)
        await pilot.press("m")
        await wait_for(pilot, app, OperationScreen, mode="im2col")
        assert "paused 8× │ conv as im2col │ heat" in status(app)
        assert op_grid(app, "unfold").view == "heat"
        assert app.screen._timer._interval == 1 / 16  # 2 steps a second at 1×
        await pilot.press("m")
        await wait_for(pilot, app, ExplorerScreen)
        assert kept in status(app) and app.screen._timer._interval == 1 / 16
        for op in ("transposed", "maxpool", "avgpool", "grad-input", "grad-weight"):
            before = app.screen
            await pilot.press("o")
            for _ in range(200):
                if app.screen is not before:
                    break
                await pilot.pause(0.02)
            await wait_for(pilot, app, OperationScreen)
            assert app.screen.problem.op == op
            assert f"paused 8× │ {op} │ heat" in status(app)
        await pilot.press("o")
        await wait_for(pilot, app, ExplorerScreen)
        assert kept in status(app)


async def test_late_work_for_a_screen_that_was_left_does_nothing():
    """An option change computed off the main thread, the background sums, a callback
    after a refresh, a play tick: each can come due after ``m`` or ``o`` has switched to
    another screen, while the old one is taken apart. Found by pressing ``r o o o o o o
    m`` while playing: the late change drew into the removed explorer (NoMatches in a
    worker: the app ended with a traceback, exit 1). Late, they now do nothing."""
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "right")
        explorer = app.screen
        assert isinstance(explorer, ExplorerScreen)
        await pilot.press("m")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        operation = app.screen
        assert isinstance(operation, OperationScreen) and not explorer.is_attached
        await explorer.show_problem(explorer.preset, explorer.steps, 3)
        explorer._sums_arrived(explorer.steps)
        explorer._show_loading(0.5)
        explorer._fit_code()
        explorer.on_resize()
        explorer._tick()
        await pilot.press("m")  # back to a new explorer
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, ExplorerScreen) and not operation.is_attached
        operation._fit_code()
        operation.on_resize()
        operation._tick()
        await operation._show(operation.steps, 2)
        await pilot.pause()
        assert app.is_running and app.return_code is None
        step = app.screen.step
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.step == step + 1


async def test_m_on_a_problem_too_big_to_unfold_notifies_and_keeps_the_explorer(tmp_path):
    """1024² ⊛ 31² unfolded is 961 × 988,036 cells: ``m`` used to build all 7.6 GB of it.
    Now it says why there is no im2col view, on the same screen and step; a preset file
    asking for that view is refused by the picker like a bad file."""
    rng = np.random.default_rng(3)
    data = {"input": rng.integers(-3, 4, (160, 160)).tolist(),
            "kernel": rng.integers(-1, 2, (31, 31)).tolist()}
    (tmp_path / "wide.json").write_text(json.dumps({**data, "view": "im2col"}))
    from eigenvue_tui.presets import parse_preset

    preset = parse_preset(data, "big", "test")
    app = ConvolutionApp(preset, preset_dirs=(tmp_path,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "right")
        screen = app.screen
        await pilot.press("m")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        assert app.screen is screen and screen.step == 2
        rows, columns = 31 * 31, (160 - 31 + 1) ** 2
        messages = [n.message for n in app._notifications]
        assert any(f"{rows:,}×{columns:,} matrix" in m for m in messages), messages
        await pilot.press("p")  # its worker waits for the choice: wait for the screen only
        for _ in range(200):
            if isinstance(app.screen, PresetPicker) and app.screen.query(OptionList):
                break
            await pilot.pause(0.02)
        options = app.screen.query_one(OptionList)
        options.highlighted = options.get_option_index("wide")
        await pilot.press("enter")
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen and screen.step == 2 and screen.preset is not None
        assert screen.preset.name == "big"
        refused = [n for n in app._notifications if n.title == "Preset not loaded"]
        assert refused and "wide.json" in refused[-1].message


async def test_o_skips_the_operations_that_do_not_fit_and_names_them():
    """Two filters on a one-channel input: a transposed kernel is [C][F], so transposed
    does not fit; o goes on to maxpool and the notice says why transposed was skipped."""
    app = ConvolutionApp(resolve("two-filters"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await wait_for(pilot, app, OperationScreen)
        assert app.screen.problem.op == "maxpool"
        messages = [n.message for n in app._notifications]
        assert any("skipped transposed: input has 1 channels but the kernel has 2" in m
                   for m in messages), messages


async def test_a_key_that_does_not_apply_notifies_and_keeps_the_state():
    """m (im2col) on a max pool: a warning, same screen, same step, same grids."""
    app = ConvolutionApp(resolve("maxpool"), start_step=5)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, OperationScreen)
        screen = app.screen
        before = (status(app), op_grid(app, "input").mark)
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is screen and screen.step == 5
        assert (status(app), op_grid(app, "input").mark) == before
        warnings = [n for n in app._notifications if n.severity == "warning"]
        assert warnings and "im2col view is for conv" in warnings[0].message


# -- im2col ------------------------------------------------------------------------


async def test_m_toggles_the_im2col_view_on_the_same_step():
    """On the default conv: m shows W · unfold as torch's unfold lays it out; the current
    MAC (output 1's second) is unfold[1][1] × W[0][1]; m again is the explorer, same step."""
    d = data("default")
    unfold = oracle.unfold([d["input"]], 2, 2, (1, 1), (0, 0, 0, 0), (1, 1))
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "right", "right", "right")  # write 0, reset 1, MAC, MAC
        step = app.screen.step
        await pilot.press("m")
        await wait_for(pilot, app, OperationScreen, mode="im2col")
        assert app.screen.step == step
        assert_drawn(app, "unfold", unfold)
        assert_drawn(app, "weights", [[1, 0, 0, -1]])
        assert op_grid(app, "unfold").mark.current == (1, 1)  # unfold[m][col], m = 1
        assert op_grid(app, "weights").mark.current == (0, 1)
        assert op_grid(app, "output").mark.current == (0, 1)
        formula = str(app.screen.query_one("#formula").render())
        assert "W 1×4 · unfold 4×9 = 1×9" in formula and "36 multiplies" in formula
        await pilot.press("end")
        want = np.asarray([1, 0, 0, -1]) @ np.asarray(unfold)
        assert_drawn(app, "output", [want])
        await pilot.press("home", "right", "right", "right")
        await pilot.press("m")
        await wait_for(pilot, app, ExplorerScreen)
        assert app.screen.step == 3


async def test_the_im2col_preset_opens_in_the_im2col_view():
    app = ConvolutionApp(resolve("im2col"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, OperationScreen, mode="im2col")
        assert "conv as im2col" in status(app)


# -- presets, learn, sizes -----------------------------------------------------------


async def test_p_loads_an_operation_preset_onto_its_screen_and_back():
    from test_app import choose, open_picker

    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(pilot, app)
        await choose(pilot, picker, "avgpool-padding")
        await wait_for(pilot, app, OperationScreen)
        assert "avgpool" in status(app)
        await pilot.press("p")
        for _ in range(100):
            if isinstance(app.screen, PresetPicker):
                break
            await pilot.pause(0.02)
        await pilot.pause()
        await choose(pilot, app.screen, "sobel-x")
        await wait_for(pilot, app, ExplorerScreen)
        assert "sobel-x" in str(app.screen.query_one("#status").render())


async def test_learn_has_a_section_per_operation_with_these_numbers():
    app = ConvolutionApp(resolve("transposed-stride-2"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, OperationScreen)
        await pilot.press("i")
        await wait_for(pilot, app, OpLearnScreen)
        texts = [str(s.render()) for s in app.screen.query(".learn-heading, .learn-text")]
        assert texts[0] == "Transposed convolution (on screen)"
        assert "(3−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 6" in texts[1]
        assert sum("pool" in t.lower() for t in texts) >= 2
        await pilot.press("escape")
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await wait_for(pilot, app, LearnScreen)
        texts = [str(s.render()) for s in app.screen.query(".learn-heading, .learn-text")]
        assert "Transposed convolution" in texts
        assert any("outH = outW = (4−1)·1 − 2·0 + 1·(2−1) + 0 + 1 = 5" in t for t in texts)


@pytest.mark.parametrize("name", OP_PRESETS)
async def test_80x24_shows_the_current_code_line_and_every_panel(name):
    """Opened at step 12, then at the first, a middle and the last step of every operation
    preset: the whole current pseudocode line is on screen, every grid has room."""
    app = ConvolutionApp(resolve(name), start_step=12)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, app, OperationScreen)
        screen = app.screen
        view = screen.view_model
        for first, index in ((True, 12), (False, 1), (False, view.last // 2),
                             (False, view.last)):
            if not first:  # the first check is of the screen as it opened
                screen.step = index
            line = " ".join(view.listing.lines[view.step(index).line - 1].split())
            for _ in range(50):  # a wrapped listing is scrolled to once it is laid out
                await pilot.pause(0.02)
                shown = code_shown(app)
                if line in shown:
                    break
            assert line in shown, (name, index, line, shown)
            for grid in screen.query(GridView).results(GridView):
                assert grid.size.width >= 6 and grid.size.height >= 2, (name, grid.id)
        assert screen.query_one(CodeView).region.width > 0


def code_shown(app: ConvolutionApp) -> str:
    """The pseudocode panel's text as on screen, less the marker and the scrollbar."""
    region = app.screen.query_one("#code-panel").content_region
    rows = screen_lines(app)[region.y:region.bottom]
    visible = " ".join(row[region.x:region.right] for row in rows)
    text = "".join(ch for ch in visible if not 0x2580 <= ord(ch) < 0x25A0)
    return " ".join(text.replace("▶", " ").split())


async def test_play_goto_home_and_help_work_on_the_operation_screen():
    """space plays (the step moves on by itself) and pauses; g jumps; Home; ? lists e."""
    from eigenvue_tui.screens.goto import GotoScreen
    from eigenvue_tui.screens.help import HelpScreen

    app = ConvolutionApp(resolve("grad-weight"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, OperationScreen)
        screen = app.screen
        await pilot.press("plus", "plus", "plus", "space")
        for _ in range(50):  # a loaded machine ticks late: wait up to 5 s for a step
            await pilot.pause(0.1)
            if screen.step > 0:
                break
        await pilot.press("space")
        moved = screen.step
        assert moved > 0 and not screen.playing and "paused 8×" in status(app)
        await pilot.press("g")
        await wait_for(pilot, app, GotoScreen)
        await pilot.press("3", "0", "enter")
        await wait_for(pilot, app, OperationScreen)
        assert screen.step == 30 and "Step 30 / 45" in status(app)
        await pilot.press("home")
        assert screen.step == 0
        await pilot.press("question_mark")
        await wait_for(pilot, app, HelpScreen)
        await pilot.press("escape")


async def test_o_around_a_relu_problem_skips_the_gradients_and_restores_bias_and_relu():
    """bias-relu: transposed, maxpool, avgpool, then the gradients are skipped (they take
    no ReLU, the notice says so) and conv comes back with its bias and ReLU."""
    start = resolve("bias-relu").spec
    app = ConvolutionApp(resolve("bias-relu"))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(4):
            await pilot.press("o")
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
        await wait_for(pilot, app, ExplorerScreen)
        assert app.screen.steps.spec.options() == start.options()
        messages = [n.message for n in app._notifications]
        assert any("skipped grad-input" in m and "grad-weight" in m and "relu" in m
                   for m in messages), messages


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("name", ["maxpool", "transposed"])
async def test_the_first_frame_of_an_operation_has_its_final_panels(monkeypatch, name, size):
    """The operation's panels are sized for the terminal before the first layout: sized
    after it, the first frame showed them an equal share wide with large cells."""
    from eigenvue_tui.screens.line_updates import LineCompositor

    first: list[list[int]] = []
    real_full = LineCompositor.render_full_update

    def widths(app) -> list[int]:
        return [panel.region.width for panel in app.screen.query(".op-panel")]

    def render_full_update(self, *args, **kwargs):
        if not first and app.screen.query(".op-panel"):
            first.append(widths(app))
        return real_full(self, *args, **kwargs)

    monkeypatch.setattr(LineCompositor, "render_full_update", render_full_update)
    app = ConvolutionApp(resolve(name))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert first == [widths(app)]
