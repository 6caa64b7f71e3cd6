"""Practice mode and play units, pure: stops, hidden cells, answer checking, score."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from test_engine import FAST, option_problems

import oracle
from eigenvue_tui import steps
from eigenvue_tui.formatting import format_number
from eigenvue_tui.play import next_stop
from eigenvue_tui.practice import Practice

INPUT = [[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2], [0, 1, 2, 3]]
KERNEL = [[1, 0], [0, -1]]


def test_size_first_then_each_cell_in_loop_order():
    s = steps(INPUT, KERNEL)
    want = oracle.conv2d(INPUT, KERNEL)[0]
    p = Practice(s)
    assert p.stop == 0 and p.asking(0) and p.hidden(0) is None
    assert not p.answer("4x4").right and p.score == "0/1 right first try"
    assert p.answer("3×3").right and p.score == "0/1 right first try"  # a retry scores nothing
    block = 2 + 4
    for position in range(9):
        row, col = divmod(position, 3)
        assert p.stop == block * (position + 1)  # the write step, counted from the definition
        assert p.hidden(p.stop) == (0, row, col) and p.hidden(p.stop - 1) is None
        assert p.answer(str(int(want[row, col]))).right
    assert p.score == "9/10 right first try" and p.stop == len(s) - 1
    assert not p.asking(p.stop)


def test_wrong_answer_shows_the_terms_then_retry_or_reveal():
    p = Practice(steps(INPUT, KERNEL), size_done=True)
    verdict = p.answer("3")
    assert not verdict.right
    assert "output[0][0] = 1×1 + 2×0 + 4×0 + 5×(-1)." in verdict.message
    assert "-4" not in verdict.message.split("Try again")[0]
    assert not p.answer("x").right and p.done == 0
    verdict = p.answer("?")
    assert "= -4" in verdict.message and p.done == 1 and p.score == "0/1 right first try"
    assert p.answer("?").message.startswith("The answer: output[0][1]")
    assert p.score == "0/2 right first try"


@FAST
@given(option_problems())
def test_the_value_as_shown_is_accepted_and_a_near_miss_is_not(problem):
    x, k, options = problem
    assume(oracle.Problem(x, k, **options).fits)
    s = steps(x, k, **options)
    want = oracle.conv2d(x, k, **options)
    p = Practice(s, size_done=True)
    f, row, col = s.coords(0)
    value = float(want[f, row, col])
    miss = value + max(abs(value) * 0.01, 1)
    assert not p.answer(format_number(miss)).right
    assert p.answer(format_number(value)).right and p.done == 1


@pytest.mark.parametrize("unit", ["multiply-add", "output cell", "output row"])
def test_play_units_from_every_step(unit):
    s = steps(INPUT, KERNEL, padding="same")
    block, width, positions = 2 + 4, 4, 16
    writes = [block * (p + 1) for p in range(positions)]
    for index in range(len(s)):
        got = next_stop(s, index, unit)
        if index == len(s) - 1:
            assert got == index
        elif unit == "multiply-add":
            assert got == index + 1
        else:
            later = [w for w in writes if w > index]
            if unit == "output row":
                later = [w for w in later if (w // block) % width == 0]
            assert got == (later[0] if later else len(s) - 1)
