"""The ``o`` (next operation) and ``m`` (im2col view) keys, on the explorer and the
operation screen alike.

Both keys build the new problem off the main thread and hand it to
``app.open_problem``, which shows the screen that draws it, with this screen's
look, play speed and play unit; an operation that does not fit the grids is
skipped and named, and when none fits the user is told and nothing changes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import Any

from textual import work
from textual.binding import Binding

from ..im2col import im2col_refusal
from ..operations import build, next_op, op_of, op_source
from ..spec import SpecError

BINDINGS = [
    Binding("o", "next_op", "Op", tooltip="Next operation that fits these grids: conv →"
            " transposed → maxpool → avgpool → grad-input → grad-weight", id="op.next"),
    Binding("m", "im2col", "im2col", show=False,
            tooltip="Toggle the im2col view of a conv: the matrix product frameworks run",
            id="op.im2col"),
]


def _next(problem: Any, kernel_source: Any) -> tuple[Any, Any, list[tuple[str, str]]]:
    """(new problem, its steps, skipped operations) — numpy work, run in a thread."""
    new, skipped = next_op(problem, kernel_source)
    return new, build(new), skipped


@dataclass(frozen=True)
class PlaySettings:
    """What ``o`` and ``m`` carry to the next screen, and from it to the one after."""

    look: str  # numbers, heat or pixels
    speed_index: int
    unit_index: int  # kept by a screen that plays a step a tick, for the way back


class OpSwitching:
    """Actions for ``o`` and ``m``; the screen has ``preset``, ``steps`` and ``step``."""

    kernel_source: Any = None

    def play_settings(self) -> PlaySettings:
        """This screen's look, play speed and play unit."""
        raise NotImplementedError

    def adopt_settings(self, settings: PlaySettings) -> None:
        """Start with another screen's settings (called before this one mounts)."""
        raise NotImplementedError

    def _open(self, preset: Any, steps: Any, step: int = 0, *, kernel_source: Any = None
              ) -> None:
        """``app.open_problem``, keeping the look, speed and play unit. The screen it
        switches to is built with the defaults, and is on top, not yet mounted, when it
        returns; a conv shown on this explorer keeps them anyway."""
        settings = self.play_settings()
        self.app.open_problem(preset, steps, step, kernel_source=kernel_source)
        shown = self.app.screen
        if shown is not self and isinstance(shown, OpSwitching):
            shown.adopt_settings(settings)

    def shown_problem(self) -> Any:
        """The problem on screen (the operation screen keeps it apart from its steps)."""
        return self.steps.spec

    @work(exclusive=True, group="op-switch")
    async def action_next_op(self) -> None:
        problem = self.shown_problem()
        source = op_source(problem, self.kernel_source)
        try:
            new, steps, skipped = await asyncio.to_thread(_next, problem, source)
        except SpecError as error:
            self.notify(str(error), title="Operation not changed", severity="warning",
                        timeout=6, markup=False)
            return
        note = ""
        if skipped:
            note = " (skipped " + "; ".join(f"{op}: {why}" for op, why in skipped) + ")"
        preset = replace(self.preset, spec=new, view="grid")
        self._open(preset, steps, kernel_source=source)
        self.app.notify(f"{new.describe_size()}{note}", title=f"Operation: {op_of(new)}",
                        timeout=6 if skipped else 3, markup=False)

    def action_im2col(self) -> None:
        """conv ⇄ its im2col view, on the same step."""
        view = "grid" if self.preset.view == "im2col" else "im2col"
        problem = self.shown_problem()
        if op_of(problem) != "conv":
            self.notify(f"The im2col view is for conv; this is {op_of(problem)}"
                        " (o cycles the operations).", title="No im2col view",
                        severity="warning", markup=False)
            return
        if view == "im2col" and (why := im2col_refusal(problem)):
            self.notify(why[0].upper() + why[1:] + ".", title="No im2col view",
                        severity="warning", timeout=8, markup=False)
            return
        preset = replace(self.preset, spec=problem, view=view)
        self._open(preset, self.steps, self.step)
