"""The operation screen's pure parts: the next operation, the marks, the learn sections."""

from __future__ import annotations

import numpy as np

import ops_oracle as oracle
from eigenvue_tui.learn_ops import op_sections
from eigenvue_tui.op_view import make_view
from eigenvue_tui.operations import OPS, build, make_problem, next_op, op_of, op_source

X = [[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2], [0, 1, 2, 3]]
K = [[1, 0], [0, -1]]


def test_next_op_cycles_every_operation_back_to_conv_keeping_the_grids():
    problem = make_problem(X, K)
    seen = []
    source = None
    for _ in OPS:
        source = op_source(problem, source)
        problem, skipped = next_op(problem, source)
        assert skipped == []
        seen.append(op_of(problem))
    assert seen == [*OPS[1:], "conv"]
    assert problem.grids() == (X, K)


def test_a_full_cycle_comes_back_to_the_bias_and_relu_it_left():
    """transposed and the pools drop bias and ReLU; the gradients refuse ReLU (skipped,
    with the reason); back on conv, both are there again."""
    start = make_problem(X, K, bias=[-2], activation="relu")
    problem, source, skipped_all = start, None, []
    while True:
        source = op_source(problem, source)
        problem, skipped = next_op(problem, source)
        skipped_all += skipped
        if op_of(problem) == "conv":
            break
    assert problem.options() == start.options() and problem.grids() == start.grids()
    assert [op for op, _ in skipped_all] == ["grad-input", "grad-weight"]
    assert all("relu" in why for _, why in skipped_all)


def test_next_op_names_what_it_skipped_and_why():
    two = make_problem([X], [[K], [K]])  # two filters on one channel: no transposed
    new, skipped = next_op(two)
    assert op_of(new) == "maxpool" and [op for op, _ in skipped] == ["transposed"]
    alone = make_problem(X, op="avgpool", pool=2)  # a pool with no kernel to go back to
    new, skipped = next_op(alone)
    assert op_of(new) == "maxpool"
    assert [why for _, why in skipped] == [f"{op} needs a kernel" for op in OPS[4:]] + [
        "conv needs a kernel", "transposed needs a kernel"]


def test_scatter_marks_follow_the_oracle_and_values_grow_as_it_adds():
    problem = make_problem(X[:2], K, op="transposed", stride=2, padding=1, output_padding=1)
    view = make_view(build(problem))
    out_hw = view.panel("output").planes.shape[1:]
    want = oracle.scatter_steps([X[:2]], [[K]], out_hw, (2, 2), (1, 1), (1, 1))
    acc = np.zeros(out_hw)
    for index in range(1, len(want) - 1):
        rec, marks = want[index], view.marks(index)
        assert marks["input"].highlight.current == (rec["row"], rec["col"])
        assert marks["kernel"].highlight.current == (rec["kr"], rec["kc"])
        if not rec.get("skipped"):
            acc[rec["out_row"], rec["out_col"]] = rec["value"]
            assert marks["output"].highlight.current == (rec["out_row"], rec["out_col"])
        assert marks["output"].highlight.window is not None
        assert view.values("output", index, 0).tolist() == acc.tolist()


def test_im2col_marks_sit_on_torch_unfold_layout():
    view = make_view(build(make_problem(X, K, stride=1)), "im2col")
    unfold = oracle.unfold([X], 2, 2, (1, 1), (0, 0, 0, 0), (1, 1))
    assert view.panel("unfold").planes[0].tolist() == unfold
    steps = view.steps
    for index in range(len(steps)):
        step = steps[index]
        if step.phase == "mac":
            m = (step.kr or 0) * 2 + (step.kc or 0)
            column = step.row * 3 + step.col
            assert view.marks(index)["unfold"].highlight.current == (m, column)
            assert unfold[m][column] == step.input


def test_learn_sections_put_the_operation_on_screen_first_with_its_numbers():
    sections = op_sections(make_problem(X, op="maxpool", pool=2), make_problem(X, K))
    assert sections[0][0] == "Max pooling (on screen)"
    assert "⌊(4 + 2·0 − 1·(2−1) − 1) / 2⌋ + 1 = 2" in sections[0][1]
    transposed = dict(sections)["Transposed convolution"]
    assert "(4−1)·1 − 2·0 + 1·(2−1) + 0 + 1 = 5" in transposed
