"""``ctrl+s``: the problem on screen written as a preset file in the user presets folder.

The file is what a teacher would write by hand (one grid row per line) and is
read back by ``presets.load_preset`` like any other. The write is atomic: a
temporary file in the same folder, flushed and fsynced, then ``os.replace``,
so a failure (read-only folder, full disk) leaves the old file as it was.
Pure: no Textual here.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any

from .export import write_atomic
from .presets import Preset, load_preset, preset_paths, user_dir
from .spec import PADDING_WORDS, ConvSpec

MAX_STEM = 48
STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
FALLBACK_STEM = "my-preset"


class SaveError(Exception):
    """A save that did not happen; one line naming the file and the reason."""


def safe_stem(title: str) -> str:
    """A file name from a title: ``Default (4×4, 2×2)`` → ``default-4-4-2-2``."""
    stem = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if len(stem) > MAX_STEM:
        stem = stem[:MAX_STEM].rsplit("-", 1)[0] or stem[:MAX_STEM]
    return stem or FALLBACK_STEM


def check_stem(text: str) -> str:
    """The name typed in the save dialog as a file stem (``.json`` optional), or a
    ``SaveError`` saying what a name may hold."""
    stem = text.strip().removesuffix(".json")
    if not stem or len(stem) > MAX_STEM or not STEM.fullmatch(stem) or stem.endswith("."):
        raise SaveError(
            f"{text.strip()!r} is not a usable name: letters, digits, '.', '_' and '-',"
            f" starting with a letter or digit, at most {MAX_STEM} characters"
        )
    return stem


def path_for(stem: str) -> Path:
    return user_dir() / f"{stem}.json"


def preset_data(preset: Preset) -> dict[str, Any]:
    """The preset as JSON data: title, description, grids, and the options that are set."""
    spec = preset.spec
    assert isinstance(spec, ConvSpec), "only conv problems are shown, edited and saved"
    grid, kernel = spec.grids()
    data: dict[str, Any] = {"title": preset.title, "description": preset.description,
                            "input": grid, "kernel": kernel}
    if spec.stride != (1, 1):
        data["stride"] = list(spec.stride)
    if spec.padding_label in PADDING_WORDS:
        if spec.padding_label != "valid":
            data["padding"] = spec.padding_label
    else:
        data["padding"] = list(spec.padding)
    if spec.dilation != (1, 1):
        data["dilation"] = list(spec.dilation)
    if spec.flip:
        data["flip"] = True
    if spec.bias is not None:
        data["bias"] = list(spec.bias)
    if spec.activation != "none":
        data["activation"] = spec.activation
    if preset.channel_names:
        data["channel_names"] = list(preset.channel_names)
    return data


def to_json(data: dict[str, Any]) -> str:
    """JSON with each grid row on one line, the way the shipped presets are written."""
    def grid_text(value: Any, indent: str) -> str:
        if not isinstance(value, list) or not value or not isinstance(value[0], list):
            return json.dumps(value, ensure_ascii=False)  # a title's "×" stays readable
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + grid_text(v, inner) for v in value) + "\n" + indent + "]"

    items = [f'  {json.dumps(key)}: {grid_text(value, "  ")}' for key, value in data.items()]
    return "{\n" + ",\n".join(items) + "\n}\n"


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` all at once or not at all (the old file stays)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    except OSError as error:
        raise SaveError(f"{path}: cannot save ({error.strerror or error})") from None
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform lets a folder be fsynced)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def save_preset(preset: Preset, stem: str, extra_dirs: tuple[Path, ...] = ()) -> Preset:
    """Write ``preset`` as ``<stem>.json`` in the user presets folder and read it back
    (so what is shown next is exactly what a later ``eigenvue-tui <stem>`` loads), named
    as the catalogue names it (``user:<stem>`` when a built-in has the name)."""
    path = path_for(stem)
    atomic_write(path, to_json(preset_data(preset)))
    names = {found: name for name, found in preset_paths(extra_dirs).items()}
    return load_preset(path, names.get(path, stem))
