"""The command at its edges (issue 12 §8, §9, §14): unwritable stdout, no terminal, flags."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eigenvue_tui import cli

REPO = Path(__file__).resolve().parents[2]
PYTHON_M = f"{sys.executable} -m eigenvue_tui"


def shell(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, shell=True, capture_output=True, text=True, cwd=REPO,
                          timeout=30, stdin=subprocess.DEVNULL)


def assert_one_line(result: subprocess.CompletedProcess, problem: str, code: int = 1) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("eigenvue-tui: error: ") and problem in lines[0], lines[0]


@pytest.mark.parametrize("flags", ["--trace", "--list", "large-scroll --trace", "--version"])
def test_closed_stdout_is_one_line(flags):
    assert_one_line(shell(f"{PYTHON_M} {flags} >&-"), "stdout")


@pytest.mark.parametrize("flags", ["--trace", "--list", "large-scroll --trace --step 5"])
def test_full_disk_is_one_line(flags):
    assert_one_line(shell(f"{PYTHON_M} {flags} > /dev/full"), "No space left on device")


def test_list_and_trace_together_are_refused(capsys):
    assert cli.main(["--list", "--trace"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "--list" in err and "--trace" in err


def test_version_comes_from_the_package_metadata():
    result = shell(f"{PYTHON_M} --version")
    version = importlib.metadata.version("eigenvue-tui")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == f"eigenvue-tui {version}\n"
    import eigenvue_tui

    assert eigenvue_tui.__version__ == version


def run_with(stdin: int, stdout: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "eigenvue_tui", *args], stdin=stdin,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=REPO, timeout=30)


@pytest.mark.parametrize("stream", ["stdin", "stdout", "stderr"])
def test_the_app_needs_a_terminal(stream):
    """Without a terminal on every end the app used to run forever, unseen (Textual
    draws on stderr: redirected, the app went into the file). Here stderr is a pipe, and
    the others are a terminal but for the one named."""
    main_fd, terminal = os.openpty()
    try:
        with open(os.devnull, "rb+") as null:
            ends = {"stdin": (null.fileno(), terminal), "stdout": (terminal, null.fileno()),
                    "stderr": (terminal, terminal)}[stream]
            result = run_with(*ends, "edge-detection")
    finally:
        os.close(terminal)
        os.close(main_fd)
    assert_one_line(result, f"{stream} is not a terminal", code=2)
    assert "--trace" in result.stderr


def test_trace_and_list_need_no_terminal():
    for flags in (["--trace"], ["--list"]):
        result = run_with(subprocess.DEVNULL, subprocess.PIPE, *flags)
        assert result.returncode == 0 and result.stderr == "" and result.stdout


def test_bad_input_is_reported_before_the_terminal_check():
    result = shell(f"{PYTHON_M} no-such-preset < /dev/null")
    assert_one_line(result, "unknown preset", code=2)
