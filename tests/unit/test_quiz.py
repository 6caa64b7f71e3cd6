"""The quiz and the learn text: every answer recomputed from the oracle, never from the engine."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from test_engine import FAST, option_problems

import oracle
from eigenvue_tui import quiz, steps
from eigenvue_tui.learn import FURTHER_READING, dense_parameters, parameters, sections
from eigenvue_tui.presets import catalogue, resolve

SEED = Path("/work/shared/seed/convolution-2d.txt")
# The learn screen and quiz are conv's; the other operations are not on screen yet.
PRESETS = [entry.name for entry in catalogue() if entry.op == "conv" and entry.view == "grid"]


def _problem(x, k, options, **change):
    return oracle.Problem(x, k, **{**options, **change})


def _size(p: oracle.Problem) -> str:
    return f"{p.out_h}×{p.out_w}"


def _indices(prompt: str) -> tuple[int, int, int]:
    """(f, row, col) of the ``output[..]`` a prompt names."""
    found = [int(i) for i in re.search(r"output((?:\[\d+\])+)", prompt).group(1)[1:-1]
             .split("][")]
    return (0, *found) if len(found) == 2 else tuple(found)


def _shown(choice: str, want: float) -> bool:
    """The choice is ``want`` to the four significant digits the app shows."""
    return math.isclose(float(choice), want, rel_tol=5e-4, abs_tol=1e-9)


def _expected(topic: str, prompt: str, x, k, options) -> object:
    """The right answer to one question, from the oracle and the definitions alone."""
    p = _problem(x, k, options)
    if topic == "seed":
        return "3×3"
    if topic == "size":
        return _size(p)
    if topic == "stride":
        s = int(re.search(r"With stride (\d+)", prompt).group(1))
        return _size(_problem(x, k, options, stride=s))
    if topic in ("same", "full"):
        return _size(_problem(x, k, options, padding=topic))
    if topic in ("value", "flip"):
        change = {"flip": not p.flip} if topic == "flip" else {}
        return float(oracle.conv2d(x, k, **{**options, **change})[_indices(prompt)])
    cells = p.F * p.out_h * p.out_w
    counts = {
        "macs": cells * p.C * p.kH * p.kW,
        "per-cell": p.C * p.kH * p.kW,
        "cells": cells,
        "parameters": p.kH * p.kW * p.C * p.F + p.F,
        "dense": (p.C * p.H * p.W) * cells + cells,
        "reach": p.dilation[1] * (p.kW - 1) + 1,
    }
    if topic in counts:
        return str(counts[topic])
    macs = [r for r in oracle.expected_steps(x, k, **options) if r["phase"] == "mac"]
    if topic == "reuse":  # the weight written at [0]…[0][0]; with flip the loops read it last
        at = (p.kH - 1, p.kW - 1) if p.flip else (0, 0)
        return str(sum(1 for r in macs if (r["f"], r["ch"], r["kr"], r["kc"]) == (0, 0, *at)))
    if topic == "corner":
        return str(len({(r["f"], r["row"], r["col"]) for r in macs
                        if (r["in_row"], r["in_col"]) == (0, 0)}))
    raise AssertionError(f"no oracle for topic {topic}")


def _check_quiz(x, k, options) -> None:
    questions = quiz(steps(x, k, **options))
    assert len(questions) >= 12
    for q in questions:
        assert len(q.choices) == 4 and len(set(q.choices)) == 4, q
        assert 0 <= q.answer < 4 and q.explanation
        want = _expected(q.topic, q.prompt, x, k, options)
        got = q.choices[q.answer]
        if isinstance(want, float):
            assert _shown(got, want), (q, want)
            assert sum(_shown(c, want) for c in q.choices) == 1, q
        else:
            assert got == want, (q, want)


@FAST
@given(option_problems())
def test_every_quiz_answer_matches_the_oracle(problem):
    x, k, options = problem
    assume(oracle.Problem(x, k, **options).fits)
    _check_quiz(x, k, options)


@pytest.mark.parametrize("name", PRESETS)
def test_quiz_on_every_preset(name):
    spec = resolve(name).spec
    if spec.height * spec.width > 2500:
        pytest.skip("the oracle's step list is slow on the largest preset")
    x, k = spec.grids()
    _check_quiz(x, k, spec.options())


def test_the_seed_question_is_word_for_word_the_seed():
    seed = SEED.read_text() if SEED.exists() else None
    q = quiz(steps([[1, 2], [3, 4]], [[1]]))[0]
    assert q.prompt == (
        "What is the output size of convolving a 5×5 input with a 3×3 kernel "
        "(no padding, stride 1)?"
    )
    assert q.choices == ("5×5", "4×4", "3×3", "2×2") and q.answer == 2
    assert q.explanation == (
        "Output size = input_size - kernel_size + 1 = 5 - 3 + 1 = 3. So the output is 3×3."
    )
    if seed is not None:
        assert q.prompt in seed and q.explanation in seed


@pytest.mark.parametrize("name", PRESETS)
def test_parameter_counts(name):
    """kH·kW·C·F + F for the convolution; (C·H·W)·(F·outH·outW) + F·outH·outW for the dense
    layer; PyTorch's own layers count the same, when it is installed."""
    spec = resolve(name).spec
    c, f, kh, kw = spec.channels, spec.filters, spec.kernel_height, spec.kernel_width
    outputs = f * spec.out_height * spec.out_width
    assert parameters(spec) == (kh * kw * c * f, f)
    assert dense_parameters(spec) == (c * spec.height * spec.width * outputs, outputs)
    torch = pytest.importorskip("torch")
    conv = torch.nn.Conv2d(c, f, (kh, kw))
    assert sum(t.numel() for t in conv.parameters()) == sum(parameters(spec))
    if spec.height * spec.width * outputs < 10**6:
        dense = torch.nn.Linear(c * spec.height * spec.width, outputs)
        assert sum(t.numel() for t in dense.parameters()) == sum(dense_parameters(spec))


def test_learn_text_uses_this_problems_numbers():
    s = steps([[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2], [0, 1, 2, 3]], [[1, 0], [0, -1]],
              padding="same")
    text = dict(sections(s))
    assert "pad top 0, bottom 1, left 0, right 1" in text["Padding"]
    assert "extra row goes at the bottom" in text["Padding"]
    sharing = text["Weight sharing and the parameter count"]
    assert "= 4 weights + F = 1 bias = 5 parameters" in sharing
    assert "16·16 = 256 weights + 16 biases = 272 parameters" in sharing
    assert "output[0][0] = 1×1 + 2×0 + 4×0 + 5×(-1) = -4" in text["What a convolution computes"]
    everything = " ".join(text.values())
    assert "channels" in text["Feature maps, channels and filters"]
    assert "seed" not in everything.lower()
    urls = [url for _, url in FURTHER_READING]
    assert any("arxiv.org/abs/1603.07285" in url for url in urls)
    assert any("wikipedia.org/wiki/Convolution" in url for url in urls)
    assert any("pytorch.org" in url and "Conv2d" in url for url in urls)
    assert any("LeCun" in title for title, _ in FURTHER_READING)


def test_dense_ratio_in_learn_text_matches_the_counts():
    s = steps(np.arange(36).reshape(6, 6).tolist(), [[1, 0, -1]] * 3)
    sharing = dict(sections(s))["Weight sharing and the parameter count"]
    ratio = float(re.search(r"about ([\d.]+) times", sharing).group(1))
    conv = 3 * 3 + 1
    dense = 36 * 16 + 16
    assert ratio == pytest.approx(dense / conv, rel=1e-3)
