"""Compact number formatting shared by the grids, the watch list and the explanation."""

from __future__ import annotations

import numpy as np

SIGNIFICANT_DIGITS = 4


def format_number(value: float | int) -> str:
    """Ints (and whole floats) as ints; other floats to a few significant digits; no ``-0``."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{float(value):.{SIGNIFICANT_DIGITS}g}"
    return "0" if text in ("-0", "0") else text


def format_grid(values: np.ndarray) -> list[list[str]]:
    """Every cell of a 2-D array formatted, computed once per problem (not per step)."""
    if values.dtype.kind == "i":
        return [[str(v) for v in row] for row in values.tolist()]
    return [[format_number(v) for v in row] for row in values.tolist()]
