"""Driving the app headless and in tmux, the same way for our app and an empty one.

Only public ways in: the CLI, ``ConvolutionApp(preset, preset_dirs=…)``, Pilot key
presses and the compositor's text, so the figures stay comparable whatever the
app looks like inside.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .common import TERMINAL_SIZE

# What the first frame of the explorer shows (the status line); the empty app shows it too.
PAINTED = "Step 0 /"
EMPTY_APP = f"""
from textual.app import App
from textual.widgets import Static


class Empty(App):
    def compose(self):
        yield Static({PAINTED!r} + " empty")


if __name__ == "__main__":
    Empty().run()
"""


def empty_app() -> Any:
    namespace: dict[str, Any] = {}
    exec(EMPTY_APP, namespace)
    return namespace["Empty"]()


def screen_text(app: Any) -> str:
    """Every line the compositor would paint now."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_painted(app: Any, pilot: Any, text: str = PAINTED, timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while text not in screen_text(app):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{text!r} never shown")
        await pilot.pause()


async def settle(app: Any, pilot: Any) -> None:
    """Until the key's work is done: messages handled, workers finished, screen redrawn."""
    await pilot.pause()
    await asyncio.wait_for(app.workers.wait_for_complete(), 300)
    await pilot.pause()


class Tmux:
    """A private tmux server (its own socket): only sessions started here are touched."""

    def __init__(self) -> None:
        self.executable = shutil.which("tmux") or "tmux"
        self.socket = f"eigenvue-bench-{os.getpid()}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        self.count = 0

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([self.executable, "-f", "/dev/null", "-L", self.socket, *args],
                              capture_output=True, text=True, check=check, env=self.env,
                              timeout=30)

    @contextmanager
    def session(self, command: list[str]) -> Iterator[str]:
        if not self.count:  # a server left with no session exits, and a new-session that
            # reaches it while it shuts down fails: one idle session keeps it up throughout
            self.run("new-session", "-d", "-s", "keep-alive", "sleep 86400")
        self.count += 1
        name = f"bench-{self.count}"
        width, height = TERMINAL_SIZE
        self.run("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
                 "exec " + shlex.join(command))
        try:
            yield name
        finally:
            self.run("kill-session", "-t", name, check=False)

    def wait_for(self, name: str, text: str, timeout: float = 60) -> float:
        """Poll the pane every 10 ms until ``text`` shows; the time it was seen."""
        deadline = time.perf_counter() + timeout
        while True:
            pane = self.run("capture-pane", "-p", "-t", name, check=False).stdout
            now = time.perf_counter()
            if text in pane:
                return now
            if now > deadline:
                raise TimeoutError(f"{text!r} not on the pane after {timeout:.0f} s")
            time.sleep(0.01)

    def pid(self, name: str) -> int:
        return int(self.run("display-message", "-p", "-t", name, "#{pane_pid}").stdout)

    def close(self) -> None:
        if self.count:
            self.run("kill-server", check=False)
            folder = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
            (folder / self.socket).unlink(missing_ok=True)


def compile_package() -> None:
    """Byte-compile the app's modules, as installing it does (pip compiles what it
    installs). An editable install run with ``PYTHONDONTWRITEBYTECODE`` set (as on
    this machine) would otherwise compile every module from source at every start,
    while Textual, installed normally, starts from bytecode."""
    import compileall

    import eigenvue_tui

    compileall.compile_dir(Path(eigenvue_tui.__file__).parent, quiet=1)


def app_command(path: Path | None) -> list[str]:
    return [sys.executable, "-m", "eigenvue_tui", *([str(path)] if path else [])]
