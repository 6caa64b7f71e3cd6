"""Kernels by name and SOURCE + --kernel / --input (issue 7 §2).

The kernel values are copied by hand from the issue; outputs come from scipy's
``correlate2d`` on the preset's own JSON, never from the engine.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from scipy.signal import correlate2d

from eigenvue_tui import cli
from eigenvue_tui.kernels import NAMED, named, with_kernel
from eigenvue_tui.presets import builtin_dir, resolve
from eigenvue_tui.spec import SpecError

# Issue 7 §2, copied by hand.
ISSUE = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "edge": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    "sobel-x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel-y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "prewitt-x": [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],
    "prewitt-y": [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "box-blur": [[Fraction(1, 9)] * 3] * 3,
    "gaussian-blur": [[Fraction(v, 16) for v in row] for row in ([1, 2, 1], [2, 4, 2], [1, 2, 1])],
}


def main(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def preset_json(name: str) -> dict:
    return json.loads((builtin_dir() / f"{name}.json").read_text(encoding="utf-8"))


def done_output(out: str) -> np.ndarray:
    return np.array(json.loads(out.splitlines()[-1])["output"])


def test_the_names_are_the_issues():
    assert list(NAMED) == list(ISSUE)


@pytest.mark.parametrize("name", ISSUE)
def test_named_kernel_values(name):
    got = named(name)
    assert np.array(got).shape == (3, 3)
    for got_row, want_row in zip(got, ISSUE[name], strict=True):
        for value, want in zip(got_row, want_row, strict=True):
            assert value == pytest.approx(float(want), rel=1e-15)


@pytest.mark.parametrize("name", ISSUE)
def test_kernel_by_name_on_a_preset(capsys, name):
    code, out, err = main(capsys, "handwritten-digit", "--kernel", name, "--trace")
    assert code == 0, err
    digit = np.array(preset_json("handwritten-digit")["input"])
    want = correlate2d(digit, np.array(ISSUE[name], dtype=float), mode="valid")
    assert np.allclose(done_output(out), want)


def test_kernels_lists_every_name(capsys):
    code, out, err = main(capsys, "--kernels")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(ISSUE)
    assert "[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]" in lines[4]


def test_unknown_name_lists_the_known(capsys):
    code, out, err = main(capsys, "default", "--kernel", "sobel", "--trace")
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert "sobel" in err and all(name in err for name in ISSUE)


def test_source_kernel_keeps_input_and_options(capsys):
    code, out, err = main(capsys, "stride-2", "--kernel", "[[1, -1], [2, 0]]", "--trace")
    assert code == 0, err
    data = preset_json("stride-2")
    want = correlate2d(np.array(data["input"]), np.array([[1, -1], [2, 0]]), mode="valid")
    assert np.array_equal(done_output(out), want[::2, ::2])


def test_source_input_keeps_kernel_and_options(capsys):
    x = np.arange(36).reshape(6, 6) % 7
    code, out, err = main(capsys, "same-padding", "--input", json.dumps(x.tolist()), "--trace")
    assert code == 0, err
    kernel = np.array(preset_json("same-padding")["kernel"])
    # same padding with a 2×2 kernel: the extra row/column at the bottom/right
    padded = np.pad(x, ((0, 1), (0, 1)))
    assert np.array_equal(done_output(out), correlate2d(padded, kernel, mode="valid"))


def test_named_kernel_over_every_channel(capsys):
    code, out, err = main(capsys, "rgb-channels", "--kernel", "sobel-x", "--trace")
    assert code == 0, err
    planes = np.array(preset_json("rgb-channels")["input"])
    sobel = np.array(ISSUE["sobel-x"])
    want = sum(correlate2d(plane, sobel, mode="valid") for plane in planes)
    assert np.array_equal(done_output(out), want)
    spec = resolve("rgb-channels").spec
    assert with_kernel(spec, named("sobel-x")).kernel.shape == (1, 3, 3, 3)


@pytest.mark.parametrize(("argv", "words"), [
    (("identity", "--kernel", "[[1, 1, 1, 1]]"), ("larger",)),
    (("stride-2", "--input", "[[1]]"), ("larger",)),
    (("default", "--input", "[[1, 2], [3"), ("--input", "JSON")),
    (("rgb-channels", "--input", "[[1, 2, 3], [4, 5, 6], [7, 8, 9]]"), ("channels",)),
])
def test_combinations_that_do_not_fit(capsys, argv, words):
    code, out, err = main(capsys, *argv, "--trace")
    assert code == 2 and out == "" and len(err.splitlines()) == 1, err
    assert all(word in err for word in words), err


def test_with_kernel_refuses_what_does_not_fit():
    with pytest.raises(SpecError, match="larger"):
        with_kernel(resolve("identity").spec, [[1] * 5] * 5)
