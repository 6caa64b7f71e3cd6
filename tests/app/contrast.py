"""WCAG contrast of every character of text on a rendered screen (test helper)."""

from __future__ import annotations

from rich.color import Color
from rich.style import Style

from eigenvue_tui.cells import contrast

DECORATION = range(0x2500, 0x25A0)  # box drawing and block elements: borders, bars, pixels


def _rgb(color: Color | None, fallback: tuple[int, int, int]) -> tuple[int, int, int]:
    if color is None or color.is_default:
        return fallback
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def low_contrast(strips, background: tuple[int, int, int], foreground: tuple[int, int, int],
                 minimum: float = 4.5) -> list[tuple[int, str, float]]:
    """(line, text, ratio) of every run of text whose contrast is under ``minimum``."""
    found = []
    for y, strip in enumerate(strips):
        for segment in strip:
            text = "".join(ch for ch in segment.text if not ch.isspace()
                           and ord(ch) not in DECORATION)
            if not text or segment.control:
                continue
            style = segment.style or Style()
            fg = _rgb(style.color, foreground)
            bg = _rgb(style.bgcolor, background)
            if style.reverse:
                fg, bg = bg, fg
            ratio = contrast(fg, bg)
            if ratio < minimum:
                found.append((y, text, round(ratio, 2)))
    return found
