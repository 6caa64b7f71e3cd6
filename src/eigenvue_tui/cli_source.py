"""The problem the command line names: SOURCE or inline grids, with every flag in.

The flags go into the source's JSON before anything is checked, so the problem
checked is the problem that runs (``--padding`` may make room for a bigger
``--kernel``); a mistake is a one-line ``PresetError`` or ``UsageError`` naming
the source and the flags that changed it.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from .cli_checks import UsageError, preset_dirs
from .images import DEFAULT_SIZE, image_data, is_image, parse_size
from .kernels import UnknownKernel, looks_like_name, named
from .operations import ALL_OPTIONS, OPTIONS, POOLS, op_of, switch
from .presets import (
    Preset,
    check_fields,
    check_regular,
    decode_json,
    locate,
    parse_preset,
    read_json,
)
from .spec import SpecError


def choose_preset(args: argparse.Namespace) -> Preset:
    """The problem the arguments name, with every flag in it."""
    dirs = preset_dirs(args)
    if args.source is None and (args.input is not None or args.kernel is not None):
        return _inline(args)
    return _source(args, dirs)


def _kernel_arg(text: str) -> Any:
    if looks_like_name(text):
        try:
            return named(text.strip())
        except UnknownKernel as error:
            raise UsageError(f"--kernel: {error}") from None
    return decode_json(text, "--kernel")


def _inline(args: argparse.Namespace) -> Preset:
    if args.size is not None or args.rgb:
        raise UsageError("--size and --rgb apply to a picture, not inline grids (--input/--kernel)")
    if args.input is None or (args.kernel is None and args.op not in POOLS):
        raise UsageError("--input and --kernel go together (or give a SOURCE as well;"
                         " a pool takes --input alone)")
    data = {"input": decode_json(args.input, "--input")}
    if args.kernel is not None:
        data["kernel"] = _kernel_arg(args.kernel)
    return parse_preset(
        {"title": "Inline grids", **data, **_option_changes(args)}, "inline", "--input/--kernel"
    )


def _source(args: argparse.Namespace, dirs: tuple[Path, ...]) -> Preset:
    """SOURCE with --input, --kernel and the option flags put in before the problem is
    checked, so what is checked is what runs (padding may make room for a kernel)."""
    name, path = locate("default" if args.source is None else args.source, dirs)
    check_regular(path)  # before is_image opens it: a FIFO would block
    data = _source_data(args, path)
    check_fields(data, str(path))  # the file on its own: its mistakes name only the file
    op = data.get("op", "conv")
    changes = _option_changes(args)
    source = _label(path, args, changes)
    new_op = changes.pop("op", op)
    if new_op in POOLS and args.kernel is not None:
        raise UsageError(f"{source}: {new_op} takes no kernel, only a window size (--pool)")
    # Another operation starts on the grid view, as the app's o does; --view still says.
    view = changes.pop("view", data.get("view", "grid") if new_op == op else "grid")
    data = _with_grids(args, data)
    if new_op == op:
        preset = parse_preset({**data, **changes}, name, source, path)
    elif args.input is not None or args.kernel is not None:  # new grids: checked as the
        # new operation's, with the file's options that one takes
        kept = {k: v for k, v in data.items()
                if k != "view" and (k not in ALL_OPTIONS or k in OPTIONS[new_op])}
        preset = parse_preset({**kept, "op": new_op, **changes}, name, source, path)
    else:  # as its own operation with the flags that one takes, then ``switch``ed (which
        # keeps its grids and the options the new operation takes, as the app's ``o`` does)
        own = {k: v for k, v in changes.items() if k in OPTIONS[op]}
        preset = parse_preset({**data, **own}, name, source, path)
        try:
            preset = replace(preset, spec=switch(preset.spec, new_op, **changes))
        except SpecError as error:
            raise UsageError(f"{source}: {error}") from None
    if view != "grid" and op_of(preset.spec) != "conv":
        raise UsageError(f"{source}: the {view} view is for conv only")
    return replace(preset, view=view)


def _label(path: Path, args: argparse.Namespace, changes: dict[str, Any]) -> str:
    """How an error names the problem: the file, then the flags that changed it."""
    given = [k for k in ("size", "rgb", "input", "kernel") if getattr(args, k) not in (None, False)]
    given += ["relu" if k == "activation" else k for k in changes]
    if not given:
        return str(path)
    return f"{path} with " + " ".join(f"--{k.replace('_', '-')}" for k in given)


def _source_data(args: argparse.Namespace, path: Path) -> Any:
    """SOURCE's preset JSON, not yet checked: a picture's at --size/--rgb."""
    if is_image(path):
        try:
            size = parse_size(args.size) if args.size is not None else DEFAULT_SIZE
        except ValueError as error:
            raise UsageError(str(error)) from None
        return image_data(path, size, args.rgb)
    if args.size is not None or args.rgb:
        raise UsageError(f"{path}: --size and --rgb apply to a picture, not a preset file")
    return read_json(path)


def _with_grids(args: argparse.Namespace, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with --input and --kernel in; a 2-D kernel on a C-channel input is applied
    to every channel, and channel names are kept only for as many channels."""
    data = dict(data)
    if args.input is not None:
        old_channels = _channels(data["input"])
        data["input"] = decode_json(args.input, "--input")
        if _channels(data["input"]) != old_channels:
            data.pop("channel_names", None)
    if args.kernel is not None:
        kernel = _kernel_arg(args.kernel)
        channels = _channels(data["input"])
        data["kernel"] = [kernel] * channels if channels and _depth(kernel) == 2 else kernel
    return data


def _depth(grid: Any) -> int:
    """How deep the lists nest, down the first items (the checks come later)."""
    depth = 0
    while isinstance(grid, list) and grid:
        depth, grid = depth + 1, grid[0]
    return depth


def _channels(grid: Any) -> int | None:
    return len(grid) if _depth(grid) == 3 else None


def _option_changes(args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in ("stride", "padding", "dilation", "flip", "bias", "op", "view",
                 "output_padding", "pool", "ceil_mode", "count_include_pad", "divisor_override"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    if args.relu is not None:
        changes["activation"] = "relu" if args.relu else "none"
    if args.grad_output is not None:
        changes["grad_output"] = decode_json(args.grad_output, "--grad-output")
    return changes
