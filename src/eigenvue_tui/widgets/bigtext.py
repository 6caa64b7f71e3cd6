"""Big numbers for big cells: a 3×5 pixel font drawn with half blocks, scaled by s.

So a projected 4×4 grid reads from the back of the room. Only the characters
a formatted number can contain are in the font; anything else stays small text.
"""

from __future__ import annotations

from functools import lru_cache

FONT_ROWS = 5
FONT = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    "-": ("...", "...", "###", "...", "..."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    ".": (".", ".", ".", ".", "#"),
    "e": ("...", "###", "#.#", "##.", "###"),
}


def big_size(text: str, scale: int) -> tuple[int, int]:
    """Columns and lines ``text`` takes at ``scale`` (one blank column between glyphs)."""
    glyph_width = sum(len(FONT[ch][0]) for ch in text) + len(text) - 1
    return glyph_width * scale, -(-FONT_ROWS * scale // 2)


def fits(text: str) -> bool:
    return bool(text) and all(ch in FONT for ch in text)


@lru_cache(maxsize=4096)
def big_lines(text: str, scale: int) -> tuple[str, ...]:
    """``text`` as lines of ``▀ ▄ █`` (two font rows per line), ``scale`` pixels a dot."""
    rows = []
    for r in range(FONT_ROWS):
        pixels = ".".join(FONT[ch][r] for ch in text)
        scaled = "".join(p * scale for p in pixels)
        rows.extend([scaled] * scale)
    if len(rows) % 2:
        rows.append("." * len(rows[0]))
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        lines.append(
            "".join(
                "█" if a == "#" and b == "#" else "▀" if a == "#" else "▄" if b == "#" else " "
                for a, b in zip(top, bottom, strict=True)
            )
        )
    return tuple(lines)


def best_scale(text: str, width: int, lines: int) -> int:
    """The largest scale at which ``text`` fits ``width`` × ``lines`` (0: it does not)."""
    if not fits(text):
        return 0
    scale = 0
    while True:
        w, h = big_size(text, scale + 1)
        if w > width or h > lines:
            return scale
        scale += 1
