"""Play units: how far one tick of auto-play goes (a multiply-add, an output cell, a row).

Pure: step arithmetic on the engine's index, no Textual.
"""

from __future__ import annotations

from .engine import Phase, Steps

UNITS = ("multiply-add", "output cell", "output row")


def next_write(steps: Steps, index: int) -> int:
    """The first ``write`` step after ``index`` (the last step when there is none)."""
    phase, position, _ = steps.locate(index)
    after = position + 1 if phase is Phase.WRITE else max(position, 0)
    return steps.write_step(after) if after < steps.positions else steps.last


def next_stop(steps: Steps, index: int, unit: str) -> int:
    """Where one tick of ``unit`` from ``index`` lands: the next step, the next cell's
    ``write``, or the ``write`` of the last cell of the next cell's output row."""
    if index >= steps.last:
        return steps.last
    if unit == "multiply-add":
        return index + 1
    target = next_write(steps, index)
    if unit == "output cell" or target == steps.last:
        return target
    width = steps.spec.out_width
    _, position, _ = steps.locate(target)
    return steps.write_step((position // width + 1) * width - 1)
