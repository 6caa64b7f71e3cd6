"""Peak RSS of the app on the largest problem, in its own process.

``python -m eigenvue_tui FILE`` in tmux: the pane's process is the app, and its
``VmHWM`` (peak resident set) is read from /proc once it has painted and its
background load has had time to finish. The reference is the empty Textual app.
"""

from __future__ import annotations

import time
from pathlib import Path

from .common import Report
from .harness import EMPTY_APP, PAINTED, Tmux, app_command

NAME = "memory"
LIMIT_MB = 120


def peak_mb(tmux: Tmux, command: list[str], settle_s: float) -> float:
    with tmux.session(command) as name:
        tmux.wait_for(name, PAINTED)
        time.sleep(settle_s)
        status = Path(f"/proc/{tmux.pid(name)}/status").read_text()
    kib = next(int(line.split()[1]) for line in status.splitlines()
               if line.startswith("VmHWM:"))
    return kib / 1024


def run(report: Report, quick: bool, path: Path, workdir: Path, tmux: Tmux | None) -> None:
    if tmux is None:
        return
    script = workdir / "empty.py"
    script.write_text(EMPTY_APP)
    settle_s = 3 if quick else 6
    empty = peak_mb(tmux, [app_command(None)[0], str(script)], 1)
    ours = peak_mb(tmux, app_command(path), settle_s)
    report.add(NAME, "1024²⊛31²", "peak RSS (VmHWM) of the app", ours, "MB",
               reference=empty, reference_name="MB empty app", target=f"< {LIMIT_MB} MB",
               check=ours < LIMIT_MB, note=f"read {settle_s} s after the first frame")
