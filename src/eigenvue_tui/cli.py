"""The ``eigenvue-tui`` command: pick a problem, then trace it, list presets or open the app.

Every bad input ends as one line on stderr and exit status 2, as does a stdout
that cannot be written (status 1); the app (and so Textual) is imported only
when it is about to run, and only on a terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from . import collection
from .cli_checks import UsageError, check_listing, preset_dirs
from .cli_source import choose_preset
from .formatting import format_number
from .im2col import im2col_refusal
from .images import DEFAULT_SIZE
from .kernels import NAMED
from .operations import OPS, VIEWS, build, write_records
from .presets import PresetError, catalogue
from .safe_text import clean
from .share_cli import (
    ShareError,
    add_arguments,
    app_options,
    check,
    driven_elsewhere,
    one_shot,
    terminal_size,
)
from .share_cli import serve as serve_app

PROG = "eigenvue-tui"
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a process ended by SIGPIPE


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line (and status 2) like every other error,
    and ``--help`` is written like every other output (see ``emit``)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {clean(message)} (see --help)\n")

    def print_help(self, file: TextIO | None = None) -> None:
        if file is not None:
            super().print_help(file)
        elif status := emit(lambda out: out.write(self.format_help())):
            self.exit(status)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description="Watch 2D convolution one multiply-add at a time.",
        epilog="Keys in the app: ← → step, ↓ ↑ output cell, space play, p presets, k kernels,"
        " e edit, ctrl+s save, ? help.",
    )
    parser.add_argument(
        "source", nargs="?", default=None,
        help="a preset name (see --list), a preset JSON file or a picture (default: default)",
    )
    parser.add_argument(
        "--step", type=int, metavar="N",
        help="open at step N (0 … last); with --trace, print from step N on",
    )
    parser.add_argument(
        "--trace", action="store_true",
        help="print every step as JSON Lines on stdout and exit",
    )
    parser.add_argument("--list", action="store_true", help="list the presets and exit")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--input", metavar="JSON",
        help="the input grid inline, e.g. '[[1,2],[3,4]]' (with SOURCE: replaces its input)",
    )
    parser.add_argument(
        "--kernel", metavar="NAME|JSON",
        help="a kernel name (see --kernels) or grid, e.g. sobel-x or '[[1]]'"
        " (with SOURCE: replaces its kernel)",
    )
    parser.add_argument("--kernels", action="store_true", help="list the named kernels and exit")
    pictures = parser.add_argument_group("pictures (SOURCE is an image file)")
    pictures.add_argument(
        "--size", metavar="N|HxW",
        help=f"resize so the longer side is N (default {DEFAULT_SIZE}), or to exactly H×W",
    )
    pictures.add_argument(
        "--rgb", action="store_true", help="three channels R, G, B instead of greyscale"
    )
    options = parser.add_argument_group(
        "options (override the preset's; see README: Beyond the basics)"
    )
    options.add_argument("--stride", metavar="S|SH,SW", help="stride, ≥ 1 (default 1)")
    options.add_argument(
        "--padding", metavar="MODE",
        help="valid, same, full, P, PH,PW or TOP,BOTTOM,LEFT,RIGHT zero padding (default valid)",
    )
    options.add_argument("--dilation", metavar="D|DH,DW", help="dilation, ≥ 1 (default 1)")
    options.add_argument(
        "--flip", action=argparse.BooleanOptionalAction, default=None,
        help="true convolution: rotate the kernel 180° (scipy's convolve2d)",
    )
    options.add_argument("--bias", metavar="B[,B…]", help="one bias per filter")
    options.add_argument(
        "--relu", action=argparse.BooleanOptionalAction, default=None,
        help="apply ReLU when each output cell is written",
    )
    ops = parser.add_argument_group("operations (see README: Beyond the forward pass)")
    ops.add_argument("--op", choices=OPS, help="the operation to step through (default conv)")
    ops.add_argument("--view", choices=VIEWS, help="im2col: conv as the unfolded matrix product")
    ops.add_argument("--output-padding", metavar="P|PH,PW",
                     help="transposed: extra rows/columns at the bottom/right (< stride)")
    ops.add_argument("--pool", metavar="K|KH,KW", help="maxpool/avgpool: the window size")
    ops.add_argument("--ceil-mode", action=argparse.BooleanOptionalAction, default=None,
                     help="pools: round the output size up (PyTorch's ceil_mode)")
    ops.add_argument("--count-include-pad", action=argparse.BooleanOptionalAction,
                     default=None, help="avgpool: count padding cells in the divisor (default on)")
    ops.add_argument("--divisor-override", metavar="N", type=int,
                     help="avgpool: divide every window sum by N")
    ops.add_argument("--grad-output", metavar="JSON",
                     help="grad-input/grad-weight: dY, shaped like the output (default ones)")
    parser.add_argument(
        "--presets-dir", metavar="DIR", type=Path, action="append", default=[],
        help="also offer the presets in DIR (may be repeated)",
    )
    add_arguments(parser)
    return parser


def write_list(dirs: tuple[Path, ...], out: TextIO) -> None:
    entries = catalogue(dirs)
    width = max((len(e.name) for e in entries), default=0)
    size_width = max((len(e.size) for e in entries), default=0)
    ops = {e.name: e.op if e.view == "grid" else f"{e.op}/{e.view}" for e in entries}
    op_width = max(map(len, ops.values()), default=0)
    for entry in entries:
        if entry.error:
            out.write(f"{entry.name:<{width}}  (broken) {entry.error}\n")
        else:
            out.write(f"{entry.name:<{width}}  {ops[entry.name]:<{op_width}}  "
                      f"{entry.size:<{size_width}}  {entry.title}\n")


def write_kernels(out: TextIO) -> None:
    """Each named kernel on one line: its name and its rows."""
    width = max(len(name) for name in NAMED)
    for name, rows in NAMED.items():
        text = json.dumps([[format_number(v) for v in row] for row in rows]).replace('"', "")
        out.write(f"{name:<{width}}  {text}\n")


def terminal_problem() -> str | None:
    """Which of the streams the app needs is not a terminal, or None. It reads keys from
    stdin and draws on stderr (Textual's way), and stdout must not be a file or pipe
    either: redirected, each drew the app into the file and left the terminal blank."""
    for name, stream in (("stdin", sys.stdin), ("stdout", sys.stdout),
                         ("stderr", sys.__stderr__)):
        if stream is None or not stream.isatty():
            return f"{name} is not a terminal, and the app needs one"
    return None


def check_terminal() -> None:
    if (problem := terminal_problem()) is not None:
        raise UsageError(f"{problem} (--trace and --list print without it)")


def emit(write: Callable[[TextIO], None]) -> int:
    """Run ``write`` on stdout and flush it; a stdout that fails is one line, not a traceback.

    A closed pipe (``| head``) is the reader's choice, so it ends quietly.
    """
    collection.resume()  # a trace may run for hours
    if sys.stdout is None:
        return _error("cannot write the output: stdout is closed", EXIT_FAILED)
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as error:
        _discard_stdout()
        return _error(f"cannot write the output: {error.strerror or error}", EXIT_FAILED)
    return 0


def _discard_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # not a real file (a test's capture): nothing left to flush
        pass


def _error(message: str, status: int = EXIT_BAD_INPUT) -> int:
    print(f"{PROG}: error: {clean(message)}", file=sys.stderr)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    collection.pause()  # until the app's first frame, or the output starts
    try:
        return _run(sys.argv[1:] if argv is None else list(argv))
    finally:
        collection.resume()


def _run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        check(args)
        check_listing(parser, args)
        if args.version:
            from . import __version__

            return emit(lambda out: out.write(f"{PROG} {__version__}\n"))
        if args.list:
            dirs = preset_dirs(args)
            return emit(lambda out: write_list(dirs, out))
        if args.kernels:
            return emit(write_kernels)
        preset = choose_preset(args)
        steps = build(preset.spec)
        if args.step is not None and not 0 <= args.step <= steps.last:
            raise UsageError(f"--step {args.step}: {preset.name} has steps 0 … {steps.last}")
        if args.trace:
            if not preset.on_explorer:
                return emit(lambda out: write_records(steps, out, args.step or 0, preset.view))
            from .trace import write_trace  # not loaded when the app opens

            return emit(lambda out: write_trace(steps, out, start=args.step or 0))
        if preset.view == "im2col" and (why := im2col_refusal(preset.spec)):
            raise UsageError(f"{preset.path or preset.name}: {why}")
        text = one_shot(args, preset, steps)
        if text is not None:
            return emit(lambda out: out.write(text))
        if args.serve:
            collection.resume()  # serves until Ctrl+C
            return serve_app(args, argv)
        size = terminal_size(args.terminal_size) if args.screenshot is not None else None
        options = app_options(args, preset, lambda: choose_preset(args))
        if size is None and not driven_elsewhere():
            check_terminal()
    except (PresetError, UsageError, ShareError) as error:
        return _error(str(error))
    except KeyboardInterrupt:
        return 130

    from .app import ConvolutionApp

    app = ConvolutionApp(
        preset, start_step=args.step or 0, preset_dirs=tuple(args.presets_dir), steps=steps,
        **options,
    )
    if size is not None:
        return _screenshot(app, args.screenshot, size)
    app.run()
    # Textual sets 1 after an unhandled error (having shown it); None means it never ran.
    return EXIT_FAILED if app.return_code is None else app.return_code


def _screenshot(app: Any, path: Path, size: tuple[int, int]) -> int:
    """``--screenshot``: the screen rendered headless, written atomically."""
    from .export import write_atomic
    from .screens.sharing import render_headless

    svg = render_headless(app, size)
    if not svg:
        return _error(f"--screenshot {path}: the app ended before its screen was drawn",
                      EXIT_FAILED)
    try:
        write_atomic(path, svg)
    except OSError as error:
        return _error(f"--screenshot {path}: cannot write ({error.strerror or error})")
    print(f"{PROG}: wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
