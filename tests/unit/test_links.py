"""Point and ask: the linked cells against the oracle's own list of every multiply-add."""

from __future__ import annotations

from hypothesis import assume, given
from test_engine import FAST, option_problems

import oracle
from eigenvue_tui import steps
from eigenvue_tui.links import fed_by, read_by, write_step_of


def _macs(x, k, options):
    return [r for r in oracle.expected_steps(x, k, **options) if r["phase"] == "mac"]


def _written(p: oracle.Problem, kr: int, kc: int) -> tuple[int, int]:
    """The kernel cell as written that the oracle's loops read at (kr, kc)."""
    return (p.kH - 1 - kr, p.kW - 1 - kc) if p.flip else (kr, kc)


@FAST
@given(option_problems())
def test_links_are_the_oracles_multiply_adds(problem):
    """Every input cell: the outputs it feeds and the weight met in each; every weight: the
    input cells it multiplies; every output: the step that writes it."""
    x, k, options = problem
    p = oracle.Problem(x, k, **options)
    assume(p.fits)
    s = steps(x, k, **options)
    top, _, left, _ = p.pads
    macs = _macs(x, k, options)
    feeds: dict[tuple[int, int], set] = {}
    reads: dict[tuple[int, int], set] = {}
    for r in macs:
        if r["ch"] != 0:
            continue
        cell = (r["in_row"] + top, r["in_col"] + left)
        weight = _written(p, r["kr"], r["kc"])
        feeds.setdefault(cell, set()).add((r["f"], r["row"], r["col"], *weight))
        if r["f"] == 0:
            reads.setdefault(weight, set()).add(cell)
    for row in range(p.padded_h):
        for col in range(p.padded_w):
            got = fed_by(s, row, col)
            assert len(got) == len(set(got))
            assert set(got) == feeds.get((row, col), set()), (row, col)
    for kr in range(p.kH):
        for kc in range(p.kW):
            got = read_by(s, kr, kc)
            assert len(got) == len(set(got)) == p.out_h * p.out_w
            assert set(got) == reads[(kr, kc)]
    records = oracle.expected_steps(x, k, **options)
    for f in range(p.F):
        for row in range(p.out_h):
            for col in range(p.out_w):
                record = records[write_step_of(s, f, row, col)]
                assert (record["phase"], record["f"], record["row"], record["col"]) == (
                    "write", f, row, col)


def test_border_cells_feed_fewer_outputs_than_the_middle():
    """The padding lesson: 5×5 with 3×3, valid: a corner feeds 1 output, the centre 9."""
    s = steps([[0] * 5] * 5, [[1] * 3] * 3)
    assert len(fed_by(s, 0, 0)) == 1
    assert len(fed_by(s, 2, 2)) == 9
    assert sorted(fed_by(s, 0, 0)) == [(0, 0, 0, 0, 0)]
