"""The command line for the operations beyond conv: --op, its options, --trace, --list, errors."""

from __future__ import annotations

import json
from contextlib import nullcontext

import numpy as np
import pytest

import ops_oracle as oo
from eigenvue_tui import cli
from eigenvue_tui.presets import catalogue, preset_paths

SEED_INPUT = [[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2], [0, 1, 2, 3]]
SEED_KERNEL = [[1, 0], [0, -1]]


def main(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def trace(capsys, *argv: str) -> list[dict]:
    code, out, err = main(capsys, *argv, "--trace")
    assert code == 0 and err == "", err
    return [json.loads(line) for line in out.splitlines()]


def same_records(records: list[dict], expected: list[dict]) -> None:
    assert len(records) == len(expected)
    for i, (got, want) in enumerate(zip(records, expected, strict=True)):
        assert got["step"] == i and isinstance(got["line"], int)
        assert set(got) - {"step", "line"} == set(want), (got, want)
        for key, value in want.items():
            assert oo.same(got[key], value), (key, got, want)


def _pair(value, default=(0, 0)):
    if value is None:
        return list(default)
    return [value, value] if isinstance(value, int) else list(value)


def expected_for(data: dict) -> list[dict]:
    """The oracle's records for a preset file's problem (2-D grids, as the presets are)."""
    op, x = data["op"], [data["input"]]
    stride = _pair(data.get("stride"), (1, 1))
    if op == "transposed":
        k = [[data["kernel"]]]
        pad, dil = _pair(data.get("padding")), _pair(data.get("dilation"), (1, 1))
        outp = _pair(data.get("output_padding"))
        out = oo.conv_transpose2d(x, k, stride, pad, dil, outp)
        expected = oo.scatter_steps(x, k, (len(out[0]), len(out[0][0])), stride, pad, dil)
        expected[-1]["output"] = out[0]
        return expected
    pool = _pair(data["pool"])
    return oo.pool_steps(op, x, pool, _pair(data.get("stride"), pool),
                         _pair(data.get("padding")), _pair(data.get("dilation"), (1, 1)),
                         data.get("ceil_mode", False), data.get("count_include_pad", True),
                         data.get("divisor_override"))


SCATTER_AND_POOL = [e.name for e in catalogue() if e.op in ("transposed", "maxpool", "avgpool")]


@pytest.mark.parametrize("name", SCATTER_AND_POOL)
def test_trace_of_each_transposed_and_pool_preset_equals_the_oracle(capsys, name):
    data = json.loads(preset_paths()[name].read_text(encoding="utf-8"))
    same_records(trace(capsys, name), expected_for(data))


def test_the_issue_presets_exist():
    ops = {e.name: (e.op, e.view) for e in catalogue()}
    assert {op for op, _ in ops.values()} >= {"conv", "transposed", "maxpool", "avgpool",
                                              "grad-input", "grad-weight"}
    assert ("conv", "im2col") in ops.values()
    data = {n: json.loads(p.read_text(encoding="utf-8")) for n, p in preset_paths().items()
            if p.suffix == ".json"}
    assert any(d.get("op") == "transposed" and d.get("output_padding") for d in data.values())
    assert any(d.get("op") == "maxpool" and d.get("ceil_mode") for d in data.values())
    assert any(d.get("op") == "avgpool" and d.get("count_include_pad") is False
               and d.get("padding") for d in data.values())
    for op in ("grad-input", "grad-weight"):
        d = next(d for d in data.values() if d.get("op") == op)
        assert (d["input"], d["kernel"]) == (SEED_INPUT, SEED_KERNEL)


def test_grad_presets_trace_the_chain_rule(capsys):
    dx, dw, _ = oo.conv_grads([SEED_INPUT], [[SEED_KERNEL]], [[[1] * 3] * 3], (1, 1),
                              (0, 0, 0, 0), (1, 1))
    records = trace(capsys, "grad-input")
    assert records[-1]["output"] == dx[0]
    assert len(records) == 2 + 9 * 4
    records = trace(capsys, "grad-weight")
    assert records[-1]["output"] == dw[0][0]
    writes = [r for r in records if r["phase"] == "write"]
    assert [w["value"] for w in writes] == [v for row in dw[0][0] for v in row]


def test_grad_output_option_and_bias(capsys):
    dy = [[1, 0, 2], [0, -1, 0], [3, 0, 1]]
    records = trace(capsys, "default", "--op", "grad-weight", "--bias", "1",
                    "--grad-output", json.dumps(dy))
    _, dw, db = oo.conv_grads([SEED_INPUT], [[SEED_KERNEL]], [dy], (1, 1), (0, 0, 0, 0), (1, 1))
    assert records[-1]["output"] == dw[0][0]
    assert records[-1]["grad_bias"] == db
    assert [r["phase"] for r in records[-12:-1]] == \
        ["bias_reset", *["bias_add"] * 9, "bias_write"]


def test_im2col_trace_places_every_mac_in_the_unfolded_matrix(capsys):
    records = trace(capsys, "im2col")
    unfolded = oo.unfold([SEED_INPUT], 2, 2, (1, 1), (0, 0, 0, 0), (1, 1))
    assert records[0]["unfold_shape"] == [4, 9] and records[0]["weight_shape"] == [1, 4]
    assert records[0]["multiplies"] == 36
    macs = [r for r in records if r["phase"] == "mac"]
    assert len(macs) == 36
    for r in macs:
        assert unfolded[r["unfold_row"]][r["unfold_col"]] == r["input"]
    # Apart from the im2col fields, the same steps as the plain conv.
    plain = trace(capsys, "default")
    extra = {"unfold_row", "unfold_col", "unfold_shape", "weight_shape", "multiplies"}
    assert [{k: v for k, v in r.items() if k not in extra} for r in records] == plain


def test_op_on_a_conv_preset_and_inline(capsys):
    records = trace(capsys, "default", "--op", "maxpool")  # window = the kernel's 2×2
    assert records[-1]["output"] == [[5, 6], [8, 9]]
    records = trace(capsys, "--input", "[[1,2],[3,4]]", "--op", "avgpool", "--pool", "2",
                    "--stride", "1", "--padding", "1", "--no-count-include-pad")
    want = oo.pool_steps("avgpool", [[[1, 2], [3, 4]]], (2, 2), (1, 1), (1, 1),
                         count_include_pad=False)
    same_records(records, want)
    records = trace(capsys, "--input", "[[1,2],[3,4]]", "--kernel", "[[1,1],[1,1]]",
                    "--op", "transposed", "--stride", "2", "--output-padding", "1")
    assert records[-1]["output"] == oo.conv_transpose2d(
        [[[1, 2], [3, 4]]], [[[[1, 1], [1, 1]]]], (2, 2), (0, 0), (1, 1), (1, 1))[0]
    records = trace(capsys, "maxpool", "--ceil-mode", "--pool", "3", "--stride", "2")
    assert np.asarray(records[-1]["output"]).shape == (2, 2)


def test_trace_from_a_step(capsys):
    full = trace(capsys, "transposed")
    assert trace(capsys, "transposed", "--step", "17") == full[17:]


def test_list_shows_each_operation(capsys):
    code, out, err = main(capsys, "--list")
    assert code == 0 and err == ""
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()}
    for entry in catalogue():
        assert rows[entry.name] == (entry.op if entry.view == "grid"
                                    else f"{entry.op}/{entry.view}")


@pytest.mark.parametrize("argv,message", [
    (["--op", "transposed", "--output-padding", "1"], "output_padding 1 must be smaller"),
    (["--op", "maxpool", "--pool", "2", "--padding", "2"], "over half the 2 window"),
    (["--op", "grad-input", "--grad-output", "[[1]]"], "grad_output is 1×1 but the forward"),
    (["--op", "grad-input", "--grad-output", "[[1"], "--grad-output: invalid JSON"),
    (["--input", "[[1,2]]", "--kernel", "[[1]]", "--op", "maxpool", "--pool", "1"],
     "takes no kernel"),
    (["--op", "maxpool", "--pool", "5"], "does not fit"),
    (["maxpool", "--op", "conv"], "conv needs a kernel"),
    (["--pool", "2"], "conv does not take pool"),
    (["--op", "avgpool", "--dilation", "2"], "does not take dilation"),
    (["--op", "transposed", "--padding", "same"], "padding must be P or PH,PW"),
    (["maxpool", "--view", "im2col"], "im2col view is for conv only"),
    (["--op", "nope"], "invalid choice"),
    (["transposed"], "stdin is not a terminal"),  # the app opens it (on a terminal)
    (["im2col"], "stdin is not a terminal"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    with pytest.raises(SystemExit) if "nope" in argv else nullcontext() as caught:
        code = cli.main(argv)
    if caught is not None:
        code = caught.value.code
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1, err



def big_im2col_preset(tmp_path, size=128, kernel=31):
    """A conv whose unfolded input is ``kernel²`` rows by ``(size − kernel + 1)²`` columns."""
    rng = np.random.default_rng(5)
    path = tmp_path / "wide.json"
    path.write_text(json.dumps({
        "input": rng.integers(-3, 4, (size, size)).tolist(),
        "kernel": rng.integers(-1, 2, (kernel, kernel)).tolist(), "view": "im2col"}))
    return path


def test_an_im2col_view_too_big_to_unfold_is_refused_with_one_line(tmp_path, capsys):
    """Opening it would unfold 961 × 9604 cells (74 MB; 1024² ⊛ 31² was 7.6 GB)."""
    path = big_im2col_preset(tmp_path)
    assert cli.main([str(path)]) == 2
    out, err = capsys.readouterr()
    rows, columns = 31 * 31, (128 - 31 + 1) ** 2
    assert out == "" and err.count("\n") == 1
    assert str(path) in err and f"{rows:,}×{columns:,} matrix" in err
    assert "--trace --view im2col" in err


def test_an_im2col_view_under_the_limit_opens_with_the_unfolded_matrix(tmp_path):
    from eigenvue_tui.im2col import MAX_UNFOLDED_CELLS, Im2col, im2col_refusal
    from eigenvue_tui.presets import load_preset

    preset = load_preset(big_im2col_preset(tmp_path, size=48, kernel=16))
    unfolded = Im2col(cli.build(preset.spec)).unfolded()
    want = oo.unfold([preset.spec.input[0].tolist()], 16, 16, (1, 1), (0, 0, 0, 0), (1, 1))
    np.testing.assert_array_equal(unfolded, want)
    assert unfolded.size <= MAX_UNFOLDED_CELLS and im2col_refusal(preset.spec) is None
