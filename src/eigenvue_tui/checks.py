"""Checking what the user wrote: grids of numbers and whole-number options.

Each check either returns plain values or raises a one-line ``SpecError`` that
names the bad cell or option. Every comparison is made on Python numbers or
with ``min``/``max``, never ``abs`` of an int64 (which overflows at its minimum).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np

MAX_ABS_VALUE = 1e6


class SpecError(ValueError):
    """A problem with the user's convolution, phrased for one line of output."""


def number(value: Any, where: str) -> int | float:
    """One grid cell or bias as a finite Python number within the limit."""
    if isinstance(value, np.generic) and not isinstance(value, np.bool_):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(f"{where} is {show(value)}, not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise SpecError(f"{where} is {value}, numbers must be finite")
    if not -MAX_ABS_VALUE <= value <= MAX_ABS_VALUE:
        raise SpecError(f"{where} is {show(value)}, beyond the limit of ±{MAX_ABS_VALUE:g}")
    return value


def show(value: Any) -> str:
    """A value as the user would write it, short enough to quote in one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int) and abs(value) >= 10**20:
        # repr of a 5,000-digit int raises ValueError; its size is what matters anyway.
        sign = "-" if value < 0 else ""
        return f"a {sign}{math.floor(math.log10(abs(value))) + 1}-digit integer"
    text = repr(value)
    return text if len(text) <= 20 else text[:17] + "..."


def _fast_array(value: list[Any], rank: int) -> tuple[np.ndarray, bool] | None:
    """numpy's view of a well-formed grid, or ``None`` to fall back to the careful walk.

    The walk names the exact bad cell but costs a Python call per number; this
    path checks a large, valid grid in C and leaves every error to the walk.
    """
    flat: Any = value
    for _ in range(rank - 1):
        flat = chain.from_iterable(flat)
    try:
        kinds = set(map(type, flat))
        if not kinds or not kinds <= {int, float}:
            return None
        array = np.array(value, dtype=np.int64 if kinds == {int} else np.float64)
    except (TypeError, ValueError, OverflowError):
        return None
    if array.ndim != rank or not np.isfinite(array).all():
        return None
    # Not np.abs: the absolute value of int64's minimum overflows and stays negative.
    if array.size and not -MAX_ABS_VALUE <= array.min() <= array.max() <= MAX_ABS_VALUE:
        return None
    return array, kinds == {int}


def grid(value: Any, name: str, rank_options: Sequence[int]) -> tuple[np.ndarray, bool]:
    """Check a nested list is rectangular and numeric; return it as an array.

    The flag says whether every number was an integer.
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, list):
        raise SpecError(f"{name} must be a list of rows, got {show(value)}")
    shape: list[int] = []
    probe: Any = value
    while isinstance(probe, list):
        if not probe:
            raise SpecError(f"{name} is empty")
        if len(shape) == max(rank_options):  # also ends a list that contains itself
            raise SpecError(f"{name} is nested deeper than {len(shape)}-D")
        shape.append(len(probe))
        probe = probe[0]
    if len(shape) not in rank_options:
        wanted = " or ".join(f"{r}-D" for r in rank_options)
        raise SpecError(f"{name} must be a {wanted} grid, got {len(shape)}-D")
    fast = _fast_array(value, len(shape))
    if fast is not None:
        return fast
    flat: list[Any] = []

    def walk(node: Any, depth: int, path: str) -> None:
        if depth == len(shape):
            flat.append(number(node, f"{name}{path}"))
            return
        if not isinstance(node, list):
            raise SpecError(f"{name}{path} is {show(node)}, expected a list")
        if len(node) != shape[depth]:
            what = "row" if depth == len(shape) - 1 else "entry"
            got = "number" if depth == len(shape) - 1 else "item"
            got += "" if len(node) == 1 else "s"
            raise SpecError(
                f"{name}{path} has {len(node)} {got}, expected {shape[depth]}"
                f" (every {what} must be the same length)"
            )
        for i, child in enumerate(node):
            walk(child, depth + 1, f"{path}[{i}]")

    walk(value, 0, "")
    integral = all(isinstance(v, int) for v in flat)
    return np.array(flat, dtype=np.int64 if integral else np.float64).reshape(shape), integral


def pair(value: Any, name: str, minimum: int) -> tuple[int, int]:
    """``S`` or ``[SH, SW]`` or ``"SH,SW"`` → a pair of ints from minimum to the value limit."""
    parts = int_list(value, name)
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        raise SpecError(f"{name} must be one number or two (H,W), got {len(parts)}")
    for p in parts:
        if p < minimum:
            raise SpecError(f"{name} must be at least {minimum}, got {show(p)}")
        if p > MAX_ABS_VALUE:
            raise SpecError(f"{name} is {show(p)}, over the limit of {MAX_ABS_VALUE:g}")
    return parts[0], parts[1]


def int_list(value: Any, name: str) -> list[int]:
    """Whole numbers from text, one number or a list; numpy integers count, booleans do not."""
    if isinstance(value, str):
        try:
            items: list[Any] = [int(p.strip()) for p in value.split(",")]
        except ValueError:  # also a number too long to convert
            raise SpecError(f"{name} must be whole numbers, got {show(value)}") from None
    elif isinstance(value, np.ndarray):
        items = value.tolist()
    else:
        items = list(value) if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        if isinstance(item, np.integer):
            item = int(item)
        if isinstance(item, bool) or not isinstance(item, int):
            raise SpecError(f"{name} must be whole numbers, got {show(item)}")
        out.append(item)
    return out
