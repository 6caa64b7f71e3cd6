"""--export-markdown: the tables hold the grids, the marks sit where --trace says, the output
so far equals numpy's correlation."""

from __future__ import annotations

import json

import numpy as np
import pytest

import oracle
from eigenvue_tui import cli
from eigenvue_tui.presets import resolve


def markdown(capsys, *argv: str) -> str:
    assert cli.main([*argv, "--export-markdown"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def record(capsys, name: str, step: int) -> dict:
    assert cli.main([name, "--trace", "--step", str(step)]) == 0
    return json.loads(capsys.readouterr().out.splitlines()[0])


def tables(text: str) -> dict[str, list[list[str]]]:
    """Each table's cells under its name (header row and row numbers dropped)."""
    found: dict[str, list[list[str]]] = {}
    for block in text.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if len(rows) < 3:
            continue
        cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
        found[cells[0][0]] = [row[1:] for row in cells[2:]]
    return found


def plain(cell: str) -> str:
    return cell.replace("**", "").replace("[", "").replace("]", "").replace("_", "")


@pytest.mark.parametrize("name, step", [("default", 7), ("edge-detection", 37),
                                        ("same-padding", 60), ("stride-2", 14)])
def test_tables_marks_and_sentence(capsys, name, step):
    text = markdown(capsys, name, "--step", str(step))
    rec = record(capsys, name, step)
    spec = resolve(name).spec
    found = tables(text)
    top, _, left, _ = spec.padding
    inputs = np.pad(np.asarray(spec.input[0]), ((top, spec.padding[1]), (left, spec.padding[3])))
    grid = found["input"]
    assert [[float(plain(c)) for c in row] for row in grid] == inputs.tolist()
    assert [[float(plain(c)) for c in row] for row in found["kernel"]] == np.asarray(
        spec.kernel[0, 0]).tolist()
    # The current input cell and weight, where the trace says (padded coordinates).
    current = [(r, c) for r, row in enumerate(grid) for c, cell in enumerate(row)
               if cell.startswith("**[")]
    if rec["phase"] == "mac":
        assert current == [(rec["in_row"] + top, rec["in_col"] + left)]
        kernel_marks = [(r, c) for r, row in enumerate(found["kernel"])
                        for c, cell in enumerate(row) if cell.startswith("**[")]
        assert kernel_marks == [(rec["kr"], rec["kc"])]
        bold = {(r, c) for r, row in enumerate(grid) for c, cell in enumerate(row)
                if cell.startswith("**")}
        r0, c0 = rec["row"] * spec.stride[0], rec["col"] * spec.stride[1]
        assert bold == {(r0 + i, c0 + j) for i in range(spec.kernel_height)
                        for j in range(spec.kernel_width)}
    # Written outputs equal the oracle; the rest are dots.
    x, w = spec.grids()
    expected = oracle.conv2d(x, w, **spec.options()).reshape(spec.out_height, spec.out_width)
    out = found["output"]
    written = rec["row"] * spec.out_width + rec["col"] + (rec["phase"] == "write")
    for flat, cell in enumerate(c for row in out for c in row):
        r, c = divmod(flat, spec.out_width)
        if flat < written:
            assert float(plain(cell)) == expected[r][c]
        else:
            assert plain(cell) == "·"
    assert f"step {step} / " in text
    listing = resolve(name).spec  # the pseudocode line the trace names, as code
    from eigenvue_tui.engine import Steps

    line = Steps(listing).listing.lines[rec["line"] - 1].strip()
    assert f"`{line}`" in text.splitlines()
    if rec["phase"] == "mac":
        assert f"= {rec['product']}, sum = {rec['sum']}" in text
