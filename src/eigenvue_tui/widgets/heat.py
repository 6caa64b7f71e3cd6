"""The heat view: the numbers on their value's colour, with black or white text
chosen by the background's luminance so every cell stays readable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.color import Color
from rich.style import Style

from ..cells import text_on
from .numbers import NumbersRenderer

if TYPE_CHECKING:
    from .grid import GridView


class HeatRenderer(NumbersRenderer):
    name = "heat"

    def __init__(self) -> None:
        self._levels: dict[tuple[int, bool], Style] = {}

    def reset(self) -> None:
        self._levels.clear()

    def value_style(self, view: GridView, styles: dict[str, Style], row: int, col: int) -> Style:
        scale = view.cells.scale
        level = scale.level(view.cells.value(row, col))
        key = (level, scale.diverging)
        style = self._levels.get(key)
        if style is None:
            background = scale.colour_of_level(level)
            style = Style(
                color=Color.from_rgb(*text_on(background)), bgcolor=Color.from_rgb(*background)
            )
            self._levels[key] = style
        return style

    def window_style(self, styles: dict[str, Style], hit: bool) -> Style:
        """Keep the value's colour: the window is marked by underline and bold."""
        return Style(underline=True, bold=True) if hit else Style(italic=True)
