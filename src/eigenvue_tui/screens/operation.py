"""The screen for every operation beyond the conv explorer's own loop nest.

Transposed convolution (and its equivalent direct convolution, ``e``),
max/avg pooling, grad-input, grad-weight and the im2col view of a conv: the
grids of ``op_view``, the pseudocode with the current line, the watch list, a
sentence and the status bar, all read from the steps for the one ``step``
index. The step keys match the explorer's.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from ..engine import Steps
from ..formatting import format_number
from ..learn_ops import op_sections
from ..op_view import OpView, make_view
from ..op_words import explain, im2col_formula, phase_label, size_formula, watch
from ..operations import build, op_of
from ..presets import CatalogueEntry, Preset, PresetError
from ..transposed import equivalent_conv
from ..widgets.code import CodeView, WatchList, code_row
from ..widgets.grid import COLOURLESS_PIXELS, VIEWS
from ..widgets.keybar import KeyBar
from ..widgets.op_board import OpBoard, OpCodeView
from ..widgets.palette import CellPalette
from .goto import GotoScreen
from .help import HelpScreen
from .learn_ops import OpLearnScreen
from .line_updates import LineScreen
from .op_switch import BINDINGS as OP_BINDINGS
from .op_switch import OpSwitching, PlaySettings
from .picker import Outcome, PickingPresets, read_outcome
from .shown import while_shown
from .steady import SteadyResize
from .stepping import SPEEDS, Stepping, step_bindings


class OperationScreen(Stepping, OpSwitching, PickingPresets, SteadyResize, LineScreen):
    """Steps through a transposed convolution, a pool, a gradient or the im2col product."""

    BINDINGS = [
        *step_bindings("op.", cells=False),
        *OP_BINDINGS,
        Binding("e", "equivalent", "Direct", tooltip="Transposed: toggle the equivalent"
                " direct convolution (stretched input, rotated kernel)", id="op.equivalent"),
        Binding("v", "view", "View", tooltip="Cycle the view: numbers → heat → pixels",
                id="op.view"),
        Binding("g", "goto", "Go to", show=False, tooltip="Go to a step number",
                id="op.goto"),
        Binding("p", "pick", "Presets", tooltip="Choose a preset", id="op.presets"),
        Binding("i", "learn", "Learn", tooltip="Each operation: its size formula, these"
                " numbers", id="op.learn"),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="This list of keys",
                id="op.help"),
        Binding("q", "app.quit", "Quit", tooltip="Quit", id="op.quit"),
    ]

    step: reactive[int] = reactive(0, init=False, repaint=False)
    playing: reactive[bool] = reactive(False, bindings=True, repaint=False)
    speed_index: reactive[int] = reactive(1, repaint=False)
    unit_index: reactive[int] = reactive(0, repaint=False)  # play moves one step a tick
    cursor = None  # no cell cursor here: ← → always step

    def __init__(self, preset: Preset, steps: Any, start_step: int = 0, *,
                 mode: str | None = None, kernel_source: Any = None, look: str = "numbers"
                 ) -> None:
        super().__init__()
        self.preset = preset
        self.problem = preset.spec
        self.steps = steps
        self.mode = mode if mode is not None else ("im2col" if preset.view == "im2col"
                                                   else None)
        self.kernel_source = kernel_source
        self.look = look
        self._conv_unit = 0  # the explorer's play unit, kept for the way back to it
        self._start_step = start_step
        self.view_model: OpView | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield CellPalette()
        yield OpBoard(id="op-board")
        yield from code_row(OpCodeView(id="code"), WatchList(id="watch"))
        yield Static(id="formula", markup=False)
        yield Static(id="explanation", markup=False)
        yield Static(id="status", markup=False)
        yield KeyBar(id="keys")

    async def on_mount(self) -> None:
        self._timer = self.set_interval(self._interval, self._tick, pause=True)
        await self._show(self.steps, self._start_step)
        self.call_after_refresh(self.app.first_frame_shown)  # type: ignore[attr-defined]

    @while_shown
    async def _show(self, steps: Any, step: int) -> None:
        """Draw ``steps`` in this screen's mode, at ``step`` (views are built in a thread)."""
        view = await asyncio.to_thread(make_view, steps, self.mode)
        self.steps, self.view_model = steps, view
        await self.query_one(OpBoard).load(view, self.look)
        self.query_one(CodeView).set_listing(view.listing)
        formula = im2col_formula(view) if self.mode == "im2col" else size_formula(
            self.problem if self.mode != "direct" else steps.spec)
        self.query_one("#formula", Static).update(Text(formula))
        self.set_reactive(OperationScreen.step, min(max(step, 0), view.last))
        self._share_height()
        self._render_step(self.step)
        self.call_after_refresh(self._fit_code)

    @while_shown
    def _share_height(self) -> None:
        """The grids get the code panel's room when they need it (as on the explorer)."""
        if self.view_model is None:
            return
        code = min(len(self.view_model.listing.lines) + 2, (self.size.height - 6) // 2)
        need = self.query_one(OpBoard).natural_height()
        self.query_one("#code-row").set_class(need > self.size.height - 6 - code, "-grids-first")

    # -- drawing ----------------------------------------------------------

    def validate_step(self, step: int) -> int:
        last = self.view_model.last if self.view_model is not None else 0
        return min(max(step, 0), last)

    def watch_step(self, step: int) -> None:
        self._render_step(step)

    @while_shown
    def _render_step(self, index: int) -> None:
        view = self.view_model
        if view is None:
            return
        self.query_one(OpBoard).show(index)
        self.query_one(CodeView).show_line(view.step(index).line)
        self.query_one(WatchList).show_values(watch(view, index))
        self.query_one("#explanation", Static).update(Text(explain(view, index)), layout=False)
        self._render_status()

    @while_shown
    def _render_status(self) -> None:
        view = self.view_model
        if view is None:
            return
        speed = format_number(SPEEDS[self.speed_index])
        state = f"▶ playing {speed}×" if self.playing else f"paused {speed}×"
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" Step {self.step} / {view.last} ", "bold reverse")
        text.append(f" {phase_label(view, self.step)} │ {state} │ {self._what()} │ {self.look}")
        text.append(f" │ {self.preset.title} ({self.preset.name})")
        options = self.problem.describe_options()
        if options:
            text.append(f" │ {options}")
        self.query_one("#status", Static).update(text, layout=False)

    def _what(self) -> str:
        """The operation and its form, as the status bar names it."""
        op = op_of(self.problem)
        if self.mode == "im2col":
            return "conv as im2col"
        if self.mode == "direct":
            return "transposed as a direct conv"
        return op

    def on_resize(self) -> None:  # what it calls checks the screen is still there
        self._share_height()
        self.call_after_refresh(self._fit_code)

    @while_shown
    def _fit_code(self) -> None:
        code = self.query_one(CodeView)
        code.fit_width(self.query_one("#code-panel").scrollable_content_region.width)
        # A listing that wraps grows after the next layout: reveal the line after it.
        self.call_after_refresh(code.reveal)

    # -- actions ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "play":
            return not self.playing
        if action == "pause":
            return self.playing
        if action == "equivalent":
            return op_of(self.problem) == "transposed"
        return True

    def shown_problem(self) -> Any:
        return self.problem

    def play_settings(self) -> PlaySettings:
        return PlaySettings(self.look, self.speed_index, self._conv_unit)

    def adopt_settings(self, settings: PlaySettings) -> None:
        """The look and speed, shown here; the unit only kept (play goes a step a tick)."""
        self.look = settings.look
        self.set_reactive(OperationScreen.speed_index, settings.speed_index)
        self._conv_unit = settings.unit_index

    def action_view(self) -> None:
        self.look = VIEWS[(VIEWS.index(self.look) + 1) % len(VIEWS)]
        self.query_one(OpBoard).set_look(self.look)
        self._render_step(self.step)
        if self.look == "pixels" and self.app.no_color:
            self.notify(COLOURLESS_PIXELS, timeout=6, markup=False)

    def action_goto(self) -> None:
        def chosen(step: int | None) -> None:
            if step is not None:
                self.step = self.validate_step(step)

        last = self.view_model.last if self.view_model is not None else 0
        self.app.push_screen(GotoScreen(self.step, last), chosen)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen([*self.BINDINGS, *self.app.BINDINGS]))

    def action_learn(self) -> None:
        self.app.push_screen(OpLearnScreen(op_sections(self.problem, self.kernel_source)))

    @work(exclusive=True, group="op-equivalent")
    async def action_equivalent(self) -> None:
        """Transposed ⇄ the direct convolution with the same output (step 0, or the end)."""
        at_end = self.view_model is not None and self.step == self.view_model.last
        if self.mode == "direct":
            self.mode = None
            steps = await asyncio.to_thread(build, self.problem)
            message = "Back to the scatter form: each input cell times the whole kernel."
        else:
            self.mode = "direct"
            steps = await asyncio.to_thread(lambda: Steps(equivalent_conv(self.problem)))
            message = ("The same output as a plain convolution: zeros between the input's"
                       " cells, padded by d·(k−1)−p, the kernel rotated 180°.")
        self.action_pause()
        await self._show(steps, steps.last if at_end else 0)
        self.notify(message, title="Transposed convolution", timeout=4, markup=False)

    @work(exclusive=True, group="load")
    async def load_entry(self, entry: CatalogueEntry, outcome: Outcome | None = None) -> None:
        """Load a preset off the main thread (unless the picker already read it,
        ``outcome``); on error, tell and keep the state."""
        if outcome is None:
            outcome = await read_outcome(entry)
        if isinstance(outcome, PresetError):
            self.notify(str(outcome), title="Preset not loaded", severity="error", timeout=8,
                        markup=False)
            return
        preset, steps = outcome
        self.app.open_problem(preset, steps)
        self.app.notify(f"{preset.title}: {preset.spec.describe_size()}",
                        title="Preset loaded", timeout=3, markup=False)
