"""Preset files: JSON a teacher can write by hand, loaded and validated here.

A preset is ``{"title", "description", "input", "kernel"}`` plus optional
options (``stride``, ``padding``, ``dilation``, ``flip``, ``bias``,
``activation``); its name is the file's stem. Every problem is reported as a
``PresetError`` whose message names the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .spec import ConvSpec, SpecError, make_spec

OPTION_KEYS = ("stride", "padding", "dilation", "flip", "bias", "activation")
KNOWN_KEYS = frozenset(("title", "description", "input", "kernel", *OPTION_KEYS))
MAX_FILE_BYTES = 64 * 1024 * 1024
SEED_PRESETS = ("default", "edge-detection")


class PresetError(Exception):
    """A preset that cannot be used; the message is one line naming the source."""


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    spec: ConvSpec = field(repr=False)
    path: Path | None = None


def builtin_dir() -> Path:
    """The shipped presets: inside the wheel, or ``presets/`` of a source checkout."""
    packaged = Path(__file__).parent / "presets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "presets"


def preset_paths(extra_dirs: tuple[Path, ...] = ()) -> dict[str, Path]:
    """Preset name → file: the seed's two examples first, then by name.

    A user directory may shadow a built-in name.
    """
    found: dict[str, Path] = {}
    for folder in (builtin_dir(), *extra_dirs):
        if folder.is_dir():
            for path in folder.glob("*.json"):
                found[path.stem] = path
    order = sorted(found, key=lambda name: (name not in SEED_PRESETS, SEED_PRESETS.index(name)
                                            if name in SEED_PRESETS else 0, name))
    return {name: found[name] for name in order}


def parse_preset(data: Any, name: str, source: str, path: Path | None = None) -> Preset:
    """Validate decoded JSON as a preset; errors name ``source``."""
    if not isinstance(data, dict):
        raise PresetError(f"{source}: expected a JSON object with \"input\" and \"kernel\"")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise PresetError(
            f"{source}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    for key in ("input", "kernel"):
        if key not in data:
            raise PresetError(f"{source}: missing key {key!r}")
    for key in ("title", "description"):
        if key in data and not isinstance(data[key], str):
            raise PresetError(f"{source}: {key!r} must be a string")
    options = {k: data[k] for k in OPTION_KEYS if k in data}
    try:
        spec = make_spec(data["input"], data["kernel"], **options)
    except SpecError as error:
        raise PresetError(f"{source}: {error}") from None
    return Preset(
        name=name,
        title=data.get("title", name),
        description=data.get("description", ""),
        spec=spec,
        path=path,
    )


def load_preset(path: Path) -> Preset:
    """Read and validate one preset file."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PresetError(f"{source}: file is {size} bytes, over the {MAX_FILE_BYTES} limit")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PresetError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise PresetError(f"{source}: is a directory, not a preset file") from None
    except UnicodeDecodeError:
        raise PresetError(f"{source}: not UTF-8 text") from None
    except OSError as error:
        raise PresetError(f"{source}: cannot read ({error.strerror})") from None
    return parse_preset(decode_json(text, source), path.stem, source, path)


def decode_json(text: str, source: str) -> Any:
    """``json.loads`` with its failures as one-line ``PresetError``s naming ``source``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise PresetError(
            f"{source}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise PresetError(f"{source}: JSON nested too deeply") from None


def resolve(source: str, extra_dirs: tuple[Path, ...] = ()) -> Preset:
    """A preset name (``edge-detection``) or a path to a preset file."""
    looks_like_path = source.endswith(".json") or "/" in source or "\\" in source
    if not looks_like_path:
        paths = preset_paths(extra_dirs)
        if source in paths:
            return load_preset(paths[source])
        if not Path(source).exists():
            raise PresetError(
                f"{source}: unknown preset (try --list; known: {', '.join(paths)})"
            )
    return load_preset(Path(source))


@dataclass(frozen=True)
class CatalogueEntry:
    """What the picker shows for a preset file, or why it cannot be loaded."""

    name: str
    path: Path
    title: str = ""
    size: str = ""
    description: str = ""
    error: str | None = None


_entries_seen: dict[Path, tuple[tuple[int, int], CatalogueEntry]] = {}


def catalogue(extra_dirs: tuple[Path, ...] = ()) -> list[CatalogueEntry]:
    """Every preset file with its title and size, broken files included (with the error).

    A file is read again only when its size or modification time changed, so
    opening the picker stays instant however large the presets are.
    """
    entries = []
    for name, path in preset_paths(extra_dirs).items():
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = (-1, -1)
        seen = _entries_seen.get(path)
        if seen is None or seen[0] != stamp:
            seen = (stamp, _describe(name, path))
            _entries_seen[path] = seen
        entries.append(seen[1])
    return entries


def _describe(name: str, path: Path) -> CatalogueEntry:
    try:
        preset = load_preset(path)
    except PresetError as error:
        return CatalogueEntry(name, path, title=name, error=str(error))
    return CatalogueEntry(
        name, path, preset.title, preset.spec.describe_size(), preset.description
    )
