"""The Python API and the spec at their edges (issue 12 §7, §13, §14 messages)."""

from __future__ import annotations

import numpy as np
import pytest

import eigenvue_tui
from eigenvue_tui import SpecError, make_spec, steps

X = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
K = [[1, 0], [0, -1]]
INT64_MIN = -(2**63)


@pytest.mark.parametrize(
    "grid",
    [
        [[INT64_MIN]],
        [[1, INT64_MIN]],
        np.array([[INT64_MIN, 1]], dtype=np.int64),
        [[np.int64(INT64_MIN)]],
        [[1.5, float(INT64_MIN)]],
    ],
    ids=["list", "list-mixed", "ndarray", "numpy-scalar", "float"],
)
def test_int64_minimum_is_beyond_the_limit(grid):
    with pytest.raises(SpecError, match="beyond the limit"):
        steps(grid, [[3]])
    with pytest.raises(SpecError, match="beyond the limit"):
        steps([[3]], grid)


def test_limit_itself_is_accepted_on_both_signs():
    seq = steps([[-(10**6), 10**6]], [[1]])
    assert seq.output_list() == [[-(10**6), 10**6]]


@pytest.mark.parametrize("where", ["input", "kernel", "bias"])
def test_an_integer_of_five_thousand_digits_is_a_spec_error(where):
    huge = 10**5000
    args = {"input": X, "kernel": K, "bias": None}
    args[where] = [huge] if where == "bias" else [[huge, 1]]
    with pytest.raises(SpecError, match="5001-digit integer, beyond the limit") as info:
        make_spec(args["input"], args["kernel"], bias=args["bias"])
    assert len(str(info.value)) < 200


@pytest.mark.parametrize("name", ["stride", "padding", "dilation"])
@pytest.mark.parametrize("value", [10**5000, -(10**5000), "9" * 5000],
                         ids=["huge", "-huge", "huge-text"])
def test_huge_options_are_spec_errors(name, value):
    with pytest.raises(SpecError, match=name) as info:
        make_spec(X, K, **{name: value})
    assert len(str(info.value)) < 200


def test_huge_bias_text_is_a_short_spec_error():
    with pytest.raises(SpecError, match="bias") as info:
        make_spec(X, K, bias="9" * 5000)
    assert len(str(info.value)) < 200


def test_self_referencing_list_is_refused():
    grid: list = []
    grid.append(grid)
    with pytest.raises(SpecError, match="input is nested deeper than 3-D"):
        steps(grid, [[1]])
    with pytest.raises(SpecError, match="kernel is nested deeper than 4-D"):
        steps([[1]], grid)


def test_self_reference_inside_a_row_is_refused():
    row: list = [1, 2]
    grid = [row, [3, 4]]
    row.append(grid)
    with pytest.raises(SpecError):
        steps(grid, [[1]])


def test_specs_compare_by_value():
    a, b = make_spec(X, K), make_spec([r[:] for r in X], [r[:] for r in K])
    assert a == b
    assert (a != b) is False
    assert hash(a) == hash(b)
    assert a != make_spec(X, [[1, 0], [0, 1]])
    assert a != make_spec(X, K, stride=2)
    assert a != make_spec([[float(v) for v in r] for r in X], K)  # floats, not ints
    assert a != "not a spec"
    assert len({a, b}) == 1


def test_spec_arrays_are_read_only():
    spec = make_spec(X, K)
    with pytest.raises(ValueError, match="read-only"):
        spec.input[0, 0, 0] = 100
    with pytest.raises(ValueError, match="read-only"):
        spec.kernel[0, 0, 0, 0] = 100
    assert steps(X, K).output_list() == [[-4, -4], [-4, -4]]


def test_numpy_integer_and_bool_scalars_are_options():
    plain = make_spec(X, K, stride=2, padding=1, dilation=1, flip=True)
    assert make_spec(X, K, stride=np.int64(2), padding=np.int32(1), dilation=np.uint8(1),
                     flip=np.bool_(True)) == plain
    assert make_spec(X, K, stride=[np.int16(2), 2], padding=np.array([1, 1, 1, 1]),
                     flip=np.True_) == plain


@pytest.mark.parametrize("name", ["stride", "padding", "dilation"])
def test_booleans_are_still_not_whole_numbers(name):
    with pytest.raises(SpecError):
        make_spec(X, K, **{name: np.bool_(True)})


def test_presets_takes_a_folder_as_text(tmp_path):
    (tmp_path / "mine.json").write_text('{"input": [[1]], "kernel": [[1]]}', encoding="utf-8")
    for folder in (str(tmp_path), tmp_path, [str(tmp_path)], (tmp_path,)):
        names = [entry.name for entry in eigenvue_tui.presets(folder)]
        assert "mine" in names and "default" in names


def test_presets_refuses_a_number_with_a_type_error():
    with pytest.raises(TypeError, match="folder"):
        eigenvue_tui.presets(3)  # type: ignore[arg-type]


def test_null_activation_is_named_as_json_names_it():
    with pytest.raises(SpecError, match="activation null is not one of none, relu"):
        make_spec(X, K, activation=None)


@pytest.mark.parametrize(
    "input, kernel, message",
    [
        (X, [[K]], "kernel has 1 channel but the input is a plain 2-D grid"),
        ([X], K, "input has 1 channel, so the kernel"),
        ([X, X], [K], "input has 2 channels but the kernel has 1$"),
        ([X], [K, K], "input has 1 channel but the kernel has 2$"),
    ],
)
def test_channel_counts_are_singular_or_plural(input, kernel, message):
    with pytest.raises(SpecError, match=message):
        make_spec(input, kernel)


@pytest.mark.parametrize("make", [
    lambda: eigenvue_tui.steps([[1, 2], [3, 4]], op="maxpool", pool=2),
    lambda: eigenvue_tui.steps([[1, 2], [3, 4]], [[1]], op="transposed"),
    lambda: None,
    lambda: "default",
    lambda: make_spec([[1, 2], [3, 4]], [[1]]),
], ids=["maxpool", "transposed", "none", "text", "spec"])
@pytest.mark.parametrize("call", [eigenvue_tui.quiz, lambda s: eigenvue_tui.Im2col(s)],
                         ids=["quiz", "Im2col"])
def test_quiz_and_im2col_say_they_take_a_convolutions_steps(make, call):
    """Given another operation's steps (or no steps), an AttributeError deep inside."""
    with pytest.raises(TypeError, match="takes the steps of a convolution") as caught:
        call(make())
    assert type(make()).__name__ in str(caught.value)


def test_quiz_and_im2col_still_take_a_convolutions_steps():
    conv = steps([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, -1]])
    assert len(eigenvue_tui.quiz(conv)) >= 12
    assert eigenvue_tui.Im2col(conv).unfold_shape == (4, 4)


def test_show_without_a_terminal_says_so_at_once():
    """Outside Jupyter and a terminal, ``show()`` spun for good, drawing into the pipe."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import eigenvue_tui as ev; ev.show([[1, 2], [3, 4]], [[1]])"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "RuntimeError: show(): stdin is not a terminal, and the app needs one"
        " (in Jupyter it shows inline)")


@pytest.mark.parametrize("padding,message", [
    (10**21, "padding is a 22-digit integer, over the limit of 2048 per side"),
    (20000, "padding is 20000, over the limit of 2048 per side"),
])
def test_padding_over_the_limit_reads_like_the_other_limits(padding, message):
    """Said as "stride is a 401-digit integer, over the limit of …" is."""
    with pytest.raises(SpecError) as caught:
        make_spec(X, K, padding=padding)
    assert str(caught.value) == message


def test_im2col_cell_says_it_takes_a_step():
    """Given a step index, an AttributeError on ``phase`` deep inside."""
    view = eigenvue_tui.Im2col(steps(X, K))
    with pytest.raises(TypeError, match=r"Im2col.cell\(\) takes a Step \(steps\[i\]\), not int"):
        view.cell(5)
    assert view.cell(view.steps[3]) == {"unfold_row": 1, "unfold_col": 0}


def test_scatter_accumulated_checks_the_step_as_indexing_does():
    """Past either end an IndexError, as ``steps[i]`` says it; -1 is the last step."""
    seq = steps(X, K, op="transposed")
    for index in (len(seq), 99, -len(seq) - 1):
        with pytest.raises(IndexError) as indexing:
            seq[index]
        with pytest.raises(IndexError) as accumulating:
            seq.accumulated(index)
        assert str(accumulating.value) == str(indexing.value)
    assert (seq.accumulated(-1) == seq.output).all()
    assert not seq.accumulated(0).any()
