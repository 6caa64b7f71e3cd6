"""Hostile preset files (issue 12), shared by the CLI, ``--list`` and picker tests.

Each writer puts one file into a folder and returns its path. ``REFUSED`` files
must end in one line (or a notification) naming the problem; ``TAMED`` files
load, with their text made safe and short.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

GRIDS = {"input": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "kernel": [[1, 0], [0, -1]]}
ESCAPES = "\x1b]0;pwned\x07 \x1b[2J\x1b[H\x9b31m\u202egnp.exe\u2066\x7f"
HUGE_DIGITS = "7" * 5000
# What must never reach a terminal from a file: C0 (bar newline), DEL, C1, bidi controls.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def fifo(folder: Path) -> Path:
    path = folder / "fifo.json"
    os.mkfifo(path)
    return path


def fifo_picture(folder: Path) -> Path:
    """A FIFO named like a picture: sniffing its first bytes would block as well."""
    path = folder / "pipe.png"
    os.mkfifo(path)
    return path


def device(folder: Path) -> Path:
    path = folder / "zero.json"
    path.symlink_to("/dev/zero")
    return path


def loop(folder: Path) -> Path:
    path = folder / "loop.json"
    path.symlink_to(path.name)
    return path


def huge_integer(folder: Path) -> Path:
    return _write(folder, "hugeint.json",
                  '{"input": [[1, ' + HUGE_DIGITS + ']], "kernel": [[1]]}')


def huge_integer_option(folder: Path) -> Path:
    return _write(folder, "hugeopt.json",
                  '{"input": [[1, 2]], "kernel": [[1]], "stride": ' + HUGE_DIGITS + "}")


def duplicate_key(folder: Path) -> Path:
    return _write(folder, "dupkey.json",
                  '{"input": [[1, 2], [3, 4]], "kernel": [[1]], "kernel": [[2]]}')


def control_key(folder: Path) -> Path:
    """An unknown key made of escapes: the error quotes it."""
    return _write(folder, "ctlkey.json", json.dumps({**GRIDS, ESCAPES: 1}))


def control_name(folder: Path) -> Path:
    """A broken file whose very name is an escape sequence."""
    return _write(folder, "\x1b[2Jevil\u202e.json", "{not json")


REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "fifo": (fifo, "not a regular file"),
    "fifo-picture": (fifo_picture, "not a regular file"),
    "device": (device, "not a regular file"),
    "symlink-loop": (loop, "symbolic links"),
    "huge-integer": (huge_integer, "digits"),
    "huge-integer-option": (huge_integer_option, "digits"),
    "duplicate-key": (duplicate_key, "duplicate key 'kernel'"),
    "control-key": (control_key, "unknown key"),
    "control-name": (control_name, "invalid JSON"),
}


def huge_title(folder: Path) -> Path:
    return _write(folder, "hugetitle.json",
                  json.dumps({**GRIDS, "title": "T" * 10_000_000, "description": "D" * 10_000_000}))


def control_title(folder: Path) -> Path:
    return _write(folder, "ctltitle.json",
                  json.dumps({**GRIDS, "title": f"Evil {ESCAPES} title",
                              "description": f"Evil {ESCAPES}\ndescription"}))


def bom(folder: Path) -> Path:
    path = folder / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({**GRIDS, "title": "With a BOM"}).encode())
    return path


TAMED: dict[str, Callable[[Path], Path]] = {
    "huge-title": huge_title,
    "control-title": control_title,
    "bom": bom,
}
