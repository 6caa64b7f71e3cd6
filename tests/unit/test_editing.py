"""Edit mode's changes (issue 7 §3), checked against numpy edits of the same grids.

Each expected grid is built here with plain numpy (``np.insert``/``np.delete``/item
assignment on a copy of the preset's numbers as written), never by the module under test.
"""

from __future__ import annotations

import numpy as np
import pytest

from eigenvue_tui import editing
from eigenvue_tui.editing import Target
from eigenvue_tui.spec import SpecError, make_spec

INPUT = [[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2], [0, 1, 2, 3]]
KERNEL = [[1, 0], [0, -1]]


def seed(**options):
    return make_spec(INPUT, KERNEL, **options)


def test_set_cell_changes_one_cell_and_keeps_the_options():
    spec = seed(stride=2, padding="same", flip=True, bias=3, activation="relu")
    new = editing.set_cell(spec, Target("input", 2, 1), 50)
    expected = np.array(INPUT)
    expected[2, 1] = 50
    assert new.input[0].tolist() == expected.tolist()
    assert new.kernel.tolist() == spec.kernel.tolist()
    assert new.options() == spec.options() and new.padding == spec.padding
    assert spec.input[0, 2, 1] == 8  # the old problem is untouched


def test_a_float_makes_the_grids_float():
    new = editing.set_cell(seed(), Target("kernel", 0, 1), 0.5)
    assert not new.integral and new.kernel[0, 0].tolist() == [[1, 0.5], [0, -1]]


def test_set_cell_on_a_channel_and_a_filter_slice():
    inputs = np.arange(2 * 3 * 3).reshape(2, 3, 3)
    kernel = np.ones((2, 2, 2, 2), dtype=int)
    spec = make_spec(inputs.tolist(), kernel.tolist())
    new = editing.set_cell(spec, Target("input", 0, 2, channel=1), -7)
    expected = inputs.copy()
    expected[1, 0, 2] = -7
    assert new.input.tolist() == expected.tolist()
    new = editing.set_cell(spec, Target("kernel", 1, 0, channel=1, filter=1), 9)
    expected_k = kernel.copy()
    expected_k[1, 1, 1, 0] = 9
    assert new.kernel.tolist() == expected_k.tolist() and new.kernel_rank == 4


@pytest.mark.parametrize(("axis", "after", "index"), [("row", True, 2), ("row", False, 1),
                                                     ("col", True, 3), ("col", False, 2)])
def test_insert_a_line_of_zeros(axis, after, index):
    new = editing.insert_line(seed(), Target("input", 1, 2), axis, after)
    expected = np.insert(np.array(INPUT), index, 0, axis=0 if axis == "row" else 1)
    assert new.input[0].tolist() == expected.tolist()


def test_insert_in_the_kernel_reaches_every_slice():
    spec = make_spec(np.zeros((2, 4, 4), int).tolist(), np.ones((3, 2, 2, 2), int).tolist())
    new = editing.insert_line(spec, Target("kernel", 0, 0), "col", True)
    assert new.kernel.shape == (3, 2, 2, 3)
    assert (new.kernel[:, :, :, 1] == 0).all() and (new.kernel[:, :, :, [0, 2]] == 1).all()


def test_the_kernel_may_not_grow_past_the_input():
    spec = make_spec([[1, 2], [3, 4]], [[1, 1], [1, 1]], padding="full")
    with pytest.raises(SpecError, match="may not grow past the input"):
        editing.insert_line(spec, Target("kernel", 0, 0), "row", True)


def test_remove_a_line():
    new = editing.remove_line(seed(), Target("input", 3, 0), "row")
    assert new.input[0].tolist() == INPUT[:3]
    new = editing.remove_line(seed(), Target("kernel", 0, 0), "col")
    assert new.kernel[0, 0].tolist() == [[0], [-1]]


def test_removing_that_the_engine_refuses_is_an_error():
    one_row = make_spec([[1, 2, 3]], [[1]])
    with pytest.raises(SpecError, match="only one row"):
        editing.remove_line(one_row, Target("input"), "row")
    small = make_spec([[1, 2], [3, 4]], [[1, 1], [1, 1]])
    with pytest.raises(SpecError, match="larger than input"):
        editing.remove_line(small, Target("input"), "row")


def test_random_fills_only_the_plane_under_the_cursor():
    inputs = np.full((2, 5, 5), 100)
    spec = make_spec(inputs.tolist(), np.full((2, 3, 3), 7).tolist())
    rng = np.random.default_rng(1)
    new = editing.randomized(spec, Target("input", channel=1), rng)
    assert (new.input[0] == 100).all()
    low, high = editing.RANDOM_INPUT
    assert new.input[1].min() >= low and new.input[1].max() <= high
    assert len(np.unique(new.input[1])) > 1 and new.integral
    new = editing.randomized(spec, Target("kernel"), rng)
    low, high = editing.RANDOM_KERNEL
    assert new.kernel[0, 0].min() >= low and new.kernel[0, 0].max() <= high
    assert (new.kernel[0, 1] == 7).all()


@pytest.mark.parametrize("text", ["3", "-2", "0.25", " 7 ", "-0.5"])
def test_parse_value_takes_json_numbers(text):
    assert editing.parse_value(text, "input[0][0]") == float(text)


@pytest.mark.parametrize(("text", "words"), [("1e9", "beyond the limit"), ("--1", "not a number"),
                                             ("1.2.3", "not a number"), ("", "not a number"),
                                             ("-", "not a number"), ("true", "not a number")])
def test_parse_value_refuses_what_a_preset_refuses(text, words):
    with pytest.raises(SpecError, match=words):
        editing.parse_value(text, "input[0][0]")


def test_moves_stay_inside_and_tab_visits_every_plane():
    spec = make_spec(np.zeros((2, 3, 4), int).tolist(), np.ones((2, 2, 2, 2), int).tolist())
    assert editing.moved(spec, Target("input"), -1, 9) == Target("input", 0, 3)
    target = Target("input", 2, 3)
    seen = []
    for _ in range(6):
        seen.append((target.grid, target.channel, target.filter))
        target = editing.next_plane(spec, target)
    assert seen == [("input", 0, 0), ("input", 1, 0), ("kernel", 0, 0), ("kernel", 1, 0),
                    ("kernel", 0, 1), ("kernel", 1, 1)]
    assert target == Target("input", 1, 1)  # clamped into the 2×2 kernel and kept there
    assert editing.next_plane(spec, Target("input"), -1).grid == "kernel"


def test_labels_index_as_a_preset_does():
    assert Target("input", 1, 2).label(seed()) == "input[1][2]"
    spec = make_spec(np.zeros((2, 3, 3), int).tolist(), np.ones((2, 2, 2, 2), int).tolist())
    assert Target("kernel", 1, 0, channel=1, filter=0).label(spec) == "kernel[0][1][1][0]"
