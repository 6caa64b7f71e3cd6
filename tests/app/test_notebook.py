"""eigenvue_tui.show() in a Jupyter kernel (a stub IPython): served on loopback, shown in an
IFrame, the problem and step carried over, and stopped by the kernel's exit hook."""

from __future__ import annotations

import sys
import types
import urllib.request

import pytest

import eigenvue_tui
from eigenvue_tui import notebook


class Frame:
    def __init__(self, src: str, width: object, height: object) -> None:
        self.src, self.width, self.height = src, width, height


@pytest.fixture
def kernel(monkeypatch):
    """A stub ``IPython`` whose shell has a kernel; what it displayed and what ran at exit."""
    shown: list[object] = []
    at_exit: list[object] = []
    shell = types.SimpleNamespace(kernel=object())
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: shell
    display = types.ModuleType("IPython.display")
    display.IFrame = Frame
    display.display = shown.append
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    monkeypatch.setattr(notebook.atexit, "register", at_exit.append)
    yield types.SimpleNamespace(shown=shown, at_exit=at_exit, shell=shell)
    for stop in at_exit:
        stop()


def test_show_serves_inline_and_stops_at_kernel_exit(kernel):
    assert eigenvue_tui.show([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, -1]],
                             title="From a notebook", step=4, padding="same") is None
    [frame] = kernel.shown
    assert isinstance(frame, Frame) and frame.src.startswith("http://127.0.0.1:")
    served = notebook.SERVED[-1]
    assert served.url == frame.src
    page = urllib.request.urlopen(frame.src, timeout=10).read().decode()
    assert "textual-terminal" in page and "googleapis" not in page
    # The file the server runs holds the problem as given, the step on its command line.
    [path] = served.folder.glob("*.json")
    assert '"title": "From a notebook"' in path.read_text()
    assert '"padding": "same"' in path.read_text()
    assert served.process.args[-5:] == ["--step", "4", "--serve", "--port",
                                        frame.src.rsplit(":", 1)[1].rstrip("/")]
    # The kernel exits: its atexit hooks run, the server and its folder are gone.
    assert served.stop in kernel.at_exit
    for stop in kernel.at_exit:
        stop()
    kernel.at_exit.clear()
    assert served.process.poll() is not None and not served.folder.exists()
    with pytest.raises(OSError):
        urllib.request.urlopen(frame.src, timeout=2)


def test_outside_a_kernel_show_runs_in_the_terminal(monkeypatch):
    """A plain (terminal) IPython has no kernel: the app runs here, nothing is served."""
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: types.SimpleNamespace()
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    ran: list[object] = []
    from eigenvue_tui import app as app_module
    from eigenvue_tui import cli

    monkeypatch.setattr(app_module.ConvolutionApp, "run", lambda self: ran.append(self))
    monkeypatch.setattr(cli, "terminal_problem", lambda: None)  # as on a terminal
    eigenvue_tui.show([[1, 2], [3, 4]], [[1]], step=2)
    [app] = ran
    assert app._start_step == 2 and app._preset.title == "Python grids"
