"""The engine against PyTorch, when PyTorch is installed (it is not a dependency): conv2d,
conv_transpose2d, max_pool2d, avg_pool2d, unfold and torch.autograd.grad.

The numpy oracle in ``oracle.py`` is what CI always checks; this file confirms that
the oracle and the engine agree with the framework the options are defined by.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_engine import FAST, option_problems

import oracle
from eigenvue_tui import Im2col, steps
from eigenvue_tui.presets import catalogue, resolve
from eigenvue_tui.spec import SpecError
from eigenvue_tui.torch_call import torch_code

torch = pytest.importorskip("torch")
functional = pytest.importorskip("torch.nn.functional")


@st.composite
def problems(draw):
    channels = draw(st.integers(1, 3))
    filters = draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    ph, pw = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h = draw(st.integers(max(dh * (kh - 1) + 1 - 2 * ph, 1), 7))
    w = draw(st.integers(max(dw * (kw - 1) + 1 - 2 * pw, 1), 7))
    values = st.integers(-9, 9)
    x = draw(st.lists(st.lists(st.lists(values, min_size=w, max_size=w), min_size=h,
                               max_size=h), min_size=channels, max_size=channels))
    k = draw(st.lists(st.lists(st.lists(st.lists(values, min_size=kw, max_size=kw),
                                        min_size=kh, max_size=kh),
                               min_size=channels, max_size=channels),
                      min_size=filters, max_size=filters))
    bias = draw(st.lists(st.integers(-5, 5), min_size=filters, max_size=filters))
    relu = draw(st.booleans())
    return x, k, {"stride": [sh, sw], "padding": [ph, pw], "dilation": [dh, dw],
                  "bias": bias, "activation": "relu" if relu else "none"}


@settings(max_examples=80, deadline=None)
@given(problems())
def test_engine_equals_torch_conv2d(problem):
    x, k, options = problem
    s = steps(x, k, **options)
    want = functional.conv2d(
        torch.tensor([x], dtype=torch.float64),
        torch.tensor(k, dtype=torch.float64),
        bias=torch.tensor(options["bias"], dtype=torch.float64),
        stride=tuple(options["stride"]),
        padding=tuple(options["padding"]),
        dilation=tuple(options["dilation"]),
    )[0]
    if options["activation"] == "relu":
        want = torch.relu(want)
    np.testing.assert_array_equal(np.array(s.output_list()), want.numpy())
    done = list(s)[-1]
    assert done.phase == "done"


@pytest.mark.parametrize("h,w,k", [(5, 5, 3), (6, 7, 2), (4, 4, 4), (7, 5, 4)])
def test_same_padding_equals_torch_same(h, w, k):
    """Stride 1: our ``same`` is PyTorch's ``padding='same'`` (extra at bottom/right)."""
    rng = np.random.default_rng(h * 100 + w * 10 + k)
    x = rng.integers(-9, 10, size=(h, w)).tolist()
    kernel = rng.integers(-9, 10, size=(k, k)).tolist()
    s = steps(x, kernel, padding="same")
    want = functional.conv2d(
        torch.tensor([[x]], dtype=torch.float64), torch.tensor([[kernel]], dtype=torch.float64),
        padding="same",
    )[0, 0]
    np.testing.assert_array_equal(np.array(s.output_list()), want.numpy())


# -- the PyTorch call the learn screen shows and copies ------------------------


def _run(code: str) -> np.ndarray:
    scope: dict = {}
    exec(compile(code, "<learn screen>", "exec"), scope)
    return scope["out"].numpy()


def _check(s) -> None:
    got = _run(torch_code(s.spec))
    spec = s.spec
    assert got.shape == (1, spec.filters, spec.out_height, spec.out_width)
    np.testing.assert_allclose(got[0], s.output, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("name", [e.name for e in catalogue() if e.op == "conv"])
def test_the_call_computes_every_preset(name):
    s = steps(*resolve(name).spec.grids(), **resolve(name).spec.options())
    if s.spec.input.size > 4096:
        assert "load your" in torch_code(s.spec)
        return
    _check(s)


@FAST
@given(option_problems())
def test_the_call_computes_the_apps_output(problem):
    x, k, options = problem
    assume(oracle.Problem(x, k, **options).fits)
    _check(steps(x, k, **options))


# -- the operations beyond conv (issue 10) ------------------------------------------


def _t(value):
    return torch.tensor(value, dtype=torch.float64)


@st.composite
def transposed_problems(draw):
    c_in, c_out = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    s = [draw(st.integers(1, 3)), draw(st.integers(1, 3))]
    d = [draw(st.integers(1, 2)), draw(st.integers(1, 2))]
    p = [draw(st.integers(0, 2)), draw(st.integers(0, 2))]
    op = [draw(st.integers(0, max(s[a], d[a]) - 1)) for a in range(2)]
    sizes = [(n - 1) * s[a] - 2 * p[a] + d[a] * (k - 1) + op[a] + 1
             for a, (n, k) in enumerate(((h, kh), (w, kw)))]
    assume(min(sizes) >= 1)
    x = np.array(draw(st.lists(st.integers(-9, 9), min_size=c_in * h * w,
                               max_size=c_in * h * w))).reshape(c_in, h, w).tolist()
    k = np.array(draw(st.lists(st.integers(-9, 9), min_size=c_in * c_out * kh * kw,
                               max_size=c_in * c_out * kh * kw))).reshape(
                                   c_in, c_out, kh, kw).tolist()
    return x, k, {"stride": s, "padding": p, "dilation": d, "output_padding": op}


@settings(max_examples=40, deadline=None)
@given(transposed_problems())
def test_transposed_equals_torch_conv_transpose2d(problem):
    x, k, opts = problem
    s = steps(x, k, op="transposed", **opts)
    want = functional.conv_transpose2d(
        _t([x]), _t(k), stride=opts["stride"], padding=opts["padding"],
        dilation=opts["dilation"], output_padding=opts["output_padding"])[0]
    np.testing.assert_array_equal(np.array(s.output_list()), want.numpy())


@st.composite
def pool_problems(draw):
    op = draw(st.sampled_from(["maxpool", "avgpool"]))
    k = [draw(st.integers(1, 3)), draw(st.integers(1, 3))]
    s = [draw(st.integers(1, 3)), draw(st.integers(1, 3))]
    p = [draw(st.integers(0, k[0] // 2)), draw(st.integers(0, k[1] // 2))]
    d = [draw(st.integers(1, 2)), draw(st.integers(1, 2))] if op == "maxpool" else [1, 1]
    c, h, w = draw(st.integers(1, 2)), draw(st.integers(1, 6)), draw(st.integers(1, 6))
    ceil = draw(st.booleans())
    opts = {"pool": k, "stride": s, "padding": p, "ceil_mode": ceil}
    if op == "maxpool":
        opts["dilation"] = d
    else:
        opts["count_include_pad"] = draw(st.booleans())
        opts["divisor_override"] = draw(st.one_of(st.none(), st.integers(1, 5)))
    x = draw(st.lists(st.lists(st.lists(st.integers(-9, 9), min_size=w, max_size=w),
                               min_size=h, max_size=h), min_size=c, max_size=c))
    return op, x, opts


@settings(max_examples=60, deadline=None)
@given(pool_problems())
def test_pooling_equals_torch(problem):
    op, x, opts = problem
    kwargs = {"kernel_size": opts["pool"], "stride": opts["stride"],
              "padding": opts["padding"], "ceil_mode": opts["ceil_mode"]}
    try:
        if op == "maxpool":
            want = functional.max_pool2d(_t([x]), dilation=opts["dilation"], **kwargs)[0]
        else:
            want = functional.avg_pool2d(_t([x]), count_include_pad=opts["count_include_pad"],
                                         divisor_override=opts["divisor_override"], **kwargs)[0]
    except RuntimeError:
        with pytest.raises(SpecError):
            steps(x, op=op, **opts)
        return
    s = steps(x, op=op, **opts)
    np.testing.assert_allclose(np.array(s.output_list()), want.numpy(), rtol=1e-12)


@st.composite
def grad_problems(draw):
    c, f = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    s = [draw(st.integers(1, 2)), draw(st.integers(1, 2))]
    d = [draw(st.integers(1, 2)), draw(st.integers(1, 2))]
    p = [draw(st.integers(0, 2)), draw(st.integers(0, 2))]
    h = draw(st.integers(max(1, d[0] * (kh - 1) + 1 - 2 * p[0]), 5))
    w = draw(st.integers(max(1, d[1] * (kw - 1) + 1 - 2 * p[1]), 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.integers(-9, 10, size=(c, h, w)).tolist()
    k = rng.integers(-9, 10, size=(f, c, kh, kw)).tolist()
    oh = (h + 2 * p[0] - d[0] * (kh - 1) - 1) // s[0] + 1
    ow = (w + 2 * p[1] - d[1] * (kw - 1) - 1) // s[1] + 1
    dy = rng.integers(-5, 6, size=(f, oh, ow)).tolist()
    bias = rng.integers(-3, 4, size=f).tolist()
    return x, k, dy, {"stride": s, "padding": p, "dilation": d, "bias": bias}


@settings(max_examples=40, deadline=None)
@given(grad_problems())
def test_backward_equals_torch_autograd(problem):
    x, k, dy, opts = problem
    xt, kt, bt = (_t(x)[None].requires_grad_(), _t(k).requires_grad_(),
                  _t(opts["bias"]).requires_grad_())
    y = functional.conv2d(xt, kt, bt, stride=opts["stride"], padding=opts["padding"],
                          dilation=opts["dilation"])
    dx, dw, db = torch.autograd.grad(y, (xt, kt, bt), _t([dy]))
    gi = steps(x, k, op="grad-input", grad_output=dy, **opts)
    gw = steps(x, k, op="grad-weight", grad_output=dy, **opts)
    np.testing.assert_array_equal(np.array(gi.output_list()), dx[0].numpy())
    np.testing.assert_array_equal(np.array(gw.output_list()), dw.numpy())
    np.testing.assert_array_equal(np.array(gw[-1].grad_bias), db.numpy())


@settings(max_examples=40, deadline=None)
@given(problems())
def test_im2col_equals_torch_unfold(problem):
    x, k, options = problem
    s = steps(x, k, **options)
    view = Im2col(s)
    kh, kw = len(k[0][0]), len(k[0][0][0])
    want = functional.unfold(_t([x]), (kh, kw), dilation=options["dilation"],
                             padding=options["padding"], stride=options["stride"])[0]
    np.testing.assert_array_equal(view.unfolded(), want.numpy())
