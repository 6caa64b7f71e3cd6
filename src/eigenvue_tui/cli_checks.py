"""Command-line checks that need nothing loaded: a flag that would be ignored is refused.

Kept beside ``cli.py``, which reports each ``UsageError`` in one line with status 2,
as it does every other bad input.
"""

from __future__ import annotations

import argparse
from pathlib import Path

LISTINGS = ("--version", "--list", "--kernels")  # each prints and exits, reading no problem
LIST_TAKES = ("--presets-dir",)  # the folders whose presets --list lists


class UsageError(Exception):
    """A command-line mistake reported in one line."""


def check_listing(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """A listing flag with anything it does not use: the rest would be silently ignored."""
    given = _given_flags(parser, args)
    listing = next((flag for flag in LISTINGS if flag in given), None)
    if listing is None:
        return
    if args.source is not None:
        raise UsageError(f"{listing} takes no SOURCE ({args.source!r} given)")
    kept = LIST_TAKES if listing == "--list" else ()
    other = next((flag for flag in given if flag != listing and flag not in kept), None)
    if other is not None:
        raise UsageError(f"{listing} and {other} do not go together")


def _given_flags(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """Every option set to something other than its default, as its flag (``--no-flip``
    reads as ``--flip``)."""
    return [f"--{dest.replace('_', '-')}" for dest, value in vars(args).items()
            if dest != "source" and value != parser.get_default(dest)]


def preset_dirs(args: argparse.Namespace) -> tuple[Path, ...]:
    """The ``--presets-dir`` folders, each checked to be one: a missing folder would
    otherwise just add no presets."""
    for folder in args.presets_dir:
        if not folder.is_dir():
            raise UsageError(f"--presets-dir {folder}: not a directory")
    return tuple(args.presets_dir)
