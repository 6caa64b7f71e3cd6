"""Changing the problem on the main screen: option keys, presets, the background sums.

A mixin of :class:`~.explorer.ExplorerScreen`. Every change runs behind the
screen's ``_change_lock`` so presses apply one after another, in order; the
new steps are built off the main thread and shown by ``show_problem``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from textual import work
from textual.binding import Binding
from textual.worker import get_current_worker

from ..engine import Phase, Steps
from ..learn import shift_right
from ..operations import with_quick_sums
from ..presets import CatalogueEntry, PresetError
from ..spec import ConvSpec, SpecError
from ..sums import SumsCancelled
from ..widgets.board import Board
from .picker import Outcome, PickingPresets, read_outcome
from .shown import while_shown

OPTION_CYCLES: dict[str, tuple[object, ...]] = {
    "stride": ((1, 1), (2, 2), (3, 3)),
    "padding": ("valid", "same", "full"),
    "dilation": ((1, 1), (2, 2), (3, 3)),
    "flip": (False, True),
    "activation": ("none", "relu"),
}

PROGRESS_EVERY = 0.25  # seconds between two progress updates of the background sums

BINDINGS = [
    Binding("s", "cycle('stride')", "Stride", tooltip="Cycle the stride 1 → 2 → 3",
            id="option.stride"),
    Binding("z", "cycle('padding')", "Pad",
            tooltip="Cycle zero padding valid → same → full", id="option.padding"),
    Binding("d", "cycle('dilation')", "Dilate", tooltip="Cycle the dilation 1 → 2 → 3",
            id="option.dilation"),
    Binding("f", "cycle('flip')", "Flip",
            tooltip="Toggle true convolution (kernel rotated 180°)", id="option.flip"),
    Binding("r", "cycle('activation')", "ReLU", show=False,
            tooltip="Toggle ReLU on the written outputs", id="option.relu"),
    ]


def _option_text(value: object) -> str:
    """How an option value reads in a message: ``3`` for (3, 3), ``on`` for True."""
    if isinstance(value, tuple):
        return str(value[0]) if len(set(value)) == 1 else ",".join(map(str, value))
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _next_option(spec: ConvSpec, name: str) -> tuple[ConvSpec, list[object]]:
    """The next value of an option in its cycle that gives a valid problem.

    Values that do not fit (a dilated kernel larger than the input, say) are
    skipped and returned so the user can be told.
    """
    cycle = OPTION_CYCLES[name]
    current = spec.options()[name]
    current = tuple(current) if isinstance(current, list) else current
    start = cycle.index(current) if current in cycle else -1
    skipped: list[object] = []
    for offset in range(1, len(cycle) + 1):
        value = cycle[(start + offset) % len(cycle)]
        if value == current:
            break
        try:
            return spec.with_options(**{name: value}), skipped
        except SpecError:
            skipped.append(value)
    raise SpecError(f"no other {name} fits this problem")


def _same_position(old: Steps, new: Steps, index: int) -> int:
    """The step of ``new`` at the same output cell and phase as ``index`` of ``old``, else 0."""
    phase, position, _ = old.locate(index)
    if phase is Phase.INIT:
        return 0
    if phase is Phase.DONE:
        return new.last
    f, row, col = old.coords(position)
    if row >= new.spec.out_height or col >= new.spec.out_width:
        return 0
    offset = index - old.reset_step(position)
    return new.reset_step(new.position_of(f, row, col)) + offset


class ProblemChanges(PickingPresets):
    """Option keys, preset loading and the background sums of the explorer screen."""

    @work(thread=True, exclusive=True, group="sums", exit_on_error=False)
    def _compute_sums(self, steps: Steps) -> None:
        """Every output sum, off the main thread, with progress; dropped if the problem
        changes or the app quits first."""
        worker = get_current_worker()
        self.app.call_from_thread(self._show_loading, 0.0)
        shown = [time.monotonic()]

        def progress(fraction: float) -> None:
            # A few times a second is enough to see it move; each one redraws the
            # output panel on the main thread and makes this thread wait for it.
            now = time.monotonic()
            if now - shown[0] >= PROGRESS_EVERY:
                shown[0] = now
                self.app.call_from_thread(self._show_loading, fraction)

        def cancelled() -> bool:
            return worker.is_cancelled or steps is not self.steps

        try:
            steps.compute_sums(progress=progress, cancelled=cancelled)
        except SumsCancelled:
            return
        if not cancelled():
            self.app.call_from_thread(self._sums_arrived, steps)

    @while_shown
    def _show_loading(self, fraction: float) -> None:
        self.query_one(Board).show_progress(fraction)

    @while_shown
    def _sums_arrived(self, steps: Steps) -> None:
        if steps is self.steps:
            self.query_one(Board).sums_arrived()
            self._render_step(self.step)

    @work(group="options")
    async def action_cycle(self, name: str) -> None:
        """Change one option live; the step stays on the same output cell if it still exists.

        Presses queue up behind the lock, so ``s s`` always moves two values on.
        """
        async with self._change_lock:
            await self._change_option(name)

    async def _change_option(self, name: str) -> None:
        try:
            spec, skipped = await asyncio.to_thread(_next_option, self.steps.spec, name)
        except SpecError as error:
            self.notify(
                str(error), title="Option not changed", severity="warning", markup=False
            )
            return
        await self._replace_spec(spec)
        shown = spec.describe_options() or "no options (plain convolution)"
        note = ""
        if skipped:
            note = f" (skipped {', '.join(map(_option_text, skipped))}: does not fit)"
        self.notify(f"{shown}{note}", title=f"{name} changed", timeout=3, markup=False)

    async def _replace_spec(self, spec: ConvSpec) -> None:
        """The same preset with a changed problem, on the same output cell where it exists."""
        steps = await asyncio.to_thread(lambda: with_quick_sums(Steps(spec)))
        step = _same_position(self.steps, steps, self.step)
        await self.show_problem(replace(self.preset, spec=spec), steps, step)

    @work(group="options")
    async def action_shift(self) -> None:
        """Shift the input one column right; the step stays on the same output cell."""
        async with self._change_lock:
            spec = await asyncio.to_thread(shift_right, self.steps.spec)
            await self._replace_spec(spec)
            self.notify("Input shifted one column right: watch the output move with it.",
                        title="Shifted", timeout=3, markup=False)

    @work(exclusive=True, group="load")
    async def load_entry(self, entry: CatalogueEntry, outcome: Outcome | None = None) -> None:
        """Load a preset file off the main thread (unless the picker already read it,
        ``outcome``); on error, tell and keep the state."""
        async with self._change_lock:
            await self._load(entry, outcome)

    async def _show_under_picker(self, entry: CatalogueEntry, outcome: Outcome) -> bool:
        if isinstance(outcome, PresetError) or not outcome[0].on_explorer:
            return False
        await self.load_entry(entry, outcome).wait()
        return True

    async def _load(self, entry: CatalogueEntry, outcome: Outcome | None = None) -> None:
        if outcome is None:
            outcome = await read_outcome(entry)
        if isinstance(outcome, PresetError):
            self.notify(
                str(outcome), title="Preset not loaded", severity="error", timeout=8,
                markup=False,
            )
            return
        preset, steps = outcome
        if not preset.on_explorer:
            self.app.open_problem(preset, steps)  # another screen draws it
        else:
            await self.show_problem(preset, steps)
        self.app.notify(
            f"{preset.title}: {preset.spec.describe_size()}", title="Preset loaded", timeout=3,
            markup=False,
        )
