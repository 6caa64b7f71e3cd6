"""The reproduce command (--print-command, what y copies): every source and option round-trips.

The oracle is the CLI's own --trace: the command printed for a view, run with
--trace, must print exactly the steps the original arguments print.
"""

from __future__ import annotations

import json
import re
import shlex
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from eigenvue_tui import cli
from eigenvue_tui.learn import shift_right
from eigenvue_tui.share import command_text, reproduce
from eigenvue_tui.share_cli import served_command

REPO = Path(__file__).resolve().parents[2]
CAMERA = str(REPO / "presets" / "camera.png")
SEED = '[[1,2,3,0],[4,5,6,1],[7,8,9,2],[0,1,2,3]]'

CASES = [
    ["default"],
    ["edge-detection", "--padding", "same", "--step", "37"],
    ["default", "--stride", "2", "--dilation", "1"],
    ["stride-2", "--stride", "1"],  # back to the default: still a flag, the preset says 2
    ["bias-relu", "--no-relu", "--bias", "-2.5"],
    ["flip", "--no-flip", "--step", "3"],
    ["default", "--padding", "1,0,2,1", "--flip"],
    ["same-padding", "--padding", "valid"],
    ["dilation-2", "--dilation", "1,2", "--padding", "full"],
    ["rgb-channels", "--stride", "2"],
    ["two-filters", "--bias", "1,-1", "--relu"],
    ["--input", SEED, "--kernel", "[[1,0],[0,-1]]"],
    ["--input", SEED, "--kernel", "sobel-x", "--padding", "same"],
    ["--input", "[[0.5,1.25],[3,4]]", "--kernel", "[[2]]", "--bias", "0.25"],
    ["--input", SEED, "--op", "maxpool", "--pool", "2", "--stride", "1"],
    ["--input", SEED, "--op", "avgpool", "--pool", "3", "--padding", "1",
     "--no-count-include-pad", "--divisor-override", "4"],
    [CAMERA, "--size", "8"],
    [CAMERA, "--size", "6x9", "--rgb", "--stride", "2"],
    ["default", "--op", "maxpool"],
    ["maxpool", "--stride", "1", "--ceil-mode"],
    ["transposed", "--stride", "2", "--output-padding", "1"],
    ["grad-input", "--padding", "1"],
    ["grad-weight", "--grad-output", "[[1,2,3],[4,5,6],[7,8,9]]"],
    ["default", "--view", "im2col"],
    ["edge-detection", "--kernel", "sharpen", "--input", SEED],
]


def trace(capsys, argv: list[str]) -> str:
    assert cli.main([*argv, "--trace"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def printed(capsys, argv: list[str]) -> list[str]:
    assert cli.main([*argv, "--print-command"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.endswith("\n") and out.count("\n") == 1
    words = shlex.split(out)
    assert words[0] == "eigenvue-tui"
    return words[1:]


def without_step(argv: list[str]) -> list[str]:
    if "--step" in argv:
        i = argv.index("--step")
        return argv[:i] + argv[i + 2:]
    return argv


@pytest.mark.parametrize("argv", CASES, ids=lambda a: " ".join(a)[:60])
def test_printed_command_traces_the_same_problem(capsys, argv):
    command = printed(capsys, argv)
    assert trace(capsys, without_step(command)) == trace(capsys, without_step(argv))
    # Run again, the command prints itself: it is already the shortest form.
    assert printed(capsys, command) == command


def test_a_preset_reads_as_its_name_and_only_the_changed_flags(capsys):
    assert printed(capsys, ["edge-detection", "--padding", "same", "--step", "37"]) == [
        "edge-detection", "--padding", "same", "--step", "37"]
    assert printed(capsys, ["edge-detection", "--look", "heat", "--zoom", "-1"]) == [
        "edge-detection", "--look", "heat", "--zoom", "-1"]
    assert printed(capsys, ["stride-2"]) == ["stride-2"]


def test_a_picture_keeps_its_path_exact_size_and_rgb(capsys):
    words = printed(capsys, [CAMERA, "--size", "8", "--rgb"])
    assert words[:3] == [CAMERA, "--size", words[2]] and words[3] == "--rgb"
    h, w = (int(n) for n in words[2].split("x"))
    assert max(h, w) == 8


def test_a_file_by_path_is_absolute(capsys, tmp_path, monkeypatch):
    (tmp_path / "mine.json").write_text(json.dumps(
        {"input": [[1, 2], [3, 4]], "kernel": [[1]], "stride": 2}))
    monkeypatch.chdir(tmp_path)
    words = printed(capsys, ["mine.json", "--no-flip", "--stride", "1"])
    assert words == [str(tmp_path / "mine.json"), "--stride", "1"]


def test_edited_grids_go_inline_beside_the_source():
    preset = cli.choose_preset(cli.build_parser().parse_args(["edge-detection"]))
    shifted = shift_right(preset.spec)
    words = reproduce(preset, shifted, step=4)
    assert words[1] == "edge-detection" and "--input" in words and "--kernel" not in words
    again = cli.choose_preset(cli.build_parser().parse_args(words[1:]))
    assert again.spec == shifted


def test_a_source_that_cannot_say_it_falls_back_to_inline(tmp_path):
    path = tmp_path / "biased.json"
    path.write_text(json.dumps({"input": [[1, 2], [3, 4]], "kernel": [[1]], "bias": 3}))
    preset = cli.choose_preset(cli.build_parser().parse_args([str(path)]))
    unbiased = preset.spec.with_options(bias=None)  # the CLI has no flag to drop a bias
    words = reproduce(preset, unbiased)
    assert words[1] == "--input" and str(path) not in words
    assert cli.choose_preset(cli.build_parser().parse_args(words[1:])).spec == unbiased
    path.unlink()  # the file gone: inline as well
    assert reproduce(preset)[1] == "--input"
    assert reproduce(replace(preset, path=None))[1] == "--input"


def test_command_text_survives_a_shell():
    words = ["eigenvue-tui", "--input", "[[1, 2]]", "--kernel", "[[1]]", "--title", "it's"]
    assert shlex.split(command_text(words)) == words


def test_a_path_with_control_bytes_is_quoted_so_the_terminal_obeys_none(tmp_path):
    """``--print-command`` printed a path's escape sequences raw; ``$'…'`` gives bash
    back every byte, a file name's undecodable ones included."""
    import os

    words = ["eigenvue-tui", "esc\x1b[31m.json", "bell\x07 it's \\", "\u202egnp.json",
             os.fsdecode(b"\xff\xfe.json"), "café"]
    text = command_text(words)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202e]", text), repr(text)
    echoed = subprocess.run(["bash", "-c", f'set -- {text}; printf "%s\\0" "$@"'],
                            capture_output=True, check=True).stdout
    assert [os.fsdecode(word) for word in echoed.split(b"\0")[:-1]] == words


def test_the_served_command_never_serves():
    argv = ["default", "--serve", "--host", "0.0.0.0", "--port=9000", "--step", "3", "--ser",
            "--ho=x", "--por", "1", "--watch"]
    words = shlex.split(served_command(argv))
    assert words[1:3] == ["-m", "eigenvue_tui"]
    assert words[3:] == ["default", "--step", "3", "--watch"]


@pytest.mark.parametrize("argv, words", [
    (["--print-command", "--trace"], "--trace and --print-command"),
    (["--screenshot", "x.svg", "--serve"], "--screenshot and --serve"),
    (["--terminal-size", "80x24"], "--terminal-size goes with --screenshot"),
    (["--port", "80"], "--host and --port go with --serve"),
    (["--serve", "--port", "0"], "--port 0"),
    (["--screenshot", "x.png"], "must end in .svg"),
    (["--screenshot", "x.svg", "--terminal-size", "big"], "--terminal-size big"),
    (["--input", SEED, "--kernel", "[[1]]", "--watch"], "--watch needs a preset file"),
    (["maxpool", "--export-markdown"], "conv problems"),
    (["--look", "fuzzy"], "invalid choice"),
    (["--zoom", "100000", "--screenshot", "x.svg"], "--zoom 100000: give -16 … 16"),
    (["--zoom", "-17"], "--zoom -17: give -16 … 16"),
])
def test_sharing_mistakes_are_one_line_and_status_2(capsys, argv, words):
    try:
        code = cli.main(argv)
    except SystemExit as exit_:  # argparse's own check (a bad choice) exits
        code = exit_.code
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def run_cli(*args: str, prelude: str = "") -> subprocess.CompletedProcess:
    code = f"import sys\n{prelude}\nfrom eigenvue_tui.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def test_serve_without_textual_serve_names_the_extra():
    result = run_cli("--serve", prelude="sys.modules['textual_serve'] = None")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("eigenvue-tui: error: --serve needs textual-serve:"
                             " pip install 'eigenvue-tui[web]'\n")


def test_serve_on_a_taken_port_is_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("--serve", "--port", str(port))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and f"127.0.0.1:{port}" in result.stderr
