"""Titles a grid carries: its plane's name and its colour legend."""

from __future__ import annotations

from rich.markup import escape

from ..cells import text_on
from ..formatting import format_number
from .grid import GridView


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def legend_text(grid: GridView) -> str | None:
    """``▌-4 ━━ 8▐`` in the scale's own colours: the numbers at its two ends."""
    cells = grid.cells
    if not cells.ready or cells.values.size == 0:
        return "scale …" if not cells.ready else None
    (low, low_rgb), (high, high_rgb) = cells.scale.ends()
    parts = []
    for value, rgb in ((low, low_rgb), (high, high_rgb)):
        label = escape(f" {format_number(value)} ")
        parts.append(f"[{_hex(text_on(rgb))} on {_hex(rgb)}]{label}[/]")
    middle = " 0 " if cells.scale.diverging else " → "
    return f"{parts[0]}{middle}{parts[1]}"


def plane_title(channel: int, names: tuple[str, ...]) -> str:
    """``R (ch 0)`` when the preset names its channels, else ``ch 0``."""
    if names and channel < len(names):
        return f"{escape(str(names[channel]))} (ch {channel})"
    return f"ch {channel}"
