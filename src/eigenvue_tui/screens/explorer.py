"""The main screen: the grids, the pseudocode, and the keys that drive the step.

The step index is the only state; everything on screen is read from the
engine for that index. The step keys are bindings of this screen (not the
app), so they stop as soon as a dialog is on top.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from ..engine import Phase, Steps
from ..formatting import format_number
from ..learn import shift_right
from ..links import Cursor, Marks
from ..operations import app_refusal
from ..play import UNITS, next_stop, next_write
from ..practice import Practice
from ..presets import CatalogueEntry, Preset, PresetError, load_preset
from ..pseudocode import size_formula
from ..quiz import quiz
from ..spec import ConvSpec, SpecError
from ..sums import SumsCancelled
from ..view_model import explain, frame_at, phase_label, watch_values
from ..widgets.board import Board
from ..widgets.code import CodeView, WatchList
from ..widgets.grid import VIEWS
from ..widgets.keybar import KeyBar
from .goto import GotoScreen
from .help import HelpScreen
from .learn import LearnScreen
from .picker import PresetPicker
from .steady import SteadyResize
from .teaching import AnswerLine, Teaching

SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
OPTION_CYCLES: dict[str, tuple[object, ...]] = {
    "stride": ((1, 1), (2, 2), (3, 3)),
    "padding": ("valid", "same", "full"),
    "dilation": ((1, 1), (2, 2), (3, 3)),
    "flip": (False, True),
    "activation": ("none", "relu"),
}
STEPS_PER_SECOND_AT_1X = 2.0
INLINE_MACS = 1_000_000  # output sums computed before the first paint up to this size


def _build(path_entry: CatalogueEntry) -> tuple[Preset, Steps]:
    """Read and validate a preset (runs in a thread: file I/O and numpy)."""
    preset = load_preset(path_entry.path)
    refusal = app_refusal(preset.spec, preset.view)
    if refusal:
        raise PresetError(f"{preset.name}: {refusal}")
    return preset, Steps(preset.spec)


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


class ExplorerScreen(Teaching, SteadyResize, Screen[None]):
    """Steps through one convolution; swaps problems when a preset is chosen."""

    BINDINGS = [
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
        Binding("v", "view", "View", tooltip="Cycle the view: numbers → heat → pixels",
                id="view.cycle"),
        Binding("right_square_bracket", "zoom(1)", "Zoom in", key_display="]", show=False,
                tooltip="Bigger cells", id="view.zoom_in"),
        Binding("left_square_bracket", "zoom(-1)", "Zoom out", key_display="[", show=False,
                tooltip="Smaller cells", id="view.zoom_out"),
        Binding("0", "zoom(0)", "Fit", show=False, tooltip="Cells fit the room again",
                id="view.fit"),
        Binding("greater_than_sign", "shift", "Shift input", key_display=">", show=False,
                tooltip="Shift the input one column right (zeros come in): the output follows",
                id="learn.shift"),
        Binding("t", "practice", "Practice", priority=True, show=False,
                tooltip="Practice: type each output value before it is shown (t again leaves)",
                id="practice.toggle"),
        Binding("c", "cursor", "Cursor", show=False,
                tooltip="Cell cursor: input → kernel → output → off; arrows move, Enter asks",
                id="links.cursor"),
        Binding("enter", "ask", "Ask", show=False,
                tooltip="What the cell under the cursor is linked to", id="links.ask"),
        Binding("escape", "clear_marks", "Clear", show=False,
                tooltip="Clear the marks and the cursor", id="links.clear"),
        Binding("g", "goto", "Go to", show=False, tooltip="Go to a step number", id="step.goto"),
        Binding("p", "pick", "Presets", tooltip="Choose a preset", id="presets.pick"),
        Binding("i", "learn", "Learn", tooltip="About convolution, and a quiz", id="learn"),
        Binding("question_mark", "help", "Help", key_display="?",
                tooltip="This list of keys", id="help"),
        Binding("q", "app.quit", "Quit", tooltip="Quit", id="quit"),
    ]

    # The widgets refresh what a step changes themselves, so no full repaint.
    step: reactive[int] = reactive(0, init=False, repaint=False)
    playing: reactive[bool] = reactive(False, bindings=True, repaint=False)
    speed_index: reactive[int] = reactive(1, repaint=False)
    unit_index: reactive[int] = reactive(0, repaint=False)
    # What the last click or Enter asked: the views draw these (see links.Marks).
    marks: reactive[Marks | None] = reactive(None, repaint=False)

    def __init__(self, preset: Preset, steps: Steps, start_step: int = 0) -> None:
        super().__init__()
        self.preset = preset
        self.steps = steps
        self._start_step = start_step
        self._timer: Timer | None = None
        self.practice: Practice | None = None
        self.cursor: Cursor | None = None
        # Problem changes (option keys, presets) apply one after another, in order.
        self._change_lock = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield Board(id="board")
        with Horizontal(id="code-row"):
            with VerticalScroll(id="code-panel", classes="panel"):
                yield CodeView(id="code")
            with Vertical(id="watch-panel", classes="panel"):
                yield WatchList(id="watch")
        with Horizontal(id="loading"):
            yield Static("computing the output sums", id="loading-label", markup=False)
            yield ProgressBar(id="loading-bar", total=1.0, show_eta=False)
        yield Static(id="formula", markup=False)
        yield Static(id="explanation", markup=False)
        yield AnswerLine(id="answer", compact=True)
        yield Static(id="status", markup=False)
        yield KeyBar(id="keys")

    async def on_mount(self) -> None:
        self.query_one("#code-panel").border_title = "pseudocode"
        self.query_one("#watch-panel").border_title = "watch"
        self.query_one("#answer").display = False
        self._timer = self.set_interval(self._interval, self._tick, pause=True)
        await self.show_problem(self.preset, self.steps, self._start_step)

    def on_board_loaded(self) -> None:
        """The grids mounted late (the screen was hidden below the minimum size)."""
        self._render_step(self.step)

    async def show_problem(self, preset: Preset, steps: Steps, step: int = 0) -> None:
        """Replace the problem on screen (a new preset), starting at ``step``; play goes on.

        The output sums are computed after the first paint, in a thread; until they
        arrive the written output cells say ``…``.
        """
        was_playing = self.playing
        self.action_pause()
        self.preset, self.steps = preset, steps
        if self.practice is not None:
            self.practice = self.practice.restart(steps)
        await self.query_one(Board).load(steps, preset.channel_names)
        self.query_one(CodeView).set_listing(steps.listing)
        spec = steps.spec
        self.query_one("#formula", Static).update(
            Text(f"{size_formula(spec, 0)}    {size_formula(spec, 1)}")
        )
        if not steps.sums_ready and steps.positions * steps.macs_per_position <= INLINE_MACS:
            steps.compute_sums()  # a few milliseconds: no "…" flash for small problems
            self.query_one(Board).sums_arrived()
        self._share_height()
        self.set_reactive(ExplorerScreen.step, self.validate_step(step))
        self._render_step(self.step)
        if not steps.sums_ready:
            self._compute_sums(steps)
        if was_playing:
            self.action_play()

    # -- drawing ----------------------------------------------------------

    def validate_step(self, step: int) -> int:
        last = self.steps.last if self.practice is None else self.practice.stop
        return min(max(step, 0), last)

    def watch_step(self, step: int) -> None:
        self._render_step(step)

    def _render_step(self, index: int) -> None:
        board = self.query_one(Board)
        if not board.ready:
            return
        frame = frame_at(self.steps, index, board.channel)
        board.show(frame, self.marks, self.cursor)
        self.query_one(CodeView).show_line(frame.step.line)
        self.query_one(WatchList).show_values(watch_values(self.steps, frame.step))
        self.query_one("#explanation", Static).update(
            Text(explain(self.steps, frame.step)), layout=False
        )
        self._render_practice(index)
        self._render_status()

    def _render_status(self) -> None:
        speed = format_number(SPEEDS[self.speed_index])
        state = f"▶ playing {speed}×" if self.playing else f"paused {speed}×"
        state += f" by {UNITS[self.unit_index]}"
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" Step {self.step} / {self.steps.last} ", "bold reverse")
        view = self.query_one(Board).view
        text.append(f" {phase_label(self.steps, self.step)} │ {state} │ {view}")
        text.append(f" │ {self.preset.title} ({self.preset.name})")
        if self.practice is not None:
            text.append(f" │ practice {self.practice.score}", "bold")
        options = self.steps.spec.describe_options()
        if options:
            text.append(f" │ {options}")
        self.query_one("#status", Static).update(text, layout=False)

    def watch_playing(self) -> None:
        self._render_status()

    def watch_speed_index(self) -> None:
        self._render_status()

    def watch_unit_index(self) -> None:
        self._render_status()

    def action_unit(self) -> None:
        """Cycle what one tick of play moves: a multiply-add, an output cell, a row."""
        self.unit_index = (self.unit_index + 1) % len(UNITS)

    # -- actions ----------------------------------------------------------

    def on_resize(self) -> None:
        self._share_height()
        self.call_after_refresh(self._fit_code)

    def _share_height(self) -> None:
        """Give the grids the code panel's room when they need it. Decided from the
        screen's size and the problem only, so it cannot flip-flop with the layout."""
        lines = len(self.steps.listing.lines) + 2
        free = self.size.height - 6
        code = min(lines, free // 2)
        self.set_class(self.query_one(Board).natural_height() > free - code, "-grids-first")

    def _fit_code(self) -> None:
        code = self.query_one(CodeView)
        code.fit_width(self.query_one("#code-panel").scrollable_content_region.width)
        code.reveal()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "play":
            return not self.playing
        if action == "pause":
            return self.playing
        return True

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

    def _tick(self) -> None:
        if self.step >= self.validate_step(self.steps.last):  # the end, or a practice stop
            self.action_pause()
        else:
            self.step = next_stop(self.steps, self.step, UNITS[self.unit_index])
            if self.step >= self.steps.last:
                self.action_pause()

    def action_view(self) -> None:
        board = self.query_one(Board)
        board.set_view(VIEWS[(VIEWS.index(board.view) + 1) % len(VIEWS)])
        self._render_step(self.step)

    def action_zoom(self, delta: int) -> None:
        """``]`` bigger cells, ``[`` smaller, ``0`` back to fitting the room."""
        board = self.query_one(Board)
        board.set_zoom(board.zoom_delta + delta if delta else 0)
        self._render_step(self.step)

    # -- background work --------------------------------------------------

    @work(thread=True, exclusive=True, group="sums", exit_on_error=False)
    def _compute_sums(self, steps: Steps) -> None:
        """Every output sum, off the main thread, with progress; dropped if the problem
        changes or the app quits first."""
        worker = get_current_worker()
        self.app.call_from_thread(self._show_loading, 0.0)

        def progress(fraction: float) -> None:
            self.app.call_from_thread(self._show_loading, fraction)

        def cancelled() -> bool:
            return worker.is_cancelled or steps is not self.steps

        try:
            steps.compute_sums(progress=progress, cancelled=cancelled)
        except SumsCancelled:
            return
        if not cancelled():
            self.app.call_from_thread(self._sums_arrived, steps)

    def _show_loading(self, fraction: float) -> None:
        self.query_one("#loading").display = True
        self.query_one("#loading-bar", ProgressBar).update(progress=fraction)

    def _sums_arrived(self, steps: Steps) -> None:
        self.query_one("#loading").display = False
        if steps is self.steps:
            self.query_one(Board).sums_arrived()
            self._render_step(self.step)

    def action_goto(self) -> None:
        def chosen(step: int | None) -> None:
            if step is not None:
                self.step = step

        self.app.push_screen(GotoScreen(self.step, self.steps.last), chosen)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen([*self.BINDINGS, *self.app.BINDINGS]))

    @work(exclusive=True, group="learn")
    async def action_learn(self) -> None:
        """Open the learn screen; its questions are built off the main thread (a variant
        of a large problem is validated afresh)."""
        steps = self.steps
        questions = await asyncio.to_thread(quiz, steps)
        self.app.push_screen(LearnScreen(steps, questions))

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
        steps = await asyncio.to_thread(Steps, spec)
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

    @work(exclusive=True, group="catalogue")
    async def action_pick(self) -> None:
        entries = await self.app.read_catalogue()
        entry = await self.app.push_screen_wait(PresetPicker(entries, self.preset.name))
        if entry is not None:
            self.load_entry(entry)

    @work(exclusive=True, group="load")
    async def load_entry(self, entry: CatalogueEntry) -> None:
        """Load a preset file off the main thread; on error, tell and keep the state."""
        async with self._change_lock:
            await self._load(entry)

    async def _load(self, entry: CatalogueEntry) -> None:
        try:
            preset, steps = await asyncio.to_thread(_build, entry)
        except PresetError as error:
            self.notify(
                str(error), title="Preset not loaded", severity="error", timeout=8,
                markup=False,
            )
            return
        await self.show_problem(preset, steps)
        self.notify(
            f"{preset.title}: {preset.spec.describe_size()}", title="Preset loaded", timeout=3,
            markup=False,
        )
