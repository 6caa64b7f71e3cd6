"""``main()`` reports a crashed app with a non-zero status (issue 12 §9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eigenvue_tui import app as app_module
from eigenvue_tui import cli


class Headless(app_module.ConvolutionApp):
    """The real app, run headless so the test needs no terminal."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # not beside this test

    def run(self, **options):  # type: ignore[override]
        return super().run(headless=True, size=(120, 40), **options)


class Crashing(Headless):
    def on_mount(self) -> None:
        raise RuntimeError("an unexpected bug")


class Quitting(Headless):
    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self.exit)


@pytest.fixture
def with_terminal(monkeypatch):
    """Pretend stdin and stdout are a terminal: the app refuses to start otherwise."""
    monkeypatch.setattr(cli, "check_terminal", lambda: None)


def test_a_crash_in_the_app_exits_non_zero(monkeypatch, with_terminal, capsys):
    monkeypatch.setattr(app_module, "ConvolutionApp", Crashing)
    assert cli.main(["edge-detection"]) == 1
    assert "an unexpected bug" in capsys.readouterr().err


def test_a_clean_quit_exits_zero(monkeypatch, with_terminal):
    monkeypatch.setattr(app_module, "ConvolutionApp", Quitting)
    assert cli.main(["edge-detection"]) == 0
