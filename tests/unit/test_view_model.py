"""What the screen is told at a step (pure, no Textual), checked against the oracle."""

from __future__ import annotations

import numpy as np
import pytest

from eigenvue_tui.engine import Phase, Steps
from eigenvue_tui.presets import catalogue, resolve
from eigenvue_tui.view_model import MAX_TERMS_SHOWN, explain, frame_at, watch_values
from oracle import conv2d

# The view model draws conv; the other operations are not on screen yet.
PRESETS = [entry.name for entry in catalogue() if entry.op == "conv" and entry.view == "grid"]


def _oracle_output(spec) -> np.ndarray:
    return conv2d(spec.input.tolist(), spec.kernel.tolist(), **spec.options())


def _add_up(expression: str) -> float:
    """Evaluate ``b + x×w + x×(-w) …`` as written on screen."""
    total = 0.0
    for term in expression.split(" + "):
        product = 1.0
        for factor in term.split("×"):
            product *= float(factor.strip("()"))
        total += product
    return total


@pytest.mark.parametrize("name", PRESETS)
def test_write_explanation_is_the_dot_product_of_the_window(name):
    """The products a write step lists add up (with the bias) to the oracle's output cell."""
    spec = resolve(name).spec
    steps = Steps(spec)
    want = _oracle_output(spec)
    for position in range(min(steps.positions, 12)):
        step = steps[steps.write_step(position)]
        text = explain(steps, step)
        if steps.macs_per_position > MAX_TERMS_SHOWN:
            assert f"({steps.macs_per_position} products)" in text
            continue
        expression = text.split(", sum = ")[-1] if spec.activation == "relu" else text
        expression = expression.split(" = ", 1)[1].rsplit(" = ", 1)[0]
        assert _add_up(expression) == pytest.approx(step.sum)
        f, row, col = steps.coords(position)
        assert step.value == pytest.approx(want[f, row, col])


@pytest.mark.parametrize("name", ["default", "same-padding", "stride-2", "dilation-2", "flip"])
def test_frame_marks_the_cells_the_mac_reads(name):
    """The input cell drawn (padded coordinates) holds the factor the step multiplies."""
    spec = resolve(name).spec
    steps = Steps(spec)
    top, _, left, _ = spec.padding
    padded = np.pad(spec.input, ((0, 0), (top, spec.padding[1]), (left, spec.padding[3])))
    for index in range(len(steps)):
        frame = frame_at(steps, index)
        step = frame.step
        if step.phase is not Phase.MAC:
            assert frame.input_cell is None
            continue
        r, c = frame.input_cell
        assert padded[step.ch or 0, r, c] == step.input
        kr, kc = frame.kernel_cell
        assert spec.kernel[step.f or 0, step.ch or 0, kr, kc] == step.weight
        assert frame.window == (step.row * spec.stride[0], step.col * spec.stride[1])


def test_watch_list_shows_loop_variables_only_in_scope():
    steps = Steps(resolve("default").spec)
    at_init = dict(watch_values(steps, steps[0]))
    assert at_init["row"] == at_init["kr"] == at_init["sum"] == "–"
    mac = dict(watch_values(steps, steps[5]))
    step = steps[5]
    assert (mac["row"], mac["col"], mac["kr"], mac["kc"]) == tuple(
        str(v) for v in (step.row, step.col, step.kr, step.kc)
    )
    assert mac["product"] == f"{step.input} × {step.weight} = {step.input * step.weight}"


def test_same_cells_compares_what_a_grid_draws():
    """Equal values, labels and padding box draw the same; any one differing does not."""
    from eigenvue_tui.cells import CellGrid, same_cells

    values = np.arange(12.0).reshape(3, 4)
    base = CellGrid(values, row_base=-1, col_base=-1, real=(1, 1, 2, 3))
    assert same_cells(base, CellGrid(values.copy(), row_base=-1, col_base=-1, real=(1, 1, 2, 3)))
    changed = values.copy()
    changed[2, 3] = -1
    for other in (
        CellGrid(changed, row_base=-1, col_base=-1, real=(1, 1, 2, 3)),
        CellGrid(values, row_base=0, col_base=-1, real=(1, 1, 2, 3)),
        CellGrid(values, row_base=-1, col_base=-1, real=None),
        CellGrid(values, row_base=-1, col_base=-1, real=(1, 1, 2, 3), ready=False),
        CellGrid(values[:, :3], row_base=-1, col_base=-1, real=(1, 1, 2, 3)),
        CellGrid(values.astype(int), row_base=-1, col_base=-1, real=(1, 1, 2, 3)),
    ):
        assert not same_cells(base, other)
