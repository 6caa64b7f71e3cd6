"""The lazy engine: no sums at construction, every step without them, floats bit for bit.

The reference for the numbers is the oracle's pseudocode loop (``sum += x * w``
in plain Python, in loop order), compared exactly: same value, same type, same
sign of zero.
"""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_engine import draw_options, grid, option_problems

import oracle
from eigenvue_tui import Phase, SumsCancelled, engine, steps

MANY = settings(max_examples=150, deadline=None)

# Floats that round differently in every order: tiny, huge, negative zero.
awkward_floats = st.one_of(
    st.floats(-100, 100, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.1, -0.0, 1e-7, 3.3333333, 1e6, -1e6, 0.7]),
)


@st.composite
def float_problems(draw):
    """Float grids with channels and filters and every option; the bias is an int or a float."""
    c, f = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    h, w = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    x = [grid(draw, h, w, awkward_floats) for _ in range(c)]
    k = [[grid(draw, kh, kw, awkward_floats) for _ in range(c)] for _ in range(f)]
    return x, k, draw_options(draw, st.one_of(st.integers(-5, 5), awkward_floats), f)


def same(got, want) -> bool:
    """Equal, of the same type, and with the same sign (``-0.0`` is not ``0.0`` here)."""
    if type(got) is not type(want) or got != want:
        return False
    return not isinstance(got, float) or math.copysign(1, got) == math.copysign(1, want)


def bits(array: np.ndarray) -> np.ndarray:
    return array.view(np.uint64) if array.dtype.kind == "f" else array


@given(st.one_of(float_problems(), option_problems()))
@settings(max_examples=300, deadline=None)
def test_steps_are_bit_identical_to_the_pseudocode_order(problem):
    """Floats mostly; ints and plain 2-D problems too. Before and after the sums exist."""
    x, k, options = problem
    assume(oracle.Problem(x, k, **options).fits)
    s = steps(x, k, **options)
    expected = oracle.expected_steps(x, k, **options)
    relu = options.get("activation") == "relu"
    lazy = [s[i] for i in range(len(s))]
    assert not s.sums_ready, "no step needs the whole-output sums"
    writes = []
    for got, want in zip(lazy, expected, strict=True):
        if got.phase in (Phase.RESET, Phase.MAC, Phase.WRITE):
            assert same(got.sum, want["sum"]), (got, want)
        if got.phase is Phase.MAC:
            assert same(got.product, want["product"]), (got, want)
        if got.phase is Phase.WRITE:
            writes.append(got)
            assert got.value == (max(0, got.sum) if relu else got.sum)
            if not relu:
                assert same(got.value, got.sum)
    cells = [(w.f or 0, w.row, w.col) for w in writes]
    early_sums = [s.cell_sum(*cell) for cell in cells]
    early_values = [s.cell_value(*cell) for cell in cells]
    assert not s.sums_ready
    # The vectorised whole-output sums agree bit for bit with the steps.
    assert np.array_equal(bits(s.sums.ravel()), bits(np.array([w.sum for w in writes])))
    assert np.array_equal(bits(s.output.ravel()), bits(np.array([w.value for w in writes])))
    assert all(map(same, early_sums, [w.sum for w in writes]))
    assert all(map(same, early_values, [w.value for w in writes]))
    assert all(map(same, [s.cell_value(*c) for c in cells], early_values))
    # Once the sums exist, write steps read them: still the same records.
    assert s.sums_ready
    assert [s[i] for i in range(len(s))] == lazy == list(s)


@given(float_problems(), st.lists(st.integers(0, 10**6), min_size=1, max_size=40),
       st.lists(st.integers(-3, 3), max_size=40))
@settings(max_examples=80, deadline=None)
def test_jumps_and_steps_in_any_order_give_the_same_records(problem, jumps, moves):
    """Random jumps, then stepping on or back through the window cache, from a fresh engine."""
    x, k, options = problem
    assume(oracle.Problem(x, k, **options).fits)
    reference = list(steps(x, k, **options))
    s = steps(x, k, **options)
    for jump in jumps:
        i = jump % len(s)
        assert s[i] == reference[i]
        for move in moves:
            i = min(max(i + move, 0), len(s) - 1)
            assert s[i] == reference[i]
    assert not s.sums_ready


@pytest.fixture
def no_whole_sums(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the whole-output sums were computed")

    monkeypatch.setattr(engine, "all_sums", refuse)


def test_building_and_reading_steps_never_computes_the_whole_output(no_whole_sums):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 30, 40)).tolist()
    k = rng.normal(size=(3, 2, 5, 5)).tolist()
    s = steps(x, k, padding="same", stride=2, bias=[1, -2.5, 0.5], activation="relu")
    for i in rng.integers(0, len(s), size=300).tolist():
        s[i]
    tail = list(s.iter_from(len(s) - 3 * s.block))
    assert tail[-1].phase == Phase.DONE
    s.cell_value(2, 14, 19)
    assert not s.sums_ready
    with pytest.raises(AssertionError, match="whole-output"):
        s.output  # noqa: B018


def filters_problem():
    """Three filters of 96×96: three blocks of work, so a cancel lands in between."""
    rng = np.random.default_rng(9)
    x = rng.integers(-9, 10, size=(2, 100, 100))
    k = rng.integers(-3, 4, size=(3, 2, 5, 5))
    return x, k


def test_progress_rises_to_one_and_the_sums_are_the_oracles():
    x, k = filters_problem()
    s = steps(x, k)
    seen: list[float] = []
    s.compute_sums(progress=seen.append)
    assert s.sums_ready
    assert seen[0] == 0 and seen[-1] == 1.0 and len(seen) >= 3
    assert seen == sorted(seen) and all(0 <= p <= 1 for p in seen)
    assert np.array_equal(s.output, oracle.conv2d(x.tolist(), k.tolist()))
    assert s.partial_range == min_max_running(x, k)


def min_max_running(x, k) -> tuple[int, int]:
    shown = [e["sum"] for e in oracle.expected_steps(x.tolist(), k.tolist()) if "sum" in e]
    return min(shown), max(shown)


def test_cancel_keeps_nothing_and_a_later_call_finishes():
    x, k = filters_problem()
    s = steps(x, k)
    asked = []

    def cancelled() -> bool:
        asked.append(True)
        return len(asked) >= 2

    with pytest.raises(SumsCancelled):
        s.compute_sums(cancelled=cancelled)
    assert not s.sums_ready
    assert s._result is None
    assert np.array_equal(s.output, oracle.conv2d(x.tolist(), k.tolist()))
    assert s.sums_ready


def test_many_threads_compute_the_sums_once(monkeypatch):
    x, k = filters_problem()
    s = steps(x, k)
    calls = []
    real = engine.all_sums

    def counted(*args, **kwargs):
        calls.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "all_sums", counted)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(s.output)) for _ in range(4)]
    threads.append(threading.Thread(target=s.compute_sums))
    for thread in threads:
        thread.start()
    mine = s.sums
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert all(out is s.output for out in seen)
    assert mine is s.sums
    assert np.array_equal(s.output, oracle.conv2d(x.tolist(), k.tolist()))
