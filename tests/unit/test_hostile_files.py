"""Hostile preset files (issue 12 §4–6, 10, 11, 14) through the CLI and ``--list``.

Every refused file ends in one line on stderr and status 2, within a timeout (a
FIFO or ``/dev/zero`` used to hang or eat memory); a tamed file loads with its
text stripped of control characters and cut to the documented length.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import hostile
from eigenvue_tui.presets import (
    MAX_DESCRIPTION_CHARS,
    MAX_TITLE_CHARS,
    PresetError,
    catalogue,
    load_preset,
)

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "eigenvue_tui", *args], stdin=subprocess.DEVNULL,
        capture_output=True, text=True, cwd=REPO, timeout=30,
    )


def one_line(result: subprocess.CompletedProcess, problem: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    assert problem in lines[0], lines[0]
    assert not hostile.CONTROL.search(result.stderr), repr(result.stderr)
    return lines[0]


@pytest.mark.parametrize("case", hostile.REFUSED)
@pytest.mark.parametrize("flags", [("--trace",), ()], ids=["trace", "app"])
def test_refused_file_as_source_is_one_line(tmp_path, case, flags):
    write, problem = hostile.REFUSED[case]
    path = write(tmp_path)
    line = one_line(run(str(path), *flags), problem)
    assert line.startswith("eigenvue-tui: error: ")
    assert ("evil" if case == "control-name" else path.name) in line


@pytest.mark.parametrize("case", hostile.REFUSED)
def test_refused_file_is_a_broken_entry_of_list(tmp_path, case):
    write, problem = hostile.REFUSED[case]
    write(tmp_path)
    result = run("--list", "--presets-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert not hostile.CONTROL.search(result.stdout), repr(result.stdout)
    lines = result.stdout.splitlines()
    broken = [line for line in lines if "(broken)" in line]
    assert len(broken) == 1 and problem in broken[0], broken
    assert any(line.split()[0] == "default" for line in lines)


@pytest.mark.parametrize("case", hostile.REFUSED)
def test_refused_file_in_the_catalogue(tmp_path, case):
    write, problem = hostile.REFUSED[case]
    path = write(tmp_path)
    entries = [e for e in catalogue((tmp_path,)) if e.path == path]
    assert len(entries) == 1 and entries[0].error and problem in entries[0].error
    assert not hostile.CONTROL.search(entries[0].error + entries[0].name)
    with pytest.raises(PresetError) as info:
        load_preset(path)
    assert str(info.value) == entries[0].error


def test_fifo_is_never_opened(tmp_path, monkeypatch):
    """A FIFO is refused from its stat, before any open (which would block)."""
    import os

    path = hostile.fifo(tmp_path)
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    with pytest.raises(PresetError, match="not a regular file"):
        load_preset(path)
    assert opened == []


def test_huge_title_and_description_are_cut(tmp_path):
    path = hostile.huge_title(tmp_path)
    preset = load_preset(path)
    assert len(preset.title) == MAX_TITLE_CHARS and preset.title.endswith("…")
    assert preset.title[:-1] == "T" * (MAX_TITLE_CHARS - 1)
    assert len(preset.description) == MAX_DESCRIPTION_CHARS
    assert preset.description.endswith("…")
    result = run("--list", "--presets-dir", str(tmp_path))
    line = next(x for x in result.stdout.splitlines() if x.startswith("hugetitle "))
    assert line.endswith("T" * (MAX_TITLE_CHARS - 1) + "…")


def test_control_characters_in_a_title_are_shown_not_obeyed(tmp_path):
    path = hostile.control_title(tmp_path)
    preset = load_preset(path)
    for text in (preset.title, preset.description):
        assert not hostile.CONTROL.search(text), repr(text)
        assert "\n" not in text
    assert preset.title == (
        "Evil \\x1b]0;pwned\\x07 \\x1b[2J\\x1b[H\\x9b31m\\u202egnp.exe\\u2066\\x7f title"
    )
    result = run("--list", "--presets-dir", str(tmp_path))
    assert result.returncode == 0
    assert not hostile.CONTROL.search(result.stdout), repr(result.stdout)
    assert preset.title in result.stdout
    trace = run(str(path), "--trace")
    assert trace.returncode == 0 and trace.stderr == ""


def test_control_characters_in_a_file_name(tmp_path):
    hostile.control_name(tmp_path)
    (entry,) = [e for e in catalogue((tmp_path,)) if "evil" in e.name]
    assert entry.name == "\\x1b[2Jevil\\u202e"
    assert not hostile.CONTROL.search(entry.error or "")


def test_a_utf8_bom_is_accepted(tmp_path):
    path = hostile.bom(tmp_path)
    plain = tmp_path / "plain.json"
    plain.write_bytes(path.read_bytes()[3:])
    assert load_preset(path).spec == load_preset(plain).spec
    with_bom, without = run(str(path), "--trace"), run(str(plain), "--trace")
    assert with_bom.returncode == 0, with_bom.stderr
    assert with_bom.stdout == without.stdout != ""
    listed = run("--list", "--presets-dir", str(tmp_path)).stdout
    assert any(line.startswith("bom ") and "With a BOM" in line for line in listed.splitlines())


def test_a_bom_in_inline_json_is_accepted():
    result = run("--input", "\ufeff[[1, 2], [3, 4]]", "--kernel", "[[1]]", "--trace")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["output"] == [[1, 2], [3, 4]]


def test_huge_integer_inline_is_one_line():
    one_line(run("--input", f"[[{hostile.HUGE_DIGITS}]]", "--kernel", "[[1]]", "--trace"),
             "digits")
    one_line(run("default", "--stride", hostile.HUGE_DIGITS, "--trace"), "--stride")


def test_file_over_the_byte_limit_is_refused(tmp_path, monkeypatch):
    # The module, not eigenvue_tui.presets the function that shadows it.
    monkeypatch.setattr(sys.modules["eigenvue_tui.presets"], "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(json.dumps({**hostile.GRIDS, "title": "x" * 200}), encoding="utf-8")
    with pytest.raises(PresetError, match="over the 100 byte limit"):
        load_preset(path)


def test_lone_surrogates_in_a_title_are_shown_not_written(tmp_path, monkeypatch):
    """``"\\ud800"`` is valid JSON, yet no UTF-8 stream can write it: ``--list``,
    ``--export-markdown``, ``--screenshot`` and a save stopped with a traceback."""
    from eigenvue_tui.saving import save_preset

    path = tmp_path / "lone.json"
    path.write_text('{"title": "a \\ud800 b", "description": "\\udfff", "input": [[1]],'
                    ' "kernel": [[1]]}')
    preset = load_preset(path)
    assert (preset.title, preset.description) == ("a \\ud800 b", "\\udfff")
    listed = run("--list", "--presets-dir", str(tmp_path))
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    assert any(line.startswith("lone ") and line.endswith("a \\ud800 b")
               for line in listed.stdout.splitlines())
    markdown = run(str(path), "--export-markdown")
    assert markdown.returncode == 0 and "a \\ud800 b" in markdown.stdout
    shot = run(str(path), "--screenshot", str(tmp_path / "lone.svg"))
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert "\\ud800" in (tmp_path / "lone.svg").read_text()  # the status bar, escaped
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    saved = save_preset(preset, "copy")
    assert load_preset(saved.path).title == preset.title


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path):
    """The name's undecodable bytes arrive as lone surrogates (``surrogateescape``)."""
    folder = tmp_path.as_posix().encode()
    name = folder + b"/\xff\xfe.json"
    with open(name, "wb") as file:
        file.write((REPO / "presets" / "default.json").read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "eigenvue_tui", name, "--screenshot", tmp_path / "x.svg"],
        stdin=subprocess.DEVNULL, capture_output=True, cwd=REPO, timeout=30,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert b"Traceback" not in result.stderr
