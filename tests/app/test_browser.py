"""--serve in a real browser: headless chromium opens the page, sees Step 0, presses → and sees
Step 1, and a PNG of the page is saved. The browser test of the suite (``-k browser``).

The page's terminal (xterm.js) draws on a canvas, so what it shows is read from what
the page received on its websocket, put through a terminal-escape filter; the PNG is
there for a human (and is checked to be more than a blank page).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)")


def browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server ended"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


@pytest.fixture
def served(tmp_path):
    """``eigenvue-tui default --serve --port P`` running; its URL. Stopped with its apps."""
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "eigenvue_tui", "default", "--serve", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=tmp_path,
        start_new_session=True,  # one group: the server and every visitor's app
    )
    try:
        wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_browser_steps_the_served_app(served, tmp_path):
    executable = browser()
    if executable is None:
        pytest.skip(f"no browser found (looked for {', '.join(BROWSERS)}; .ci/run installs"
                    " Debian's chromium when run as root)")
    from PIL import Image
    from playwright.sync_api import sync_playwright

    received: list[str] = []

    def shown() -> str:
        return ESCAPE.sub("", "".join(received))

    def until(text: str, page, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while text not in shown():
            assert time.monotonic() < deadline, f"{text!r} never shown; got {shown()[-300:]!r}"
            page.wait_for_timeout(100)

    def on_socket(ws) -> None:
        ws.on("framereceived", lambda payload: received.append(
            payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload))

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 800},
        )
        try:
            page = context.new_page()
            page.on("websocket", on_socket)
            page.goto(served)
            until("Step 0 /", page)
            page.focus(".xterm-helper-textarea")
            before = len(received)
            page.keyboard.press("ArrowRight")
            until("Step 1 /", page)
            assert len(received) > before
            page.wait_for_timeout(500)  # the canvas draws on the next frame
            png = tmp_path / "browser.png"
            page.screenshot(path=str(png))
        finally:
            context.close()
    assert "Default (4×4, 2×2)" in shown()
    with Image.open(png) as image:
        assert image.size == (1280, 800)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20, "the page is blank"
    print(f"browser screenshot: {png}")
    keep = os.environ.get("EIGENVUE_BROWSER_PNG")
    if keep:
        shutil.copy(png, Path(keep))
