"""Preset files: JSON a teacher can write by hand, loaded and validated here.

A preset is ``{"title", "description", "input", "kernel"}`` plus optional
options (``stride``, ``padding``, ``dilation``, ``flip``, ``bias``,
``activation``), an ``op`` with its own options (see ``operations.py``) and a
``view``; its name is the file's stem. Every problem is reported as a
``PresetError`` whose message names the file.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from .operations import ALL_OPTIONS, POOLS, VIEWS, check_op, make_problem, op_of
from .safe_text import clean
from .spec import SpecError

if TYPE_CHECKING:
    from .operations import Problem

OPTION_KEYS = ("stride", "padding", "dilation", "flip", "bias", "activation")
KNOWN_KEYS = frozenset(("title", "description", "input", "kernel", "op", "view",
                        "channel_names", *ALL_OPTIONS))
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_TITLE_CHARS = 200
MAX_DESCRIPTION_CHARS = 2000
SEED_PRESETS = ("default", "edge-detection")
APP_NAME = "eigenvue-tui"
USER_PREFIX = "user:"
IMAGE_SUFFIXES = frozenset((".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"))
PRESET_SUFFIXES = IMAGE_SUFFIXES | {".json"}


class PresetError(Exception):
    """A preset that cannot be used; the message is one line naming the source.

    The message may quote the file (its name, a key), so it is cleaned of
    control characters here, once, for every place that shows it.
    """

    def __init__(self, message: str) -> None:
        super().__init__(clean(message))


class _DuplicateKey(Exception):
    """Raised from inside ``json.loads`` to stop at the first repeated key."""


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    spec: Problem = field(repr=False)
    path: Path | None = None
    channel_names: tuple[str, ...] = ()
    view: str = "grid"

    @property
    def on_explorer(self) -> bool:
        """A convolution on its grids: what the main screen draws (the rest, the
        operation screen)."""
        return op_of(self.spec) == "conv" and self.view == "grid"


def builtin_dir() -> Path:
    """The shipped presets: inside the wheel, or ``presets/`` of a source checkout."""
    packaged = Path(__file__).parent / "presets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "presets"


def user_dir() -> Path:
    """Where ``ctrl+s`` saves: ``$XDG_DATA_HOME/eigenvue-tui/presets`` on Linux."""
    return platformdirs.user_data_path(APP_NAME) / "presets"


def _files(folder: Path) -> list[Path]:
    """Preset files in a folder: JSON, and pictures (a picture is a preset too)."""
    if not folder.is_dir():
        return []
    return [path for path in folder.iterdir()
            if path.suffix.lower() in PRESET_SUFFIXES and not path.name.startswith(".")]


def preset_paths(extra_dirs: tuple[Path, ...] = ()) -> dict[str, Path]:
    """Preset name → file: the seed's two examples first, then by name, then the user's.

    A ``--presets-dir`` may shadow a built-in name; a saved (user) preset whose
    name is taken is reached as ``user:NAME``, so the built-in stays reachable.
    """
    found: dict[str, Path] = {}
    for folder in (builtin_dir(), *extra_dirs):
        for path in _files(folder):
            found[path.stem] = path
    order = sorted(found, key=lambda name: (name not in SEED_PRESETS, SEED_PRESETS.index(name)
                                            if name in SEED_PRESETS else 0, name))
    ordered = {name: found[name] for name in order}
    for path in sorted(_files(user_dir())):
        ordered[path.stem if path.stem not in found else USER_PREFIX + path.stem] = path
    return ordered


def is_user(path: Path) -> bool:
    return path.parent == user_dir()


def parse_preset(data: Any, name: str, source: str, path: Path | None = None) -> Preset:
    """Validate decoded JSON as a preset; errors name ``source``."""
    check_fields(data, source)
    op = data.get("op", "conv")
    options = {k: data[k] for k in ALL_OPTIONS if k in data}
    view = data.get("view", "grid")
    try:
        spec = make_problem(data["input"], data.get("kernel"), op=op, **options)
        if view not in VIEWS or (view != "grid" and op != "conv"):
            raise SpecError(f"view {view!r} is not one of {', '.join(VIEWS)} (im2col: conv only)")
    except SpecError as error:
        raise PresetError(f"{source}: {error}") from None
    return Preset(
        name=clean(name),
        title=clean(data.get("title", name), MAX_TITLE_CHARS),
        description=clean(data.get("description", ""), MAX_DESCRIPTION_CHARS),
        spec=spec,
        path=path,
        channel_names=_channel_names(data.get("channel_names"), spec, source),
        view=view,
    )


def check_fields(data: Any, source: str) -> None:
    """The keys a preset must and may have, before its grids are checked: the CLI checks a
    file this way on its own, then its grids once with the command line's changes in."""
    if not isinstance(data, dict):
        raise PresetError(f"{source}: expected a JSON object with \"input\" and \"kernel\"")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise PresetError(
            f"{source}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    try:
        op = check_op(data.get("op", "conv"))
    except SpecError as error:
        raise PresetError(f"{source}: {error}") from None
    for key in ("input",) if op in POOLS else ("input", "kernel"):
        if key not in data:
            raise PresetError(f"{source}: missing key {key!r}")
    for key in ("title", "description"):
        if key in data and not isinstance(data[key], str):
            raise PresetError(f"{source}: {key!r} must be a string")


def _channel_names(names: Any, spec: Problem, source: str) -> tuple[str, ...]:
    """``"channel_names": ["R", "G", "B"]``: one short name per input channel."""
    if names is None:
        return ()
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise PresetError(f"{source}: 'channel_names' must be a list of strings")
    channels = getattr(spec, "channels", 1)
    if len(names) != channels:
        raise PresetError(
            f"{source}: 'channel_names' has {len(names)} name{'s' * (len(names) != 1)}"
            f" for {channels} channel{'s' * (channels != 1)}"
        )
    return tuple(clean(name, 16) for name in names)


def load_preset(path: Path, name: str | None = None) -> Preset:
    """Read and validate one preset file: JSON, or a picture (see ``images``)."""
    from . import images  # Pillow is loaded only when a picture is

    check_regular(path)
    if images.is_image(path):
        return images.image_preset(path, name=name)
    return parse_preset(read_json(path), name or path.stem, str(path), path)


def read_json(path: Path) -> Any:
    """A preset file's decoded JSON, not yet checked as a preset (``check_regular`` first)."""
    source = str(path)
    return decode_json(_read_text(path, source), source)


def check_regular(path: Path) -> None:
    """Refuse anything but a regular file (after symlinks) before anyone opens it.

    Opening a FIFO blocks, and a device such as ``/dev/zero`` reports size 0 but
    never ends, so neither an open nor ``st_size`` can be trusted for them.
    """
    _refuse(path, lambda: os.stat(path).st_mode)


def _refuse(path: Path, mode: Callable[[], int]) -> None:
    try:
        problem = _not_regular(mode())
    except FileNotFoundError:
        raise PresetError(f"{path}: no such file") from None
    except OSError as error:
        raise PresetError(f"{path}: cannot read ({error.strerror})") from None
    if problem:
        raise PresetError(f"{path}: {problem}")


def _read_text(path: Path, source: str) -> str:
    """The file's text, read with a byte bound, from a regular file opened without blocking.

    The kind is checked again on the open file, in case it was swapped since the stat.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as file:
            _refuse(path, lambda: os.fstat(fd).st_mode)
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise PresetError(f"{source}: cannot read ({error.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise PresetError(f"{source}: file is over the {MAX_FILE_BYTES} byte limit")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise PresetError(f"{source}: not UTF-8 text") from None


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is not a preset, or ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a preset file"
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket or other special file")
    return f"not a regular file ({kind})"


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def decode_json(text: str, source: str) -> Any:
    """``json.loads`` with its failures as one-line ``PresetError``s naming ``source``.

    A UTF-8 byte-order mark is skipped; a key given twice is refused (JSON
    would silently keep the last one).
    """
    try:
        return json.loads(text.removeprefix("\ufeff"), object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise PresetError(
            f"{source}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except _DuplicateKey as error:
        raise PresetError(f"{source}: duplicate key {error.args[0]!r}") from None
    except RecursionError:
        raise PresetError(f"{source}: JSON nested too deeply") from None
    except ValueError:  # only the integer-length guard is left once JSONDecodeError is caught
        raise PresetError(
            f"{source}: a number has more than {sys.get_int_max_str_digits()} digits"
        ) from None


def locate(source: str, extra_dirs: tuple[Path, ...] = ()) -> tuple[str, Path]:
    """The name and file for a preset name (``edge-detection``, ``user:mine``) or a path."""
    looks_like_path = source.endswith(".json") or "/" in source or "\\" in source
    if not looks_like_path:
        paths = preset_paths(extra_dirs)
        if source in paths:
            return source, paths[source]
        if not source or not Path(source).exists():  # Path("") is the current folder
            raise PresetError(
                f"{source or repr(source)}: unknown preset (try --list; known: {', '.join(paths)})"
            )
    return Path(source).stem, Path(source)


def resolve(source: str, extra_dirs: tuple[Path, ...] = ()) -> Preset:
    """A preset name (``edge-detection``) or a path to a preset file, loaded."""
    name, path = locate(source, extra_dirs)
    return load_preset(path, name)


@dataclass(frozen=True)
class CatalogueEntry:
    """What the picker shows for a preset file, or why it cannot be loaded."""

    name: str
    path: Path
    title: str = ""
    size: str = ""
    description: str = ""
    error: str | None = None
    user: bool = False
    op: str = "conv"
    view: str = "grid"
    kernel: Any = field(default=None, compare=False, repr=False)  # for the ``k`` picker


_entries_seen: dict[tuple[str, Path], tuple[tuple[int, int], CatalogueEntry]] = {}


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
        seen = _entries_seen.get((name, path))
        if seen is None or seen[0] != stamp:
            seen = (stamp, _describe(name, path))
            _entries_seen[name, path] = seen
        entries.append(seen[1])
    return entries


def _describe(name: str, path: Path) -> CatalogueEntry:
    user = is_user(path)
    try:
        preset = load_preset(path, name)
    except PresetError as error:
        return CatalogueEntry(clean(name), path, title=clean(name), error=str(error), user=user)
    return CatalogueEntry(
        preset.name, path, preset.title, preset.spec.describe_size(), preset.description,
        user=user,
        op=op_of(preset.spec), view=preset.view,
        kernel=preset.spec.grids()[1] if op_of(preset.spec) == "conv" else None,
    )
