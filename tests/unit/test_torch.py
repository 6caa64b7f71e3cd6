"""The engine against PyTorch's own conv2d, when PyTorch is installed (it is not a dependency).

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
from eigenvue_tui import steps
from eigenvue_tui.presets import catalogue, resolve
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


@pytest.mark.parametrize("name", [entry.name for entry in catalogue()])
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
