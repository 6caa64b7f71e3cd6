"""The command line that reopens a view: problem, options, step and look, as argv.

Pure (no Textual), so ``--print-command`` and the app's ``y`` share it. The
problem is described against its source: a preset by name, a file or a
picture by path (with ``--size``/``--rgb``), plus only the flags that differ;
grids that no longer match their source (edited, shifted) go inline. Every
candidate is checked by parsing it with the CLI itself; one that does not
give the same problem falls back to the grids inline, which always does.
"""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .kernels import NAMED
from .operations import OPTIONS, make_problem, op_of, switch
from .presets import Preset, PresetError, load_preset, preset_paths
from .safe_text import has_control
from .spec import SpecError

if TYPE_CHECKING:
    from .operations import Problem

PROG = "eigenvue-tui"
LOOKS = ("numbers", "heat", "pixels")
SWITCHES = ("flip", "ceil_mode", "count_include_pad")  # --x / --no-x


def command_text(argv: Sequence[str]) -> str:
    """One line a POSIX shell runs as is (JSON grids single-quoted)."""
    return " ".join(map(_quoted, argv))


def _quoted(arg: str) -> str:
    """``shlex.quote``, but an argument with a control character or a byte that is not
    UTF-8 (a file name's) is written ``$'…'``, every byte but plain ASCII as ``\\xHH``:
    printed raw, an escape sequence in a path would be obeyed by the terminal."""
    if not has_control(arg):
        return shlex.quote(arg)
    body = "".join(_byte(byte) for byte in os.fsencode(arg))
    return f"$'{body}'"


def _byte(byte: int) -> str:
    char = chr(byte)
    if char in "\\'":
        return "\\" + char
    return char if 0x20 <= byte < 0x7f else f"\\x{byte:02x}"


def reproduce(
    preset: Preset, spec: Problem | None = None, *, step: int = 0, look: str = "numbers",
    zoom: int = 0,
) -> list[str]:
    """argv (``eigenvue-tui …``) that opens ``spec`` (default: the preset's) at ``step``.

    Reads the preset's file again to see what still matches it, so call it off
    the main thread of an app.
    """
    spec = preset.spec if spec is None else spec
    tail = _view_args(preset.view, step, look, zoom)
    source = _source(preset, spec)
    if source is not None:
        args, base = source
        flags = _flags_against(base, spec)
        if flags is not None and _opens(args + flags + tail, spec):
            return [PROG, *args, *flags, *tail]
    return [PROG, *_inline(spec), *tail]


def _view_args(view: str, step: int, look: str, zoom: int) -> list[str]:
    args = [] if view == "grid" else ["--view", view]
    if step:
        args += ["--step", str(step)]
    if look != "numbers":
        args += ["--look", look]
    if zoom:
        args += ["--zoom", str(zoom)]
    return args


def _source(preset: Preset, spec: Problem) -> tuple[list[str], Problem] | None:
    """The SOURCE arguments for the preset's file and the problem they load, or ``None``
    (no file, or it is gone or broken now)."""
    from . import images  # Pillow only for pictures

    path = preset.path
    if path is None:
        return None
    try:
        if images.is_image(path):
            input_grid, _ = spec.grids()
            height, width = np.shape(input_grid)[-2:]
            rgb = preset.channel_names == ("R", "G", "B")
            base = images.image_preset(path, (height, width), rgb).spec
            args = [str(path.resolve()), "--size", f"{height}x{width}"]
            return [*args, "--rgb"] if rgb else args, base
        base = load_preset(path).spec
    except (PresetError, OSError):
        return None
    known = preset_paths().get(preset.name)  # the name alone, without --presets-dir
    by_name = known is not None and _same_file(known, path)
    return [preset.name if by_name else str(path.resolve())], base


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _flags_against(base: Problem, spec: Problem) -> list[str] | None:
    """``--input``/``--kernel`` where the grids differ, ``--op`` and the options that differ
    from what the CLI would derive from ``base``; ``None`` when flags cannot say it."""
    op = op_of(spec)
    input_grid, kernel = spec.grids()
    base_input, base_kernel = base.grids()
    flags: list[str] = []
    candidate = base
    if input_grid != base_input or (kernel is not None and kernel != base_kernel):
        if op_of(base) != "conv" or kernel is None:
            return None
        if input_grid != base_input:
            flags += ["--input", _json(input_grid)]
        if kernel != base_kernel:
            flags += ["--kernel", _kernel_text(kernel)]
        try:
            candidate = make_problem(input_grid, kernel, **base.options())
        except SpecError:
            return None
    try:
        derived = switch(candidate, op) if op != op_of(candidate) else candidate
    except SpecError:
        return None
    if op != op_of(base):
        flags += ["--op", op]
    option_flags = _option_flags(spec.options(), derived.options(), op)
    return None if option_flags is None else flags + option_flags


def _inline(spec: Problem) -> list[str]:
    """The grids inline and every option that differs from the defaults."""
    op = op_of(spec)
    input_grid, kernel = spec.grids()
    args = ["--input", _json(input_grid)]
    if kernel is not None:
        args += ["--kernel", _kernel_text(kernel)]
    if op != "conv":
        args += ["--op", op]
    wanted = spec.options()
    try:
        plain = make_problem(input_grid, kernel, op=op).options()
    except SpecError:  # a pool needs its window size: the rest at their defaults
        try:
            plain = make_problem(input_grid, kernel, op=op, pool=wanted.get("pool")).options()
            plain["pool"] = None
        except SpecError:
            plain = {}
    return args + (_option_flags(wanted, plain, op) or [])


def _option_flags(wanted: dict[str, Any], derived: dict[str, Any], op: str) -> list[str] | None:
    flags: list[str] = []
    for name in OPTIONS[op]:
        value = wanted.get(name)
        if value == derived.get(name):
            continue
        flag = _flag(name, value)
        if flag is None:
            return None
        flags += flag
    return flags


def _flag(name: str, value: Any) -> list[str] | None:
    """How the CLI says ``name = value`` (``None``: it cannot, e.g. no bias again)."""
    if name == "activation":
        return ["--relu" if value == "relu" else "--no-relu"]
    dashed = "--" + name.replace("_", "-")
    if name in SWITCHES:
        return [dashed if value else "--no-" + dashed[2:]]
    if value is None:
        return None
    if name == "grad_output":
        return [dashed, _json(value)]
    if isinstance(value, (list, tuple)):
        if name != "bias" and len(set(value)) == 1 and len(value) == 2:
            return [dashed, _number(value[0])]
        return [dashed, ",".join(_number(v) for v in value)]
    return [dashed, _number(value) if not isinstance(value, str) else value]


def _number(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _json(grid: Any) -> str:
    return json.dumps(grid, separators=(",", ":"))


def _kernel_text(kernel: Any) -> str:
    """A named kernel by its name (``sobel-x``), any other as JSON."""
    text = _json(kernel)
    for name, rows in NAMED.items():
        if np.ndim(kernel) == 2 and text == _json(rows):
            return name
    return text


def same_problem(a: Problem, b: Problem) -> bool:
    """Equal operation, grids (as written, values and kind) and options."""
    return op_of(a) == op_of(b) and _json(a.grids()) == _json(b.grids()) and (
        a.options() == b.options()
    )


def _opens(args: list[str], spec: Problem) -> bool:
    """Whether the CLI, given ``args`` (and nothing else), builds exactly ``spec``."""
    from .cli import UsageError, build_parser, choose_preset  # the CLI is the judge

    try:
        parsed = build_parser().parse_args(args)
        return same_problem(choose_preset(parsed).spec, spec)
    except (PresetError, UsageError, SpecError, SystemExit):
        return False
