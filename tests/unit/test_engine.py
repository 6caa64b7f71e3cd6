"""The step engine against the independent oracle in ``tests/oracle.py``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.signal import convolve2d, correlate2d

import oracle
from eigenvue_tui import Phase, SpecError, steps
from eigenvue_tui.spec import make_spec

SEED_INPUT = [[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2], [0, 1, 2, 3]]
SEED_KERNEL = [[1, 0], [0, -1]]

# Issue 2, "The pseudocode, numbered (the app shows exactly this, line numbers included)".
SEED_LISTING = """\
 1  function convolve2D(input, kernel):
 2    H, W = dimensions(input)
 3    kH, kW = dimensions(kernel)
 4    outH = H - kH + 1
 5    outW = W - kW + 1
 6    output = zeros(outH, outW)
 7
 8    for row in range(outH):
 9      for col in range(outW):
10        sum = 0
11        for kr in range(kH):
12          for kc in range(kW):
13            sum += input[row+kr][col+kc] * kernel[kr][kc]
14        output[row][col] = sum
15    return output"""

SEED_LINES = {"init": 6, "reset": 10, "mac": 13, "write": 14, "done": 15}

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


# -- strategies ----------------------------------------------------------------

ints = st.integers(-9, 9)
floats = st.floats(-100, 100, allow_nan=False, allow_infinity=False, width=64)


def grid(draw, rows: int, cols: int, values) -> list[list]:
    return [[draw(values) for _ in range(cols)] for _ in range(rows)]


@st.composite
def plain_problems(draw):
    """A 2-D input up to 7×7 and a kernel no larger than it, ints or floats."""
    values = draw(st.sampled_from([ints, floats]))
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    kh, kw = draw(st.integers(1, h)), draw(st.integers(1, w))
    return grid(draw, h, w, values), grid(draw, kh, kw, values)


def pair_forms(low: int, high: int):
    """``S``, ``(SH, SW)``, ``[SH, SW]`` or ``"SH,SW"``."""
    a, b = st.integers(low, high), st.integers(low, high)
    return st.one_of(
        a,
        st.tuples(a, b),
        st.lists(a, min_size=2, max_size=2),
        st.tuples(a, b).map(lambda p: f"{p[0]},{p[1]}"),
    )


paddings = st.one_of(
    st.sampled_from(["valid", "same", "full", "SAME"]),
    st.integers(0, 2),
    st.tuples(st.integers(0, 2), st.integers(0, 2)),
    st.tuples(*[st.integers(0, 2)] * 4),
    st.tuples(*[st.integers(0, 2)] * 4).map(lambda p: ",".join(map(str, p))),
)


@st.composite
def option_problems(draw):
    """Grids (2-D, or channels with one or several filters) plus every option."""
    values = draw(st.sampled_from([ints, floats]))
    layout = draw(st.sampled_from(["2d", "channels", "filters"]))
    c = 1 if layout == "2d" else draw(st.integers(1, 3))
    f = draw(st.integers(1, 2)) if layout == "filters" else 1
    h, w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    planes = [grid(draw, h, w, values) for _ in range(c)]
    kernels = [[grid(draw, kh, kw, values) for _ in range(c)] for _ in range(f)]
    x = planes[0] if layout == "2d" else planes
    k = {"2d": kernels[0][0], "channels": kernels[0], "filters": kernels}[layout]
    return x, k, draw_options(draw, values, f)


def draw_options(draw, bias_values, filters: int) -> dict:
    """Any subset of the options, each in any of its accepted forms."""
    options: dict = {}
    if draw(st.booleans()):
        options["stride"] = draw(pair_forms(1, 3))
    if draw(st.booleans()):
        options["padding"] = draw(paddings)
    if draw(st.booleans()):
        options["dilation"] = draw(pair_forms(1, 2))
    if draw(st.booleans()):
        options["flip"] = True
    if draw(st.booleans()):
        bias = [draw(bias_values) for _ in range(filters)]
        options["bias"] = bias[0] if filters == 1 and draw(st.booleans()) else bias
    if draw(st.booleans()):
        options["activation"] = "relu"
    return options


# -- the seed ------------------------------------------------------------------


def test_seed_default_has_56_steps_and_scipy_output():
    s = steps(SEED_INPUT, SEED_KERNEL)
    assert len(s) == 56 == 2 + 9 * (4 + 2)
    want = correlate2d(np.array(SEED_INPUT), np.array(SEED_KERNEL), mode="valid")
    assert s.output_list() == want.tolist()
    done = s[-1]
    assert done.phase == Phase.DONE and done.step == 55


def test_seed_line_numbers():
    s = steps(SEED_INPUT, SEED_KERNEL)
    for step in s:
        assert step.line == SEED_LINES[step.phase], step
    assert {step.phase for step in s} == set(SEED_LINES)


def test_seed_listing_is_the_issue_pseudocode():
    s = steps(SEED_INPUT, SEED_KERNEL)
    assert "\n".join(line.rstrip() for line in s.listing.numbered()) == SEED_LISTING
    assert len(s.listing.lines) == 15
    for phase, line in SEED_LINES.items():
        assert SEED_LISTING.splitlines()[line - 1].startswith(f"{line:>2}  ")
        assert getattr(s.listing, f"{phase}_line") == line


@given(plain_problems())
@FAST
def test_plain_2d_listing_is_always_the_seed(problem):
    x, k = problem
    s = steps(x, k)
    assert "\n".join(line.rstrip() for line in s.listing.numbered()) == SEED_LISTING


def test_seed_every_step_matches_oracle():
    oracle.check_steps(steps(SEED_INPUT, SEED_KERNEL), SEED_INPUT, SEED_KERNEL, {})


def test_seed_trace_records_have_the_issue_fields():
    s = steps(SEED_INPUT, SEED_KERNEL)
    by_phase = {}
    for step in s:
        by_phase.setdefault(step.phase, step.to_dict())
    common = {"step", "phase", "line"}
    assert set(by_phase["init"]) == common
    assert set(by_phase["done"]) == common
    assert set(by_phase["reset"]) == common | {"row", "col", "sum"}
    assert set(by_phase["mac"]) == common | {
        "row", "col", "kr", "kc", "in_row", "in_col", "input", "weight", "product", "sum"}
    assert set(by_phase["write"]) == common | {"row", "col", "sum", "value"}


# -- properties of plain 2-D problems -------------------------------------------


@given(plain_problems())
@FAST
def test_plain_steps_match_oracle(problem):
    x, k = problem
    s = steps(x, k)
    h, w, kh, kw = len(x), len(x[0]), len(k), len(k[0])
    out_h, out_w = h - kh + 1, w - kw + 1
    assert len(s) == 2 + out_h * out_w * (kh * kw + 2)
    oracle.check_steps(s, x, k, {})
    want = correlate2d(np.array(x, dtype=float), np.array(k, dtype=float), mode="valid")
    assert oracle.close(s.output_list(), want)


@given(plain_problems())
@FAST
def test_phase_sequence_and_loop_order(problem):
    """init; per (row, col) reset, MACs in (kr, kc) order, write; done — by nested loops."""
    x, k = problem
    s = steps(x, k)
    kh, kw = len(k), len(k[0])
    out_h, out_w = len(x) - kh + 1, len(x[0]) - kw + 1
    want = [("init", None, None, None, None, None, None)]
    for row in range(out_h):
        for col in range(out_w):
            want.append(("reset", row, col, None, None, None, None))
            for kr in range(kh):
                for kc in range(kw):
                    want.append(("mac", row, col, kr, kc, row + kr, col + kc))
            want.append(("write", row, col, None, None, None, None))
    want.append(("done", None, None, None, None, None, None))
    got = [(str(t.phase), t.row, t.col, t.kr, t.kc, t.in_row, t.in_col) for t in s]
    assert got == want
    assert [t.step for t in s] == list(range(len(s)))


@given(plain_problems())
@FAST
def test_running_sums_are_cumulative_products(problem):
    x, k = problem
    s = steps(x, k)
    xs, ks = np.array(x), np.array(k)
    kh, kw = ks.shape
    window_products: list = []
    for t in s:
        if t.phase == Phase.RESET:
            window = xs[t.row : t.row + kh, t.col : t.col + kw]
            window_products = (window * ks).ravel().tolist()
            cumulative = np.cumsum(window_products).tolist()
            assert t.sum == 0
        elif t.phase == Phase.MAC:
            m = t.kr * kw + t.kc
            assert oracle.close(t.product, window_products[m])
            assert oracle.close(t.sum, cumulative[m])
        elif t.phase == Phase.WRITE:
            assert oracle.close(t.value, cumulative[-1])


@given(plain_problems())
@FAST
def test_write_sum_is_the_last_running_sum_exactly(problem):
    """The write's value is the very sum the MACs built (floats added in loop order)."""
    x, k = problem
    last_sum = None
    for t in steps(x, k):
        if t.phase == Phase.MAC:
            last_sum = t.sum
        elif t.phase == Phase.WRITE:
            assert t.value == last_sum
            assert t.sum == last_sum


@given(plain_problems())
@FAST
def test_random_access_equals_iteration(problem):
    x, k = problem
    s = steps(x, k)
    sequential = list(s)
    assert sequential == [s[i] for i in range(len(s))]
    assert sequential[::-1] == [s[-i] for i in range(1, len(s) + 1)]
    assert s[1:4] == sequential[1:4]
    assert s[::7] == sequential[::7]


@given(plain_problems())
@FAST
def test_filled_count_and_block_helpers(problem):
    x, k = problem
    s = steps(x, k)
    writes = 0
    resets = []
    write_steps = []
    for t in s:
        if t.phase == Phase.WRITE:
            writes += 1
            write_steps.append(t.step)
        if t.phase == Phase.RESET:
            resets.append(t.step)
        if t.phase == Phase.DONE:
            assert s.filled_count(t.step) == writes
        else:
            assert s.filled_count(t.step) == writes, t
    assert writes == s.positions
    assert [s.write_step(p) for p in range(s.positions)] == write_steps
    assert [s.reset_step(p) for p in range(s.positions)] == resets


def test_indexing_bounds():
    s = steps(SEED_INPUT, SEED_KERNEL)
    n = len(s)
    assert s[-1] == s[n - 1]
    assert s[-1].phase == Phase.DONE
    assert s[-n] == s[0]
    assert s[0].phase == Phase.INIT
    for bad in (n, n + 5, -n - 1, -10_000):
        with pytest.raises(IndexError):
            s[bad]
    with pytest.raises(TypeError):
        s[1.0]  # type: ignore[index]
    assert s[np.int64(3)] == s[3]


def test_steps_record_is_the_issue_fields_for_write():
    s = steps(SEED_INPUT, SEED_KERNEL)
    first_write = s[s.write_step(0)]
    assert first_write.phase == Phase.WRITE
    assert (first_write.row, first_write.col) == (0, 0)
    # output[0][0] = 1*1 + 2*0 + 4*0 + 5*(-1), computed by hand from the seed's grids.
    assert first_write.value == -4


def test_large_problem_is_lazy_and_random_access_agrees():
    """A 200×200 input with a 9×9 kernel: ~3.3 M steps, any step on demand."""
    rng = np.random.default_rng(7)
    x = rng.integers(-5, 6, size=(200, 200))
    k = rng.integers(-3, 4, size=(9, 9))
    s = steps(x, k)
    assert len(s) == 2 + 192 * 192 * (81 + 2)
    want = correlate2d(x, k, mode="valid")
    for index in rng.integers(0, len(s), size=200).tolist():
        t = s[index]
        if t.phase == Phase.WRITE:
            assert t.value == want[t.row, t.col]
        elif t.phase == Phase.MAC:
            window = x[t.row : t.row + 9, t.col : t.col + 9] * k
            m = t.kr * 9 + t.kc
            assert t.sum == int(window.ravel()[: m + 1].sum())
            assert t.input == x[t.in_row, t.in_col]
    assert s.output_list() == want.tolist()


# -- the oracle itself -------------------------------------------------------------


@given(plain_problems())
@FAST
def test_oracle_agrees_with_scipy(problem):
    x, k = problem
    xs, ks = np.array(x, dtype=float), np.array(k, dtype=float)
    assert oracle.close(oracle.conv2d(x, k)[0], correlate2d(xs, ks, mode="valid"))
    assert oracle.close(oracle.conv2d(x, k, flip=True)[0], convolve2d(xs, ks, mode="valid"))
    assert oracle.close(oracle.conv2d(x, k, padding="full")[0], correlate2d(xs, ks, mode="full"))
    assert oracle.close(oracle.conv2d_einsum(x, k), oracle.conv2d(x, k))


@given(option_problems())
@FAST
def test_oracle_formulations_agree(problem):
    x, k, options = problem
    p = oracle.Problem(x, k, **options)
    if not p.fits:
        return
    loops = oracle.conv2d(x, k, **options)
    assert oracle.close(loops, oracle.conv2d_einsum(x, k, **options))
    assert oracle.close(p.shaped(loops), oracle.expected_steps(x, k, **options)[-1]["output"])


# -- options (issue 3) -------------------------------------------------------------


@given(option_problems())
@FAST
def test_options_match_oracle(problem):
    x, k, options = problem
    p = oracle.Problem(x, k, **options)
    if not p.fits:
        with pytest.raises(SpecError):
            steps(x, k, **options)
        return
    s = steps(x, k, **options)
    assert len(s) == 2 + p.F * p.out_h * p.out_w * (p.C * p.kH * p.kW + 2)
    oracle.check_steps(s, x, k, options)


@given(option_problems(), st.integers(0, 10_000))
@settings(max_examples=30, deadline=None)
def test_iteration_from_any_step_equals_indexing(problem, start):
    """``iter_from(n)`` (the ``--trace --step n`` path) gives exactly steps n … last."""
    x, k, options = problem
    assume(oracle.Problem(x, k, **options).fits)
    s = steps(x, k, **options)
    start %= len(s)
    assert list(s.iter_from(start)) == [s[i] for i in range(start, len(s))]


@given(option_problems())
@settings(max_examples=30, deadline=None)
def test_partial_range_bounds_every_running_sum(problem):
    """The app sizes output cells from ``partial_range``: it is the min/max of all sums shown."""
    x, k, options = problem
    assume(oracle.Problem(x, k, **options).fits)
    s = steps(x, k, **options)
    shown = [e["sum"] for e in oracle.expected_steps(x, k, **options) if "sum" in e]
    low, high = s.partial_range
    assert np.isclose(low, min(shown)) and np.isclose(high, max(shown))


@given(option_problems())
@settings(max_examples=30, deadline=None)
def test_options_random_access_equals_iteration(problem):
    x, k, options = problem
    assume(oracle.Problem(x, k, **options).fits)
    s = steps(x, k, **options)
    assert list(s) == [s[i] for i in range(len(s))]


@given(option_problems())
@FAST
def test_options_listing_lines_name_their_phase(problem):
    x, k, options = problem
    assume(oracle.Problem(x, k, **options).fits)
    s = steps(x, k, **options)
    listing = s.listing
    text = listing.lines
    assert "zeros(" in text[listing.init_line - 1]
    assert text[listing.reset_line - 1].strip().startswith("sum = ")
    assert text[listing.mac_line - 1].strip().startswith("sum += input")
    assert text[listing.write_line - 1].strip().startswith("output")
    assert text[listing.done_line - 1].strip() == "return output"
    assert listing.done_line == len(text)
    assert (
        listing.init_line < listing.reset_line < listing.mac_line
        < listing.write_line < listing.done_line
    )


@given(
    h=st.integers(1, 9), w=st.integers(1, 9), kh=st.integers(1, 4), kw=st.integers(1, 4),
    sh=st.integers(1, 3), sw=st.integers(1, 3), dh=st.integers(1, 2), dw=st.integers(1, 2),
)
@FAST
def test_same_padding_keeps_ceil_size(h, w, kh, kw, sh, sw, dh, dw):
    x = np.ones((h, w), dtype=int).tolist()
    k = np.ones((kh, kw), dtype=int).tolist()
    spec = make_spec(x, k, padding="same", stride=(sh, sw), dilation=(dh, dw))
    assert spec.out_height == -(-h // sh)
    assert spec.out_width == -(-w // sw)
    t, b, left, r = spec.padding
    assert b - t in (0, 1) and r - left in (0, 1)
    assert (t, b, left, r) == oracle.resolve_padding("same", (h, w), (kh, kw), (sh, sw), (dh, dw))
    if sh == sw == 1:
        # PyTorch's padding='same': total padding d·(k-1) per axis, odd extra at the end.
        assert t + b == dh * (kh - 1) and left + r == dw * (kw - 1)


def test_same_padding_even_kernel_is_asymmetric():
    s = steps([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 1], [1, 1]], padding="same")
    assert s.spec.padding == (0, 1, 0, 1)
    assert (s.spec.out_height, s.spec.out_width) == (3, 3)
    # Hand-computed: bottom/right zero row/column.
    assert s.output_list() == [[12, 16, 9], [24, 28, 15], [15, 17, 9]]


@given(h=st.integers(1, 6), w=st.integers(1, 6), kh=st.integers(1, 4), kw=st.integers(1, 4),
       dh=st.integers(1, 3), dw=st.integers(1, 3))
@FAST
def test_full_padding_is_dilated_reach(h, w, kh, kw, dh, dw):
    x = np.ones((h, w), dtype=int).tolist()
    k = np.ones((kh, kw), dtype=int).tolist()
    spec = make_spec(x, k, padding="full", dilation=(dh, dw))
    ph, pw = dh * (kh - 1), dw * (kw - 1)
    assert spec.padding == (ph, ph, pw, pw)
    assert spec.out_height == h + dh * (kh - 1)
    assert spec.out_width == w + dw * (kw - 1)


@given(plain_problems())
@FAST
def test_flip_is_scipy_convolve2d(problem):
    x, k = problem
    s = steps(x, k, flip=True)
    want = convolve2d(np.array(x, dtype=float), np.array(k, dtype=float), mode="valid")
    assert oracle.close(s.output_list(), want)


def test_flip_weight_is_rotated_kernel():
    k = [[1, 2], [3, 4]]
    s = steps([[1, 0, 0], [0, 0, 0], [0, 0, 0]], k, flip=True)
    macs = [t for t in s if t.phase == Phase.MAC and t.row == 0 and t.col == 0]
    assert [t.weight for t in macs] == [4, 3, 2, 1]


def test_relu_zeroes_negative_writes_but_keeps_the_sum():
    s = steps([[1, 2], [3, 4]], [[-1]], bias=[0.5], activation="relu")
    writes = [t for t in s if t.phase == Phase.WRITE]
    assert [t.sum for t in writes] == [-0.5, -1.5, -2.5, -3.5]
    assert [t.value for t in writes] == [0, 0, 0, 0]
    resets = [t for t in s if t.phase == Phase.RESET]
    assert all(t.sum == 0.5 for t in resets)


def test_padding_flag_and_zero_input_in_padding():
    s = steps([[5]], [[1, 1], [1, 1]], padding=1)
    macs = [t for t in s if t.phase == Phase.MAC]
    assert len(macs) == 4 * 4
    for t in macs:
        real = (t.in_row, t.in_col) == (0, 0)
        assert t.padding is (not real)
        assert t.input == (5 if real else 0)
        assert -1 <= t.in_row <= 1 and -1 <= t.in_col <= 1


def test_channels_and_filters_step_count_and_output():
    rng = np.random.default_rng(3)
    x = rng.integers(-4, 5, size=(3, 5, 6))
    k = rng.integers(-2, 3, size=(2, 3, 2, 3))
    s = steps(x, k, bias=[1, -1])
    assert len(s) == 2 + 2 * 4 * 4 * (3 * 2 * 3 + 2)
    want = np.stack([
        sum(correlate2d(x[c], k[f, c], mode="valid") for c in range(3)) + b
        for f, b in enumerate([1, -1])
    ])
    assert s.output_list() == want.tolist()


@pytest.mark.parametrize(
    ("options", "present", "absent"),
    [
        ({}, [], ["sH", "dH", "pad(", "bias", "max(0", "for ch", "for f", "kH-1-kr"]),
        ({"stride": 2}, ["row*sH", "col*sW"], ["dH", "pad("]),
        ({"dilation": 2}, ["kr*dH", "kc*dW"], ["sH", "pad("]),
        ({"padding": 1}, ["pad(input"], ["sH", "dH"]),
        ({"flip": True}, ["kernel[kH-1-kr][kW-1-kc]"], ["sH", "dH", "pad("]),
        ({"bias": [2], "activation": "relu"}, ["sum = bias", "max(0, sum)"], ["sH"]),
    ],
)
def test_listing_shows_only_the_lines_options_need(options, present, absent):
    text = "\n".join(steps([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, 1]],
                           **options).listing.lines)
    for needle in present:
        assert needle in text
    for needle in absent:
        assert needle not in text


def test_listing_with_channels_and_filters_has_their_loops():
    x = np.zeros((2, 3, 3), dtype=int)
    one = "\n".join(steps(x, np.zeros((2, 2, 2), dtype=int)).listing.lines)
    many = "\n".join(steps(x, np.zeros((3, 2, 2, 2), dtype=int)).listing.lines)
    assert "for ch in range(C):" in one and "for f in range(F):" not in one
    assert "for ch in range(C):" in many and "for f in range(F):" in many
    assert many.index("for f") < many.index("for row") < many.index("for col")
    assert many.index("sum = ") < many.index("for ch") < many.index("for kr")


def test_default_options_are_exactly_the_seed():
    plain = steps(SEED_INPUT, SEED_KERNEL)
    explicit = steps(SEED_INPUT, SEED_KERNEL, stride=1, padding="valid", dilation=1,
                     flip=False, bias=None, activation="none")
    assert list(plain) == list(explicit)
    assert plain.listing == explicit.listing
    assert [t.to_dict() for t in plain] == [t.to_dict() for t in explicit]
