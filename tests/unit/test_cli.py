"""The command line: --trace, --list, --step and every bad input of issue 2 §5."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import oracle
from eigenvue_tui import cli
from eigenvue_tui.presets import OPTION_KEYS, catalogue, preset_paths

REPO = Path(__file__).resolve().parents[2]
SEED_INPUT = [[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2], [0, 1, 2, 3]]
SEED_KERNEL = [[1, 0], [0, -1]]

# Issue 2 §1: what a step record exposes (value only on write; output only on done).
STEP_FIELDS = {"step", "phase", "line"}
POSITION_FIELDS = STEP_FIELDS | {"row", "col", "sum"}
MAC_FIELDS = POSITION_FIELDS | {"kr", "kc", "in_row", "in_col", "input", "weight", "product"}


def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "eigenvue_tui", *args],
        capture_output=True, text=True, cwd=REPO, timeout=60, input=input,
    )


def main(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def parse_trace(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def check_trace(records: list[dict], x, k, options: dict | None = None) -> None:
    """Every trace record equals the oracle's step, field by field."""
    options = options or {}
    expected = oracle.expected_steps(x, k, **options)
    problem = oracle.Problem(x, k, **options)
    assert len(records) == len(expected) == problem.n_steps
    for got, want in zip(records, expected, strict=True):
        assert got["step"] == want["step"]
        assert got["phase"] == want["phase"]
        assert isinstance(got["line"], int)
        phase = want["phase"]
        if phase == "init":
            assert set(got) == STEP_FIELDS
            continue
        if phase == "done":
            assert set(got) == STEP_FIELDS | {"output"}
            assert oracle.close(got["output"], want["output"])
            continue
        required = {"reset": POSITION_FIELDS, "mac": MAC_FIELDS,
                    "write": POSITION_FIELDS | {"value"}}[phase]
        assert required <= set(got), (phase, got)
        for key in required - STEP_FIELDS:
            assert oracle.close(got[key], want[key]), (key, got, want)
        if problem.kernel_rank == 4:
            assert got["f"] == want["f"]
        else:
            assert "f" not in got
        if phase == "mac":
            if oracle.depth(x) == 3:
                assert got["ch"] == want["ch"]
            else:
                assert "ch" not in got
            if any(problem.pads):
                assert got["padding"] is want["padding"]


# -- --trace ------------------------------------------------------------------------


def test_trace_default_in_process(capsys):
    code, out, err = main(capsys, "--trace")
    assert code == 0 and err == ""
    records = parse_trace(out)
    assert len(records) == 56
    check_trace(records, SEED_INPUT, SEED_KERNEL)
    lines = {"init": 6, "reset": 10, "mac": 13, "write": 14, "done": 15}
    assert all(r["line"] == lines[r["phase"]] for r in records)
    assert records[-1]["output"] == [[-4, -4, 2], [-4, -4, 4], [6, 6, 6]]  # seed, by hand
    # Seed case: the trace carries exactly the seed's fields, nothing from issue 3.
    mac = next(r for r in records if r["phase"] == "mac")
    assert set(mac) == MAC_FIELDS
    write = next(r for r in records if r["phase"] == "write")
    assert set(write) == POSITION_FIELDS | {"value"}


def test_trace_default_subprocess_is_the_same():
    result = run("--trace")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    check_trace(parse_trace(result.stdout), SEED_INPUT, SEED_KERNEL)
    assert run("default", "--trace").stdout == result.stdout


@pytest.mark.parametrize(
    "name", sorted(e.name for e in catalogue()
                   if e.path.suffix == ".json" and e.op == "conv" and e.view == "grid")
)
def test_trace_every_preset(capsys, name):
    """Every conv preset (the other operations' traces are checked in test_operations)."""
    data = json.loads(preset_paths()[name].read_text(encoding="utf-8"))
    code, out, err = main(capsys, name, "--trace")
    assert code == 0 and err == ""
    options = {key: data[key] for key in OPTION_KEYS if key in data}
    check_trace(parse_trace(out), data["input"], data["kernel"], options)


def test_trace_on_a_file_path(tmp_path, capsys):
    data = {"title": "mine", "input": np.arange(30).reshape(5, 6).tolist(),
            "kernel": [[1, -2, 0], [0.5, 0, 1]]}
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = main(capsys, str(path), "--trace")
    assert code == 0 and err == ""
    check_trace(parse_trace(out), data["input"], data["kernel"])


def test_trace_on_a_file_with_options(tmp_path, capsys):
    rng = np.random.default_rng(11)
    data = {
        "title": "options",
        "input": rng.integers(-5, 6, size=(2, 5, 6)).tolist(),
        "kernel": rng.integers(-2, 3, size=(3, 2, 2, 3)).tolist(),
        "stride": [2, 1], "padding": "same", "dilation": [1, 2], "flip": True,
        "bias": [1, -1, 0], "activation": "relu",
    }
    path = tmp_path / "options.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = main(capsys, str(path), "--trace")
    assert code == 0 and err == ""
    options = {key: data[key] for key in OPTION_KEYS if key in data}
    check_trace(parse_trace(out), data["input"], data["kernel"], options)


def test_trace_inline_grids(capsys):
    x = [[3, 1, 4, 1, 5], [9, 2, 6, 5, 3], [5, 8, 9, 7, 9]]
    k = [[2, 7], [1, 8]]
    code, out, err = main(capsys, "--input", json.dumps(x), "--kernel", json.dumps(k), "--trace")
    assert code == 0 and err == ""
    check_trace(parse_trace(out), x, k)


def test_trace_inline_subprocess_floats():
    x = [[0.5, -1.25, 2], [3, 4.75, -5], [6, 7, 8.125]]
    k = [[0.1, -0.2], [0.3, 0.4]]
    result = run("--trace", "--input", json.dumps(x), "--kernel", json.dumps(k))
    assert result.returncode == 0, result.stderr
    check_trace(parse_trace(result.stdout), x, k)


@pytest.mark.parametrize("start", [0, 1, 2, 6, 7, 20, 54, 55])
def test_trace_with_step_starts_there(capsys, start):
    """``--trace --step N`` prints steps N … last, the same records as the full trace."""
    code, out, _ = main(capsys, "--trace")
    full = parse_trace(out)
    code, out, _ = main(capsys, "--trace", "--step", str(start))
    assert code == 0 and parse_trace(out) == full[start:]


def test_trace_broken_pipe_has_no_traceback():
    x = (np.arange(60 * 60).reshape(60, 60) % 10).tolist()
    command = [sys.executable, "-m", "eigenvue_tui", "--trace",
               "--input", json.dumps(x), "--kernel", "[[1,2,3],[4,5,6],[7,8,9]]"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          cwd=REPO) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        head = [proc.stdout.readline() for _ in range(3)]
        proc.stdout.close()  # like `| head -n 3`
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=60)
    assert [json.loads(line)["step"] for line in head] == [0, 1, 2]
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert err == ""
    assert code in (0, -13, 141), code  # clean exit, or killed by SIGPIPE


def test_trace_pipe_into_head_shell():
    result = subprocess.run(
        f"{sys.executable} -m eigenvue_tui large-scroll --trace | head -n 3",
        shell=True, capture_output=True, text=True, cwd=REPO, timeout=60,
    )
    assert len(result.stdout.splitlines()) == 3
    assert result.stderr == "", result.stderr


# -- --list and --step ------------------------------------------------------------


def test_list_names_every_preset(capsys):
    code, out, err = main(capsys, "--list")
    assert code == 0 and err == ""
    names = [line.split()[0] for line in out.splitlines()]
    on_disk = sorted(p.stem for p in (REPO / "presets").iterdir() if p.suffix in {".json", ".png"})
    assert sorted(names) == on_disk
    assert "(broken)" not in out


def test_list_subprocess():
    result = run("--list")
    assert result.returncode == 0 and result.stderr == ""
    names = {line.split()[0] for line in result.stdout.splitlines()}
    assert {"default", "edge-detection", "blur", "identity"} <= names


def test_list_shows_a_broken_extra_preset(tmp_path, capsys):
    (tmp_path / "oops.json").write_text("{", encoding="utf-8")
    code, out, _ = main(capsys, "--list", "--presets-dir", str(tmp_path))
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("oops"))
    assert "broken" in line and str(tmp_path / "oops.json") in line


@pytest.mark.parametrize("step", ["56", "1000", "-1"])
def test_step_out_of_range(capsys, step):
    code, out, err = main(capsys, "--step", step)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1
    assert "--step" in err and step in err and "55" in err


def test_step_out_of_range_subprocess():
    result = run("edge-detection", "--step", "999")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr and "edge-detection" in result.stderr


# -- bad input (issue 2 §5, issue 3) ------------------------------------------------


def one_line_error(code: int, out: str, err: str, *names: str) -> str:
    assert code == 2, (code, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert any(name in lines[0] for name in names), (names, lines[0])
    return lines[0]


INLINE_BAD = {
    "ragged": ("[[1, 2], [3]]", "[[1]]", "same length"),
    "empty": ("[]", "[[1]]", "empty"),
    "empty-row": ("[[]]", "[[1]]", "empty"),
    "string": ('[[1, "a"]]', "[[1]]", "not a number"),
    "null": ("[[1, null]]", "[[1]]", "not a number"),
    "boolean": ("[[1, 2]]", "[[true]]", "not a number"),
    "nan": ("[[1, NaN]]", "[[1]]", "finite"),
    "infinity": ("[[1, Infinity]]", "[[1]]", "finite"),
    "-infinity": ("[[1, -Infinity]]", "[[1]]", "finite"),
    "kernel-larger": ("[[1, 2], [3, 4]]", "[[1, 2, 3]]", "larger"),
    "invalid-json-input": ("[[1, 2", "[[1]]", "JSON"),
    "invalid-json-kernel": ("[[1, 2]]", "[[1]", "JSON"),
    "over-size": (json.dumps([[0] * 1025]), "[[1]]", "limit"),
    "channel-mismatch": ("[[[1, 2]], [[3, 4]]]", "[[[1]], [[1]], [[1]]]", "channels"),
}


@pytest.mark.parametrize("case", INLINE_BAD, ids=list(INLINE_BAD))
def test_bad_inline_input(capsys, case):
    x, k, problem = INLINE_BAD[case]
    line = one_line_error(*main(capsys, "--input", x, "--kernel", k), "--input", "--kernel")
    assert problem.lower() in line.lower(), line


@pytest.mark.parametrize("case", ["ragged", "nan", "invalid-json-input", "over-size"])
def test_bad_inline_input_subprocess(case):
    x, k, problem = INLINE_BAD[case]
    result = run("--input", x, "--kernel", k, "--trace")
    line = one_line_error(result.returncode, result.stdout, result.stderr, "--input")
    assert problem.lower() in line.lower()


def test_deeply_nested_inline_json(capsys):
    deep = "[" * 50_000 + "]" * 50_000
    one_line_error(*main(capsys, "--input", deep, "--kernel", "[[1]]"), "--input")


def test_deeply_nested_json_file(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text('{"input": ' + "[" * 50_000 + "]" * 50_000 + ', "kernel": [[1]]}',
                    encoding="utf-8")
    one_line_error(*main(capsys, str(path), "--trace"), str(path))


def test_input_without_kernel(capsys):
    one_line_error(*main(capsys, "--input", "[[1]]"), "--input", "--kernel")


def test_source_and_inline_together_replaces_both(capsys):
    """Issue 7 §2: SOURCE keeps its options; --input and --kernel replace its grids."""
    x, k = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 1], [0, 2]]
    code, out, err = main(capsys, "stride-2", "--input", json.dumps(x), "--kernel",
                          json.dumps(k), "--trace")
    assert code == 0, err
    check_trace(parse_trace(out), x, k, {"stride": 2})


FILE_BAD = {
    "ragged": ('{"input": [[1, 2], [3]], "kernel": [[1]]}', "same length"),
    "empty": ('{"input": [], "kernel": [[1]]}', "empty"),
    "string": ('{"input": [[1, "2"]], "kernel": [[1]]}', "not a number"),
    "boolean": ('{"input": [[1, false]], "kernel": [[1]]}', "not a number"),
    "nan": ('{"input": [[NaN]], "kernel": [[1]]}', "finite"),
    "infinity": ('{"input": [[1]], "kernel": [[Infinity]]}', "finite"),
    "kernel-larger": ('{"input": [[1, 2]], "kernel": [[1], [2]]}', "larger"),
    "invalid-json": ('{"input": [[1, 2]], "kernel": ', "JSON"),
    "missing-key": ('{"input": [[1, 2]]}', "kernel"),
    "unknown-key": ('{"input": [[1]], "kernel": [[1]], "strid": 2}', "strid"),
    "over-size": (json.dumps({"input": [[0]] * 1025, "kernel": [[1]]}), "limit"),
    "stride-0": ('{"input": [[1]], "kernel": [[1]], "stride": 0}', "stride"),
    "dilation-0": ('{"input": [[1]], "kernel": [[1]], "dilation": 0}', "dilation"),
    "negative-padding": ('{"input": [[1]], "kernel": [[1]], "padding": -1}', "negative"),
    "padding-word": ('{"input": [[1]], "kernel": [[1]], "padding": "middle"}', "padding"),
    "dilated-too-big": ('{"input": [[1, 2]], "kernel": [[1, 1]], "dilation": 2}', "dilation"),
    "bias-length": ('{"input": [[1]], "kernel": [[1]], "bias": [1, 2]}', "bias"),
    "channels": ('{"input": [[[1]], [[2]]], "kernel": [[[1]]]}', "channels"),
    "top-level-list": ("[1, 2]", "object"),
}


@pytest.mark.parametrize("case", FILE_BAD, ids=list(FILE_BAD))
def test_bad_file(tmp_path, capsys, case):
    text, problem = FILE_BAD[case]
    path = tmp_path / f"{case}.json"
    path.write_text(text, encoding="utf-8")
    line = one_line_error(*main(capsys, str(path), "--trace"), str(path))
    assert problem.lower() in line.lower(), line


@pytest.mark.parametrize("case", ["nan", "missing-key", "invalid-json"])
def test_bad_file_subprocess(tmp_path, case):
    text, problem = FILE_BAD[case]
    path = tmp_path / f"{case}.json"
    path.write_text(text, encoding="utf-8")
    result = run(str(path), "--trace")
    line = one_line_error(result.returncode, result.stdout, result.stderr, str(path))
    assert problem.lower() in line.lower()


def test_missing_file(tmp_path, capsys):
    path = tmp_path / "gone.json"
    line = one_line_error(*main(capsys, str(path), "--trace"), str(path))
    assert "no such file" in line


def test_not_utf8_file(tmp_path, capsys):
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"title": "caf\xe9", "input": [[1]], "kernel": [[1]]}')
    one_line_error(*main(capsys, str(path), "--trace"), str(path))


def test_directory_as_source(tmp_path, capsys):
    folder = tmp_path / "dir.json"
    folder.mkdir()
    one_line_error(*main(capsys, str(folder), "--trace"), str(folder))


def test_unknown_preset_name(capsys):
    line = one_line_error(*main(capsys, "no-such-preset", "--trace"), "no-such-preset")
    assert "unknown preset" in line


def test_unknown_preset_name_subprocess_without_trace():
    """Bad input is refused before the app (and Textual) would start."""
    result = run("no-such-preset")
    one_line_error(result.returncode, result.stdout, result.stderr, "no-such-preset")


def test_presets_dir_not_a_directory(tmp_path, capsys):
    one_line_error(*main(capsys, "--presets-dir", str(tmp_path / "nope"), "--trace"),
                   str(tmp_path / "nope"))


# -- no Textual on the headless paths -------------------------------------------------


def test_python_api_does_not_import_textual():
    code = (
        "import sys, eigenvue_tui\n"
        "s = eigenvue_tui.steps([[1, 2], [3, 4]], [[1]])\n"
        "assert len(list(s)) == len(s) == 2 + 4 * 3, len(s)\n"
        "s[5]; eigenvue_tui.presets()\n"
        "print('textual' in sys.modules, any(m.startswith('textual') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_trace_does_not_import_textual():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "eigenvue_tui", "--trace"],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )
    assert result.returncode == 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")]
    assert "eigenvue_tui.cli" in imported  # the probe sees our own modules…
    assert not [m for m in imported if m.split(".")[0] == "textual"], imported
    assert len(result.stdout.splitlines()) == 56


def test_list_and_errors_do_not_import_textual():
    code = (
        "import sys\n"
        "from eigenvue_tui import cli\n"
        "assert cli.main(['--list']) == 0\n"
        "assert cli.main(['no-such-preset']) == 2\n"
        "assert cli.main(['--step', '999']) == 2\n"
        "sys.stdout.write(str('textual' in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("False")
