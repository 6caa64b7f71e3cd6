"""Transposed convolution, pooling, the backward pass and im2col against ``ops_oracle``.

Every step of hypothesis-generated problems is compared with the oracle's loop
nest; random access (``steps[i]``), ``iter_from`` and iteration must agree.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ops_oracle as oo
from eigenvue_tui import Im2col, make_problem, steps
from eigenvue_tui.engine import Steps
from eigenvue_tui.spec import SpecError
from eigenvue_tui.transposed import equivalent_conv

EXAMPLES = settings(max_examples=40, deadline=None)
values = st.integers(-9, 9)


def grid(draw, *shape: int, elements=values) -> list:
    if len(shape) == 1:
        return draw(st.lists(elements, min_size=shape[0], max_size=shape[0]))
    return [grid(draw, *shape[1:], elements=elements) for _ in range(shape[0])]


def check_sequence(seq, expected: list[dict]) -> None:
    """Iteration equals the oracle's records; indexing and ``iter_from`` equal iteration."""
    got = list(seq)
    assert len(seq) == len(expected) == len(got) == seq.last + 1
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        record = g.to_dict()
        assert record["step"] == i
        assert record["line"] == seq.listing.line(
            "skipped" if record.get("skipped") else g.phase)
        want = {k: v for k, v in e.items() if k != "output"}
        assert {k: v for k, v in record.items() if k not in ("step", "line")}.keys() == \
            want.keys(), (record, want)
        for key, value in want.items():
            assert oo.same(record[key], value), (key, record, want)
    assert oo.same(seq.output_list(), expected[-1]["output"])
    picks = sorted({0, 1, len(seq) // 2, len(seq) - 2, len(seq) - 1})
    for i in picks:
        assert seq[i] == got[i]
        assert seq[i - len(seq)] == got[i]
        assert list(seq.iter_from(i)) == got[i:]


# -- transposed -----------------------------------------------------------------


@st.composite
def transposed_problems(draw):
    channels = draw(st.booleans())
    c_in, c_out = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if channels else (1, 1)
    h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    p = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    op = tuple(draw(st.integers(0, max(s[a], d[a]) - 1)) for a in range(2))
    x = grid(draw, c_in, h, w)
    k = grid(draw, c_in, c_out, kh, kw)
    out = [oo.transposed_size(n, kk, s[a], p[a], d[a], op[a])
           for a, (n, kk) in enumerate(((h, kh), (w, kw)))]
    assume(min(out) >= 1)
    opts = {"stride": list(s), "padding": list(p), "dilation": list(d),
            "output_padding": list(op)}
    return (x, k) if channels else (x[0], k[0][0]), (x, k), opts, channels, tuple(out)


@EXAMPLES
@given(transposed_problems())
def test_transposed_every_step_equals_the_oracle(problem):
    (x, k), (x3, k3), opts, channels, out = problem
    seq = steps(x, k, op="transposed", **opts)
    want = oo.conv_transpose2d(x3, k3, opts["stride"], opts["padding"], opts["dilation"],
                               opts["output_padding"])
    expected = oo.scatter_steps(x3, k3, out, opts["stride"], opts["padding"], opts["dilation"],
                                channel_names=("ch", "f") if channels else (None, None))
    expected[-1]["output"] = want if channels else want[0]
    assert len(seq) == 2 + len(x3) * len(x3[0]) * len(x3[0][0]) * len(k3[0]) * len(k3[0][0]) \
        * len(k3[0][0][0])
    check_sequence(seq, expected)
    # The output grid as it grows equals the oracle's running sums.
    mid = len(seq) // 2
    grown = seq.accumulated(mid)
    for rec in expected[1:mid + 1]:
        if "value" in rec:
            cell = (rec.get("f", 0), rec["out_row"], rec["out_col"])
            last_value = rec["value"]
            last_cell = cell
    if any("value" in rec for rec in expected[1:mid + 1]):
        assert grown[last_cell] == last_value
    # The equivalent direct convolution computes the same output with the conv engine.
    try:
        direct = Steps(equivalent_conv(seq.spec))
    except SpecError:
        return
    assert oo.same(direct.output_list(), seq.output_list())


def test_equivalent_conv_stretches_pads_and_rotates():
    spec = make_problem([[1, 2], [3, 4]], [[1, 2], [3, 4]], op="transposed", stride=2,
                        output_padding=1)
    conv = equivalent_conv(spec)
    assert conv.input[0].tolist() == [[1, 0, 2], [0, 0, 0], [3, 0, 4]]
    assert conv.padding == (1, 2, 1, 2)
    assert conv.kernel[0, 0].tolist() == [[4, 3], [2, 1]]
    assert Steps(conv).output_list() == steps([[1, 2], [3, 4]], [[1, 2], [3, 4]],
                                              op="transposed", stride=2,
                                              output_padding=1).output_list()


def test_transposed_float_values_are_exact_in_loop_order():
    rng = np.random.default_rng(3)
    x, k = rng.normal(size=(4, 5)).tolist(), rng.normal(size=(3, 3)).tolist()
    seq = steps(x, k, op="transposed", stride=2, padding=1)
    got = list(seq)
    assert all(seq[i] == got[i] for i in range(len(seq)))
    final = {}
    for s in got[1:-1]:
        if not s.skipped:
            final[(s.out_row, s.out_col)] = s.value
    assert all(seq.output[0][cell] == v for cell, v in final.items())


# -- pooling ------------------------------------------------------------------------


@st.composite
def pool_problems(draw):
    op = draw(st.sampled_from(["maxpool", "avgpool"]))
    channels = draw(st.booleans())
    c = draw(st.integers(1, 2)) if channels else 1
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    p = (draw(st.integers(0, k[0] // 2)), draw(st.integers(0, k[1] // 2)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if op == "maxpool" else (1, 1)
    h, w = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    ceil = draw(st.booleans())
    opts = {"pool": list(k), "stride": list(s), "padding": list(p), "ceil_mode": ceil}
    if op == "maxpool":
        opts["dilation"] = list(d)
    else:
        opts["count_include_pad"] = draw(st.booleans())
        if draw(st.booleans()):
            opts["divisor_override"] = draw(st.integers(1, 5))
    assume(min(oo.pool_size(h, k[0], s[0], p[0], d[0], ceil),
               oo.pool_size(w, k[1], s[1], p[1], d[1], ceil)) >= 1)
    x = grid(draw, c, h, w)
    return op, (x if channels else x[0]), x, opts, channels


@EXAMPLES
@given(pool_problems())
def test_pooling_every_step_equals_the_oracle(problem):
    op, x, x3, opts, channels = problem
    seq = steps(x, op=op, **opts)
    expected = oo.pool_steps(op, x3, opts["pool"], opts["stride"], opts["padding"],
                             opts.get("dilation", (1, 1)), opts["ceil_mode"],
                             opts.get("count_include_pad", True),
                             opts.get("divisor_override"), channels)
    check_sequence(seq, expected)


# -- the backward pass ----------------------------------------------------------------


@st.composite
def grad_problems(draw):
    rank = draw(st.sampled_from([2, 3, 4]))
    c = draw(st.integers(1, 2)) if rank >= 3 else 1
    f = draw(st.integers(1, 2)) if rank == 4 else 1
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    s = [draw(st.integers(1, 2)), draw(st.integers(1, 2))]
    d = [draw(st.integers(1, 2)), draw(st.integers(1, 2))]
    pads = [draw(st.integers(0, 2)) for _ in range(4)]
    h = draw(st.integers(max(1, d[0] * (kh - 1) + 1 - pads[0] - pads[1]), 5))
    w = draw(st.integers(max(1, d[1] * (kw - 1) + 1 - pads[2] - pads[3]), 5))
    x3 = grid(draw, c, h, w)
    k4 = grid(draw, f, c, kh, kw)
    oh = (h + pads[0] + pads[1] - d[0] * (kh - 1) - 1) // s[0] + 1
    ow = (w + pads[2] + pads[3] - d[1] * (kw - 1) - 1) // s[1] + 1
    dy3 = grid(draw, f, oh, ow) if draw(st.booleans()) else None
    opts = {"stride": s, "padding": pads, "dilation": d}
    if draw(st.booleans()):
        opts["bias"] = draw(st.lists(st.integers(-3, 3), min_size=f, max_size=f))
    x = x3 if rank >= 3 else x3[0]
    k = k4 if rank == 4 else (k4[0] if rank == 3 else k4[0][0])
    if dy3 is not None:
        opts["grad_output"] = dy3 if rank == 4 else dy3[0]
    return x, k, x3, k4, dy3 or [[[1] * ow for _ in range(oh)] for _ in range(f)], opts, rank


@EXAMPLES
@given(grad_problems())
def test_backward_every_step_equals_the_oracle(problem):
    """grad-input step by step as a scatter; grad-weight against the chain rule."""
    x, k, x3, k4, dy3, opts, rank = problem
    seq = steps(x, k, op="grad-input", **opts)
    dx, dw, db = oo.conv_grads(x3, k4, dy3, opts["stride"], opts["padding"], opts["dilation"])
    p = opts["padding"]
    expected = oo.scatter_steps(dy3, k4, (len(x3[0]), len(x3[0][0])), opts["stride"],
                                (p[0], p[2]), opts["dilation"], src="grad",
                                dst=("in_row", "in_col"),
                                channel_names=("f" if rank == 4 else None,
                                               "ch" if rank >= 3 else None))
    expected[-1]["output"] = dx if rank >= 3 else dx[0]
    check_sequence(seq, expected)

    seq = steps(x, k, op="grad-weight", **opts)
    shaped = dw if rank == 4 else (dw[0] if rank == 3 else dw[0][0])
    assert oo.same(seq.output_list(), shaped)
    got = list(seq)
    bias = "bias" in opts
    assert oo.same(got[-1].grad_bias, db if bias else None)
    positions = len(k4) * len(x3) * len(k4[0][0]) * len(k4[0][0][0]) + (len(k4) if bias else 0)
    inner = len(dy3[0]) * len(dy3[0][0])
    assert len(seq) == 2 + positions * (inner + 2)
    for g in got:
        assert seq[g.step] == g
        if g.phase == "mac":
            f, ch, kr, kc = g.cells["output"]
            assert g.input == (x3[ch][g.in_row][g.in_col] if not g.padding else 0)
            assert g.grad == dy3[f][g.row][g.col]
            assert (g.kr, g.kc) == (kr, kc)
        if g.phase == "write":
            assert g.value == dw[g.f or 0][g.ch or 0][g.kr][g.kc]
        if g.phase == "bias_write":
            assert g.value == db[g.f or 0]
    assert list(seq.iter_from(len(seq) // 2)) == got[len(seq) // 2:]


def test_grad_weight_float_sums_match_the_steps_exactly():
    rng = np.random.default_rng(5)
    x, k = rng.normal(size=(6, 6)).tolist(), rng.normal(size=(3, 3)).tolist()
    dy = rng.normal(size=(4, 4)).tolist()
    seq = steps(x, k, op="grad-weight", grad_output=dy)
    for position in range(seq.positions):
        write = seq[seq.write_step(position)]
        last_mac = seq[seq.write_step(position) - 1]
        assert write.value == last_mac.sum


# -- im2col ---------------------------------------------------------------------------


@EXAMPLES
@given(grad_problems())
def test_im2col_layout_equals_unfold(problem):
    x, k, x3, k4, _, opts, _ = problem
    opts = {key: v for key, v in opts.items() if key != "grad_output"}
    seq = steps(x, k, **opts)
    view = Im2col(seq)
    p = opts["padding"]
    want = oo.unfold(x3, len(k4[0][0]), len(k4[0][0][0]), opts["stride"], p, opts["dilation"])
    unfolded = view.unfolded()
    assert unfolded.tolist() == want
    assert view.unfold_shape == (len(want), len(want[0]))
    assert view.multiplies == len(k4) * len(want) * len(want[0])
    weights = view.weight_matrix()
    product = weights @ unfolded + np.array(opts.get("bias", [0] * len(k4)))[:, None]
    assert product.reshape(seq.out_shape).tolist() == seq.output.tolist()
    for s in seq:
        cell = view.cell(s)
        if s.phase == "mac":
            assert unfolded[cell["unfold_row"], cell["unfold_col"]] == s.input
            assert weights[s.f or 0, cell["unfold_row"]] == s.weight
            assert cell["unfold_col"] == s.row * seq.spec.out_width + s.col


# -- validation -----------------------------------------------------------------------


@pytest.mark.parametrize("op,x,k,opts,message", [
    ("transposed", [[1, 2]], [[1]], {"output_padding": 1}, "output_padding 1 must be smaller"),
    ("transposed", [[1, 2]], [[1]], {"padding": 1}, "crops the whole output"),
    ("transposed", [[1, 2]], [[1]], {"padding": "same"}, "padding must be P or PH,PW"),
    ("maxpool", [[1, 2], [3, 4]], None, {"pool": 2, "padding": 2}, "over half the 2 window"),
    ("maxpool", [[1, 2], [3, 4]], [[1]], {"pool": 2}, "takes no kernel"),
    ("maxpool", [[1, 2], [3, 4]], None, {}, "needs a window size"),
    ("maxpool", [[1, 2], [3, 4]], None, {"pool": 3}, "does not fit"),
    ("avgpool", [[1, 2], [3, 4]], None, {"pool": 2, "dilation": 2}, "does not take dilation"),
    ("avgpool", [[1, 2], [3, 4]], None, {"pool": 2, "divisor_override": 0}, "≥ 1"),
    ("avgpool", [[1, 2], [3, 4]], None, {"pool": 2, "divisor_override": 10**400},
     "divisor_override is a 401-digit integer, over the limit of 1e+06"),
    ("avgpool", [[1, 2], [3, 4]], None, {"pool": 2, "divisor_override": 10**6 + 1},
     "over the limit"),
    ("grad-input", [[1, 2], [3, 4]], [[1]], {"grad_output": [[1]]},
     "grad_output is 1×1 but the forward output is 2×2"),
    ("grad-weight", [[1, 2], [3, 4]], [[1]], {"activation": "relu"}, "without activation"),
    ("conv", [[1, 2], [3, 4]], None, {}, "conv needs a kernel"),
    ("conv", [[1, 2], [3, 4]], [[1]], {"pool": 2}, "conv does not take pool"),
    ("pool", [[1, 2], [3, 4]], [[1]], {}, "op 'pool' is not one of"),
])
def test_bad_problems_are_one_line_errors(op, x, k, opts, message):
    with pytest.raises(SpecError) as caught:
        make_problem(x, k, op=op, **opts)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_listing_lines_exist_for_every_phase():
    for op, k, opts in (("transposed", [[1]], {}), ("maxpool", None, {"pool": 1}),
                        ("avgpool", None, {"pool": 1}), ("grad-input", [[1]], {}),
                        ("grad-weight", [[1]], {"bias": 1})):
        seq = steps([[1, 2], [3, 4]], k, op=op, **opts)
        lines = seq.listing.numbered()
        for s in seq:
            assert 1 <= s.line <= len(lines)
            assert lines[s.line - 1].strip(), (op, s)
