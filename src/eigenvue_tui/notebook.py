"""``eigenvue_tui.show()`` inside a Jupyter kernel: the app served on a free loopback port
and shown inline in an ``IFrame``; the server stops when the kernel does.

The problem goes to the server as a preset file in a temporary folder (argv has a
length limit a large grid would pass); the server is ``eigenvue-tui FILE --serve``.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .presets import Preset

START_SECONDS = 30.0
SERVED: list[Served] = []  # every server this kernel started, newest last


def kernel_shell() -> Any | None:
    """The IPython shell when it runs in a kernel (Jupyter), else ``None`` (a terminal
    IPython has no kernel, and runs the app in the terminal)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if getattr(shell, "kernel", None) is not None else None


class Served:
    """One app served for the notebook: its address, and ``stop()``."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, folder: Path) -> None:
        self.process, self.url, self.folder = process, url, folder

    def stop(self) -> None:
        """End the server and every visitor's app (one process group), drop the file."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __repr__(self) -> str:
        return f"<eigenvue-tui served at {self.url}>"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def show_inline(preset: Preset, step: int = 0, *, height: int = 640) -> Served:
    """Serve ``preset`` at ``step`` on a free loopback port and display it in the notebook."""
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        raise ModuleNotFoundError(
            "show() in a notebook serves the app: pip install 'eigenvue-tui[web]'"
        ) from None
    from IPython.display import IFrame, display

    folder = Path(tempfile.mkdtemp(prefix="eigenvue-show-"))
    path = folder / f"{preset.name}.json"
    input_grid, kernel = preset.spec.grids()
    data = {"title": preset.title, "input": input_grid, "kernel": kernel,
            **preset.spec.options()}
    path.write_text(json.dumps(data), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "eigenvue_tui", str(path), "--step", str(step), "--serve",
         "--port", str(port)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    served = Served(process, f"http://127.0.0.1:{port}/", folder)
    atexit.register(served.stop)  # the kernel's exit ends the server
    if not _listening(port, process):
        served.stop()
        raise RuntimeError(f"show(): the server on port {port} did not start")
    SERVED.append(served)
    display(IFrame(served.url, width="100%", height=height))
    return served


def _listening(port: int, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False
