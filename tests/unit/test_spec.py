"""Validation: every bad problem is a one-line ``SpecError``; good edge cases pass."""

from __future__ import annotations

import math

import numpy as np
import pytest

from eigenvue_tui.spec import MAX_INPUT_SIDE, MAX_KERNEL_SIDE, SpecError, make_spec

OK_INPUT = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
OK_KERNEL = [[1, 0], [0, 1]]


def refused(match: str, input=OK_INPUT, kernel=OK_KERNEL, **options) -> str:
    """Assert ``make_spec`` refuses with a one-line message containing ``match``."""
    with pytest.raises(SpecError) as caught:
        make_spec(input, kernel, **options)
    message = str(caught.value)
    assert message and "\n" not in message
    assert match.lower() in message.lower(), message
    return message


@pytest.mark.parametrize(
    ("input", "kernel", "match"),
    [
        ([[1, 2, 3], [4, 5]], OK_KERNEL, "input[1]"),
        (OK_INPUT, [[1, 0], [0]], "kernel[1]"),
        ([[1, 2], 3], OK_KERNEL, "input[1]"),
        ([[[1, 2], [3, 4]], [[1, 2]]], [[[1]], [[1]]], "same length"),
    ],
    ids=["ragged-input", "ragged-kernel", "row-not-a-list", "ragged-channel"],
)
def test_ragged(input, kernel, match):
    message = refused(match, input, kernel)
    assert "length" in message or "list" in message


def test_ragged_2d_message_speaks_of_rows():
    message = refused("row", [[1, 2, 3], [4, 5]], OK_KERNEL)
    assert "input[1]" in message and "2" in message and "3" in message


@pytest.mark.parametrize(
    ("input", "kernel", "where"),
    [([], OK_KERNEL, "input"), ([[]], OK_KERNEL, "input"),
     (OK_INPUT, [], "kernel"), (OK_INPUT, [[]], "kernel"),
     ([[[]]], [[[1]]], "input")],
    ids=["input-[]", "input-[[]]", "kernel-[]", "kernel-[[]]", "input-[[[]]]"],
)
def test_empty(input, kernel, where):
    message = refused("empty", input, kernel)
    assert where in message


@pytest.mark.parametrize(
    ("bad", "shown"),
    [("7", "'7'"), (None, "null"), ({"a": 1}, "not a number"), (1 + 2j, "not a number")],
    ids=["string", "null", "object", "complex"],
)
def test_non_number(bad, shown):
    message = refused("not a number", [[1, 2], [3, bad]], [[1]])
    assert "input[1][1]" in message
    assert shown in message


@pytest.mark.parametrize("bad", [True, False])
def test_boolean(bad):
    message = refused("not a number", [[1, 2], [3, 4]], [[bad]])
    assert "kernel[0][0]" in message
    assert ("true" if bad else "false") in message


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_not_finite(bad):
    message = refused("finite", [[1, 2], [bad, 4]], [[1]])
    assert "input[1][0]" in message


def test_not_finite_in_numpy_array():
    refused("finite", np.array([[1.0, np.nan], [2.0, 3.0]]), [[1]])


@pytest.mark.parametrize(
    ("input", "kernel"),
    [(OK_INPUT, [[1] * 4] * 4), (OK_INPUT, [[1]] * 4), (OK_INPUT, [[1] * 4]),
     ([[1, 2, 3, 4, 5]], [[1], [1]])],
    ids=["both-sides", "taller", "wider", "non-square"],
)
def test_kernel_larger_than_input(input, kernel):
    message = refused("larger", input, kernel)
    assert "input" in message and "kernel" in message


def test_kernel_as_large_as_input_is_fine():
    spec = make_spec(OK_INPUT, [[1, 2, 3]] * 3)
    assert (spec.out_height, spec.out_width) == (1, 1)


def test_input_over_the_size_limit():
    side = MAX_INPUT_SIDE + 1
    refused("limit", [[0] * side], [[1]])
    refused("limit", [[0]] * side, [[1]])


def test_kernel_over_the_size_limit():
    side = MAX_KERNEL_SIDE + 1
    grid = np.zeros((side, side), dtype=int)
    refused("limit", grid, grid)


def test_documented_limits_admit_1024_input_and_31_kernel():
    assert MAX_INPUT_SIDE >= 1024 and MAX_KERNEL_SIDE >= 31
    x = np.arange(1024 * 1024, dtype=np.int64).reshape(1024, 1024) % 7
    k = np.ones((31, 31), dtype=np.int64)
    spec = make_spec(x.tolist(), k.tolist())
    assert (spec.out_height, spec.out_width) == (994, 994)


@pytest.mark.parametrize("name", ["stride", "dilation"])
@pytest.mark.parametrize("value", [0, -1, (1, 0), "0,1", [0, 2]])
def test_stride_and_dilation_at_least_one(name, value):
    refused(name, **{name: value})


@pytest.mark.parametrize("name", ["stride", "dilation"])
@pytest.mark.parametrize("value", [1.5, "x", True, (1, 2, 3)])
def test_stride_and_dilation_must_be_whole_numbers(name, value):
    refused(name, **{name: value})


@pytest.mark.parametrize("value", [-1, (0, -1), "1,1,-1,0", [-2, 0, 0, 0]])
def test_negative_padding(value):
    refused("negative", padding=value)


@pytest.mark.parametrize("value", ["middle", "sam", "", 1.5, (1, 2, 3)])
def test_unknown_padding(value):
    refused("padding", padding=value)


@pytest.mark.parametrize(
    ("input", "kernel"),
    [
        (np.zeros((2, 3, 3)).tolist(), np.zeros((3, 2, 2)).tolist()),
        (np.zeros((3, 3, 3)).tolist(), np.zeros((2, 2, 2, 2)).tolist()),
        (np.zeros((2, 3, 3)).tolist(), np.zeros((2, 2)).tolist()),
        (np.zeros((3, 3)).tolist(), np.zeros((2, 2, 2)).tolist()),
    ],
    ids=["2ch-vs-3ch", "3ch-vs-2ch-filters", "channels-vs-2d-kernel", "2d-vs-channel-kernel"],
)
def test_channel_mismatch(input, kernel):
    refused("channels", input, kernel)


def test_input_rank_wrong():
    refused("grid", [1, 2, 3], OK_KERNEL)
    refused("grid", OK_INPUT, [1, 2])


@pytest.mark.parametrize(
    ("kernel", "bias"),
    [(OK_KERNEL, [1, 2]), (OK_KERNEL, []),
     (np.zeros((2, 1, 2, 2)).tolist(), [1]), (np.zeros((2, 1, 2, 2)).tolist(), [1, 2, 3])],
    ids=["1-filter-2-bias", "1-filter-0-bias", "2-filters-1-bias", "2-filters-3-bias"],
)
def test_bias_of_wrong_length(kernel, bias):
    input = OK_INPUT if np.asarray(kernel).ndim == 2 else [OK_INPUT]
    refused("bias", input, kernel, bias=bias)


def test_bias_must_be_numbers():
    refused("bias", bias=["x"])
    refused("bias", bias=[math.nan])


def test_dilated_kernel_larger_than_padded_input():
    message = refused("dilation", dilation=3)  # footprint 4×4 on a 3×3 input
    assert "4×4" in message and "3×3" in message
    spec = make_spec(OK_INPUT, OK_KERNEL, dilation=3, padding=1)  # 5×5 padded: fits
    assert (spec.out_height, spec.out_width) == (2, 2)


def test_kernel_larger_than_input_but_padding_makes_it_fit():
    spec = make_spec([[1, 2], [3, 4]], np.ones((3, 3), dtype=int).tolist(), padding=1)
    assert (spec.out_height, spec.out_width) == (2, 2)


def test_unknown_activation_and_bad_flip():
    refused("activation", activation="tanh")
    refused("flip", flip="yes")


def test_integer_problems_stay_integer_and_mixed_become_float():
    assert make_spec(OK_INPUT, OK_KERNEL).integral
    assert not make_spec(OK_INPUT, [[0.5, 0], [0, 1]]).integral
    assert not make_spec(OK_INPUT, OK_KERNEL, bias=[0.5]).integral


def test_padding_forms_resolve_to_top_bottom_left_right():
    assert make_spec(OK_INPUT, OK_KERNEL, padding=2).padding == (2, 2, 2, 2)
    assert make_spec(OK_INPUT, OK_KERNEL, padding=(1, 2)).padding == (1, 1, 2, 2)
    assert make_spec(OK_INPUT, OK_KERNEL, padding="1,2,3,0").padding == (1, 2, 3, 0)
    assert make_spec(OK_INPUT, OK_KERNEL, padding="valid").padding == (0, 0, 0, 0)
    assert make_spec(OK_INPUT, OK_KERNEL, padding="full").padding == (1, 1, 1, 1)
    assert make_spec(OK_INPUT, OK_KERNEL, padding="same").padding == (0, 1, 0, 1)
    assert make_spec(OK_INPUT, OK_KERNEL, stride="2,1").stride == (2, 1)
    assert make_spec(OK_INPUT, OK_KERNEL, dilation=[1, 2]).dilation == (1, 2)


@pytest.mark.parametrize(
    "options",
    [
        {"padding": 10**20},
        {"padding": 20000},
        {"padding": "full", "dilation": 10**6},
        {"padding": [0, 0, 3000, 0]},
    ],
)
def test_padding_that_would_exhaust_memory_is_refused(options):
    """The padded input is bounded before anything is allocated."""
    with pytest.raises(SpecError, match="over the limit"):
        make_spec([[1, 2], [3, 4]], [[1, 1], [1, 1]], **options)


def test_largest_documented_problem_with_full_padding_is_accepted():
    grid = np.zeros((1024, 1024), dtype=int).tolist()
    spec = make_spec(grid, np.ones((31, 31), dtype=int).tolist(), padding="full")
    assert spec.padding == (30, 30, 30, 30)


def test_too_many_padded_cells_with_channels_is_refused():
    grid = np.zeros((16, 600, 600), dtype=int).tolist()
    with pytest.raises(SpecError, match="cells"):
        make_spec(grid, np.ones((16, 3, 3), dtype=int).tolist())


def test_numpy_scalars_in_lists_are_numbers():
    spec = make_spec([[np.int64(1), np.int64(2)]], [[np.float64(0.5)]])
    assert spec.input.tolist() == [[[1.0, 2.0]]]


def test_activation_must_be_a_word():
    with pytest.raises(SpecError, match="activation"):
        make_spec([[1]], [[1]], activation=None)
