"""Stepping on the main screen: the step keys, play and its speed.

A mixin of :class:`~.explorer.ExplorerScreen`, which owns the ``step``, ``playing``,
``speed_index`` and ``unit_index`` reactives and the play timer.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding

from ..engine import Phase
from ..formatting import format_number
from ..play import UNITS, next_stop, next_write
from .shown import while_shown

SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
STEPS_PER_SECOND_AT_1X = 2.0

_STEP_KEYS = [
    Binding("right", "step(1)", "Step", key_display="→", priority=True,
            tooltip="One step forward", id="step.forward"),
    Binding("left", "step(-1)", "Back", key_display="←", priority=True, show=False,
            tooltip="One step back", id="step.back"),
    Binding("down", "cell(1)", "Cell", key_display="↓", priority=True,
            tooltip="To the next output cell's write step", id="step.next_cell"),
    Binding("up", "cell(-1)", "Cell back", key_display="↑", priority=True, show=False,
            tooltip="To the previous output cell's write step", id="step.prev_cell"),
    Binding("pagedown", "row(1)", "Next row", key_display="PgDn", priority=True,
            show=False, tooltip="One output row forward", id="step.next_row"),
    Binding("pageup", "row(-1)", "Prev row", key_display="PgUp", priority=True,
            show=False, tooltip="One output row back", id="step.prev_row"),
    Binding("home", "first", "First", key_display="Home", priority=True, show=False,
            tooltip="First step", id="step.first"),
    Binding("end", "last", "Last", key_display="End", priority=True, show=False,
            tooltip="Last step", id="step.last"),
    Binding("space", "play", "Play", tooltip="Play / pause", id="play.toggle"),
    Binding("space", "pause", "Pause", tooltip="Play / pause", id="play.pause"),
    Binding("plus,equals_sign", "speed(1)", "Faster", key_display="+", show=False,
            tooltip="Play faster", id="play.faster"),
    Binding("minus", "speed(-1)", "Slower", key_display="-", show=False,
            tooltip="Play slower", id="play.slower"),
    Binding("u", "unit", "Unit", show=False,
            tooltip="Play by multiply-add → output cell → output row", id="play.unit"),
]

CELL_KEYS = frozenset({"down", "up", "pagedown", "pageup", "u"})


def step_bindings(prefix: str = "", *, cells: bool = True) -> list[Binding]:
    """→ ← Home End, play and its speed, with ids under ``prefix``; ``cells`` adds the
    output-cell and row jumps and the play unit (conv only)."""
    return [
        replace(b, id=prefix + (b.id or "")) for b in _STEP_KEYS if cells or b.key not in CELL_KEYS
    ]


BINDINGS = step_bindings()


class Stepping:
    """The step and play actions of the explorer screen."""

    def watch_playing(self) -> None:
        self._render_status()

    def watch_speed_index(self) -> None:
        self._render_status()

    def watch_unit_index(self) -> None:
        self._render_status()

    def action_unit(self) -> None:
        """Cycle what one tick of play moves: a multiply-add, an output cell, a row."""
        self.unit_index = (self.unit_index + 1) % len(UNITS)

    def action_step(self, delta: int) -> None:
        if self.cursor is not None:
            self._move_cursor(0, delta)
            return
        self.step += delta

    def action_first(self) -> None:
        self.step = 0

    def action_last(self) -> None:
        self.step = self.steps.last

    def action_cell(self, delta: int) -> None:
        """To the next / previous output cell's ``write`` step (Eigenvue's granularity)."""
        if self.cursor is not None:
            self._move_cursor(delta, 0)
            return
        steps = self.steps
        phase, position, _ = steps.locate(self.step)
        if delta > 0:
            self.step = next_write(steps, self.step)
        else:
            before = position - 1
            if phase is Phase.DONE:
                before = steps.positions - 1
            self.step = steps.write_step(before) if before >= 0 else 0

    def action_row(self, delta: int) -> None:
        """The same phase of the cell one output row down / up; past either end, done / init.

        From ``init`` PageDown starts row 1; from ``done`` PageUp starts the last row.
        """
        steps = self.steps
        phase, position, _ = steps.locate(self.step)
        width = steps.spec.out_width
        if phase is Phase.INIT or phase is Phase.DONE:
            target = width if phase is Phase.INIT else steps.positions - width
            moving_inward = (delta > 0) == (phase is Phase.INIT)
            if moving_inward and 0 <= target < steps.positions:
                self.step = steps.reset_step(target)
            return
        target = position + delta * width
        if target >= steps.positions:
            self.step = steps.last
        elif target < 0:
            self.step = 0
        else:
            self.step += delta * width * steps.block

    def action_play(self) -> None:
        if self.step >= self.steps.last:
            self.step = 0
        self.playing = True
        if self._timer is not None:
            self._timer.resume()

    def action_pause(self) -> None:
        self.playing = False
        if self._timer is not None:
            self._timer.pause()

    @property
    def _interval(self) -> float:
        return 1.0 / (STEPS_PER_SECOND_AT_1X * SPEEDS[self.speed_index])

    def action_speed(self, delta: int) -> None:
        index = min(max(self.speed_index + delta, 0), len(SPEEDS) - 1)
        if index == self.speed_index:
            self.notify(
                f"Speed is already {format_number(SPEEDS[index])}×", timeout=2, markup=False
            )
            return
        self.speed_index = index
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_interval(self._interval, self._tick, pause=not self.playing)

    @while_shown
    def _tick(self) -> None:
        if self.step >= self.validate_step(self.steps.last):  # the end, or a practice stop
            self.action_pause()
        else:
            self.step = next_stop(self.steps, self.step, UNITS[self.unit_index])
            if self.step >= self.steps.last:
                self.action_pause()

