"""The CLI's sharing flags: print the command, export a step, watch a file, serve the app.

Kept beside ``cli.py`` (which calls it) so the flags and what they do live in
one place; Textual is imported only by the modes that run the app.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .presets import Preset
from .share import LOOKS, command_text, reproduce
from .view_model import ZOOM_LIMIT

DEFAULT_TERMINAL = (120, 40)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SERVE_FLAGS = ("--serve", "--host", "--port")  # what the served command leaves out
WEB_HINT = "pip install 'eigenvue-tui[web]'"


class ShareError(Exception):
    """A sharing flag used wrongly; the CLI reports it in one line, status 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("share and export (see README: Share it)")
    group.add_argument("--look", choices=LOOKS,
                       help="open the grids in this look (default numbers; v cycles it)")
    group.add_argument("--zoom", type=int, metavar="N",
                       help="open N zoom levels in (negative: out) from the fitted size")
    group.add_argument("--print-command", action="store_true",
                       help="print the command that opens this view (what y copies) and exit")
    group.add_argument("--export-markdown", action="store_true",
                       help="print the step (--step, default 0) as Markdown and exit")
    group.add_argument("--screenshot", metavar="FILE.svg", type=Path,
                       help="render the screen headless into an SVG file and exit")
    group.add_argument("--terminal-size", metavar="WxH",
                       help="with --screenshot: the terminal's columns × rows (default 120x40)")
    group.add_argument("--watch", action="store_true",
                       help="reload the preset file or picture when it changes on disk")
    group.add_argument("--serve", action="store_true",
                       help="serve the app to web browsers (needs the [web] extra)")
    group.add_argument("--host", metavar="HOST",
                       help=f"with --serve: the address to listen on (default {DEFAULT_HOST})")
    group.add_argument("--port", metavar="PORT", type=int,
                       help=f"with --serve: the port (default {DEFAULT_PORT})")


def check(args: argparse.Namespace) -> None:
    """Flags that cannot go together, before anything is loaded."""
    modes = [flag for flag, on in (
        ("--trace", args.trace), ("--print-command", args.print_command),
        ("--export-markdown", args.export_markdown),
        ("--screenshot", args.screenshot is not None), ("--serve", args.serve),
    ) if on]
    if len(modes) > 1:
        raise ShareError(f"{' and '.join(modes)} do not go together (one at a time)")
    if args.terminal_size is not None and args.screenshot is None:
        raise ShareError("--terminal-size goes with --screenshot")
    if (args.host is not None or args.port is not None) and not args.serve:
        raise ShareError("--host and --port go with --serve")
    if args.port is not None and not 0 < args.port < 65536:
        raise ShareError(f"--port {args.port}: give 1 … 65535")
    if args.watch and (args.print_command or args.export_markdown or args.screenshot):
        raise ShareError("--watch is for the app (or --serve), not a one-shot export")
    if args.screenshot is not None and args.screenshot.suffix.lower() != ".svg":
        raise ShareError(f"--screenshot {args.screenshot}: the file must end in .svg")
    if args.zoom is not None and not -ZOOM_LIMIT <= args.zoom <= ZOOM_LIMIT:
        raise ShareError(f"--zoom {args.zoom}: give -{ZOOM_LIMIT} … {ZOOM_LIMIT} levels"
                         " from the fitted size")


def terminal_size(text: str | None) -> tuple[int, int]:
    """``120x40`` → (120, 40) columns and rows."""
    if text is None:
        return DEFAULT_TERMINAL
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(part) for part in parts)
    except ValueError:
        raise ShareError(f"--terminal-size {text}: give WxH, e.g. 120x40") from None
    if not (10 <= width <= 1000 and 5 <= height <= 500):
        raise ShareError(f"--terminal-size {text}: give 10 … 1000 columns and 5 … 500 rows")
    return width, height


def app_options(args: argparse.Namespace, preset: Preset,
                reload: Callable[[], Preset]) -> dict[str, Any]:
    """What ``ConvolutionApp`` takes from these flags: the look, zoom and the watched file."""
    options: dict[str, Any] = {"look": args.look or "numbers", "zoom": args.zoom or 0}
    if args.watch:
        if preset.path is None:
            raise ShareError("--watch needs a preset file or a picture to watch")
        options["watch"] = (preset.path, reload)
    return options


def one_shot(args: argparse.Namespace, preset: Preset, steps: Any) -> str | None:
    """The text ``--print-command`` or ``--export-markdown`` prints, else ``None``."""
    step = args.step or 0
    if args.print_command:
        argv = reproduce(preset, step=step, look=args.look or "numbers", zoom=args.zoom or 0)
        return command_text(argv) + "\n"
    if args.export_markdown:
        if not preset.on_explorer:
            raise ShareError("--export-markdown shows conv problems in the grid view only")
        from .export import step_markdown

        return step_markdown(steps, step, f"{preset.title} ({preset.name})")
    return None


def served_command(argv: Sequence[str]) -> str:
    """The shell command each visitor's app runs: this one without ``--serve``/``--host``/
    ``--port`` (argparse's unique prefixes included), so it cannot serve again."""
    kept: list[str] = []
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        name = token.split("=", 1)[0]
        flag = next((f for f in SERVE_FLAGS if len(name) > 2 and f.startswith(name)), None)
        if flag is None or not token.startswith("--"):
            kept.append(token)
        elif flag != "--serve" and "=" not in token:
            skip = True  # the value follows
    return shlex.join([sys.executable, "-m", "eigenvue_tui", *kept])


def serve(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Serve the app with textual-serve until Ctrl+C; each visitor gets their own app."""
    try:
        from .serve import run_server
    except ImportError:
        raise ShareError(f"--serve needs textual-serve: {WEB_HINT}") from None
    host = args.host or DEFAULT_HOST
    return run_server(served_command(argv), host, args.port or DEFAULT_PORT)


def driven_elsewhere() -> bool:
    """True when Textual is told to talk to something else than this terminal
    (textual-serve's web driver runs the app on pipes)."""
    return bool(os.environ.get("TEXTUAL_DRIVER"))
