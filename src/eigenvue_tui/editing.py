"""Edit mode's changes to a problem: set a cell, add or remove a row or column, fill
a grid with random numbers, and the order the edit cursor visits the grids in.

Each change returns a new ``ConvSpec`` validated afresh by ``make_spec`` with the
same options, so anything the engine would refuse (a kernel larger than the
input, a grid over the limits) is a ``SpecError`` and the old problem stands.
Pure numpy; no Textual here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from .checks import SpecError, number
from .spec import ConvSpec, make_spec

RANDOM_INPUT = (0, 9)  # random input cells: small non-negative integers, like pixel levels
RANDOM_KERNEL = (-2, 2)  # random weights: small integers of both signs


@dataclass(frozen=True)
class Target:
    """A cell being edited: an input plane (``channel``) or a kernel slice (``filter``,
    ``channel``), in the grid's own coordinates (the input without its padding)."""

    grid: str  # "input" or "kernel"
    row: int = 0
    col: int = 0
    channel: int = 0
    filter: int = 0

    def label(self, spec: ConvSpec) -> str:
        """The cell as a preset indexes it, with channel/filter indices when the grid has them."""
        if self.grid == "input":
            index = f"[{self.channel}]" if spec.has_channels else ""
        else:
            index = (f"[{self.filter}]" if spec.has_filters else "") + (
                f"[{self.channel}]" if spec.has_channels else ""
            )
        return f"{self.grid}{index}[{self.row}][{self.col}]"


def shape_of(spec: ConvSpec, grid: str) -> tuple[int, int]:
    """Rows and columns of the input (unpadded) or the kernel."""
    if grid == "input":
        return spec.height, spec.width
    return spec.kernel_height, spec.kernel_width


def clamp(spec: ConvSpec, target: Target) -> Target:
    """``target`` moved inside its grid (after a resize, or onto a smaller grid)."""
    rows, cols = shape_of(spec, target.grid)
    return Target(
        target.grid, min(max(target.row, 0), rows - 1), min(max(target.col, 0), cols - 1),
        min(target.channel, spec.channels - 1), min(target.filter, spec.filters - 1),
    )


def moved(spec: ConvSpec, target: Target, rows: int, cols: int) -> Target:
    return clamp(spec, Target(target.grid, target.row + rows, target.col + cols,
                              target.channel, target.filter))


def planes(spec: ConvSpec) -> list[tuple[str, int, int]]:
    """Every editable grid in Tab order: the input's channels, then each filter's slices."""
    order = [("input", ch, 0) for ch in range(spec.channels)]
    order += [("kernel", ch, f) for f in range(spec.filters) for ch in range(spec.channels)]
    return order


def next_plane(spec: ConvSpec, target: Target, delta: int = 1) -> Target:
    """The next (or previous) grid in Tab order, at the same cell where it exists."""
    order = planes(spec)
    here = (target.grid, target.channel, target.filter if target.grid == "kernel" else 0)
    index = order.index(here) if here in order else 0
    grid, channel, filt = order[(index + delta) % len(order)]
    return clamp(spec, Target(grid, target.row, target.col, channel, filt))


def parse_value(text: str, where: str) -> int | float:
    """Typed text as a preset number: a JSON number, finite and within the limits."""
    try:
        value: Any = json.loads(text.strip())
    except (ValueError, RecursionError):
        raise SpecError(f"{where}: {text.strip()!r} is not a number") from None
    return number(value, where)


def _arrays(spec: ConvSpec) -> tuple[np.ndarray, np.ndarray]:
    """Writable copies of the grids, input ``[C][H][W]`` and kernel ``[F][C][kH][kW]``."""
    return spec.input.copy(), spec.kernel.copy()


def _rebuild(spec: ConvSpec, inputs: np.ndarray, kernel: np.ndarray) -> ConvSpec:
    """The grids back in the ranks the user wrote them, validated with the same options."""
    grid = inputs[0] if spec.input_rank == 2 else inputs
    kernel = kernel.reshape(kernel.shape[4 - spec.kernel_rank :])
    return make_spec(grid, kernel, **spec.options())


def _plane(inputs: np.ndarray, kernel: np.ndarray, target: Target) -> np.ndarray:
    if target.grid == "input":
        return inputs[target.channel]
    return kernel[target.filter, target.channel]


def set_cell(spec: ConvSpec, target: Target, value: int | float) -> ConvSpec:
    """The problem with one cell set (a float in an integer grid makes every grid float)."""
    inputs, kernel = _arrays(spec)
    if isinstance(value, float) and inputs.dtype.kind == "i":
        inputs, kernel = inputs.astype(np.float64), kernel.astype(np.float64)
    _plane(inputs, kernel, target)[target.row, target.col] = value
    return _rebuild(spec, inputs, kernel)


def insert_line(spec: ConvSpec, target: Target, axis: str, after: bool) -> ConvSpec:
    """A row (``axis="row"``) or column of zeros beside the cursor's, on every plane."""
    if target.grid == "kernel":
        rows, cols = shape_of(spec, "kernel")
        side, limit = (rows, spec.height) if axis == "row" else (cols, spec.width)
        if side >= limit:
            raise SpecError(f"the kernel may not grow past the input ({spec.height}×"
                            f"{spec.width}): it has {side} {axis}s already")
    inputs, kernel = _arrays(spec)
    grid = inputs if target.grid == "input" else kernel
    index = (target.row if axis == "row" else target.col) + (1 if after else 0)
    grid = np.insert(grid, index, 0, axis=grid.ndim - (2 if axis == "row" else 1))
    if target.grid == "input":
        return _rebuild(spec, grid, kernel)
    return _rebuild(spec, inputs, grid)


def remove_line(spec: ConvSpec, target: Target, axis: str) -> ConvSpec:
    """The cursor's row or column taken out of every plane (never the last one)."""
    rows, cols = shape_of(spec, target.grid)
    if (rows if axis == "row" else cols) == 1:
        raise SpecError(f"the {target.grid} has only one {axis}: it cannot lose it")
    inputs, kernel = _arrays(spec)
    grid = inputs if target.grid == "input" else kernel
    index = target.row if axis == "row" else target.col
    grid = np.delete(grid, index, axis=grid.ndim - (2 if axis == "row" else 1))
    if target.grid == "input":
        return _rebuild(spec, grid, kernel)
    return _rebuild(spec, inputs, grid)


def randomized(spec: ConvSpec, target: Target, rng: np.random.Generator) -> ConvSpec:
    """The grid under the cursor filled with random small integers (that plane only)."""
    inputs, kernel = _arrays(spec)
    low, high = RANDOM_INPUT if target.grid == "input" else RANDOM_KERNEL
    plane = _plane(inputs, kernel, target)
    plane[...] = rng.integers(low, high + 1, size=plane.shape)
    return _rebuild(spec, inputs, kernel)


def same_grids(a: ConvSpec, b: ConvSpec) -> bool:
    """Equal input and kernel (values and shapes), whatever the options."""
    return (a.input.shape == b.input.shape and a.kernel.shape == b.kernel.shape
            and bool(np.array_equal(a.input, b.input)) and bool(np.array_equal(a.kernel, b.kernel)))
