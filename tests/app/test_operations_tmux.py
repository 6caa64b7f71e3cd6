"""``eigenvue-tui <operation preset>`` in a real terminal (tmux) at 80×24: it opens on the
operation screen, steps, plays through resizes, switches with o, and quits with q."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_tmux import COMMAND, STEP, TMUX, Terminal

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it)")

# The preset, a word its screen shows, the operation the o key goes to from it.
CASES = {
    "transposed-stride-2": ("output 6×6", "maxpool"),
    "maxpool-ceil-mode": ("max window 2×2", "avgpool"),
    "grad-weight": ("dW 2×2", "conv"),
    "im2col": ("unfolded input 4×9", "transposed"),
}


@pytest.fixture(params=list(CASES))
def terminal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Terminal]]:
    assert COMMAND.exists(), f"{COMMAND} is not installed (pip install -e .)"
    term = Terminal(f"eigenvue-ops-{os.getpid()}-{request.param}", tmp_path / "status")
    shell = f"{shlex.quote(str(COMMAND))} {request.param}; echo $? > {term.status}"
    term.tmux("new-session", "-d", "-s", "app", "-x", "80", "-y", "24",
              "-e", "TERM=xterm-256color", shell)
    pane = int(term.tmux("display-message", "-p", "-t", "app", "#{pane_pid}"))
    try:
        yield request.param, term
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pane, signal.SIGKILL)
        term.close()


def test_an_operation_preset_steps_plays_switches_and_quits(terminal) -> None:
    name, term = terminal
    title, next_op = CASES[name]
    last = int(term.wait_for(STEP).group(2))
    term.wait_for(re.compile(re.escape(title)))
    term.keys("Right", "Right", "Right")
    term.wait_for(re.compile(rf"Step 3 / {last}\b"))
    term.wait_for(re.compile("▶"))  # the current pseudocode line is on screen
    screen = term.screen()
    assert "? Help" in screen and "q Quit" in screen  # the key bar keeps help and quit
    term.keys(*["+"] * 6, "space")
    for size in ((120, 40), (80, 24), (100, 30), (80, 24)):
        term.resize(*size)
        time.sleep(0.1)
    term.keys("space", "o")
    # The explorer's status names the play unit; the operation screen names the operation.
    term.wait_for(re.compile("by multiply-add" if next_op == "conv" else f"│ {next_op} │"))
    term.keys("q")
    status = term.exit_status(timeout=20)
    assert status is not None, f"still running 20 s after q:\n{term.screen()}"
    assert status == "0"
