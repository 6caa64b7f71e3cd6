"""The garbage collector is paused while the package loads and the command starts, and
runs again for everything after: the output of a command, and a caller's own code."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from eigenvue_tui import cli, collection


@pytest.fixture
def collecting():
    """Each test starts with the collector on, and leaves it so whatever it asserts."""
    gc.enable()
    yield
    collection.resume()
    gc.enable()


def test_pause_stops_the_collector_and_resume_starts_it(collecting):
    collection.pause()
    assert not gc.isenabled()
    collection.resume()
    assert gc.isenabled()


def test_a_collector_someone_else_stopped_stays_stopped(collecting):
    gc.disable()
    collection.pause()
    collection.resume()
    assert not gc.isenabled()


@pytest.mark.parametrize("before", ["", "gc.disable(); "])
def test_importing_the_package_leaves_the_collector_as_it_was(before):
    code = f"import gc; {before}was = gc.isenabled(); import eigenvue_tui; " \
           "assert gc.isenabled() == was, gc.isenabled()"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_trace_is_written_with_the_collector_on(collecting, monkeypatch, capsys):
    import eigenvue_tui.trace

    seen = []
    real = eigenvue_tui.trace.write_trace

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(eigenvue_tui.trace, "write_trace", watched)
    assert cli.main(["--trace"]) == 0
    assert seen == [True]
    assert capsys.readouterr().out.count("\n") > 10


@pytest.mark.parametrize("argv", [["--list"], ["--kernels"], ["no-such-preset"],
                                  ["--step", "-1"]])
def test_every_command_ends_with_the_collector_on(collecting, argv, capsys):
    cli.main(argv)
    assert gc.isenabled()
