"""The main screen: the grids, the pseudocode, and the keys that drive the step.

The step index is the only state; everything on screen is read from the
engine for that index. The step keys are bindings of this screen (not the
app), so they stop as soon as a dialog is on top.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from ..engine import Steps
from ..formatting import format_number
from ..links import Cursor, Marks
from ..operations import with_quick_sums
from ..play import UNITS
from ..practice import Practice
from ..presets import Preset
from ..pseudocode import size_formula
from ..view_model import ZOOM_LIMIT, explain, frame_at, phase_label, watch_values
from ..widgets.board import Board
from ..widgets.code import CodeView, WatchList, code_row
from ..widgets.grid import COLOURLESS_PIXELS, VIEWS
from ..widgets.keybar import KeyBar
from ..widgets.palette import CellPalette
from .changes import BINDINGS as OPTION_BINDINGS
from .changes import ProblemChanges
from .editing import BINDINGS as EDIT_BINDINGS
from .editing import Editing
from .line_updates import LineScreen
from .op_switch import BINDINGS as OP_BINDINGS
from .op_switch import OpSwitching, PlaySettings
from .sharing import BINDINGS as SHARE_BINDINGS
from .sharing import Sharing
from .shown import gone, while_shown
from .steady import SteadyResize
from .stepping import BINDINGS as STEP_BINDINGS
from .stepping import SPEEDS, Stepping
from .teaching import AnswerLine, Teaching

INLINE_MACS = 1_000_000  # output sums computed before the first paint up to this size


class ExplorerScreen(Stepping, Editing, ProblemChanges, Teaching, Sharing, OpSwitching,
                     SteadyResize, LineScreen):
    """Steps through one convolution; swaps problems when a preset is chosen."""

    BINDINGS = [
        *STEP_BINDINGS,
        *OPTION_BINDINGS,
        *SHARE_BINDINGS,
        *OP_BINDINGS,
        *EDIT_BINDINGS,
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

    # The widgets refresh what a step changes themselves, so no full repaint. No watcher
    # runs for the first values: show_problem draws the step, its status and its titles
    # once (run, the watchers drew the step a third time and the status four more).
    step: reactive[int] = reactive(0, init=False, repaint=False)
    playing: reactive[bool] = reactive(False, init=False, bindings=True, repaint=False)
    speed_index: reactive[int] = reactive(1, init=False, repaint=False)
    unit_index: reactive[int] = reactive(0, init=False, repaint=False)
    # What the last click or Enter asked: the views draw these (see links.Marks).
    marks: reactive[Marks | None] = reactive(None, init=False, repaint=False)

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
        yield CellPalette()
        yield Board(id="board")
        yield from code_row(CodeView(id="code"), WatchList(id="watch"))
        yield Static(id="formula", markup=False)
        yield Static(id="explanation", markup=False)
        yield AnswerLine(id="answer", compact=True)
        yield Static(id="status", markup=False)
        yield KeyBar(id="keys")

    async def on_mount(self) -> None:
        self.query_one("#answer").display = False
        self._timer = self.set_interval(self._interval, self._tick, pause=True)
        await self.show_problem(self.preset, self.steps, self._start_step)
        self.call_after_refresh(self.app.first_frame_shown)  # type: ignore[attr-defined]

    def on_board_loaded(self) -> None:
        """The grids mounted late (the screen was hidden below the minimum size)."""
        self._render_step(self.step)

    @while_shown
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
        if gone(self):  # left while the grids mounted
            return
        self.query_one(CodeView).set_listing(steps.listing)
        spec = steps.spec
        self.query_one("#formula", Static).update(
            Text(f"{size_formula(spec, 0)}    {size_formula(spec, 1)}"), layout=False
        )
        if not steps.sums_ready and with_quick_sums(steps, INLINE_MACS).sums_ready:
            self.query_one(Board).sums_arrived()  # a few milliseconds: no "…" flash
        self._share_height()
        self.query_one(Board).arrange_panels(width=self._room.width, height=self._board_height())
        self.set_reactive(ExplorerScreen.step, self.validate_step(step))
        self._render_step(self.step)
        if not steps.sums_ready:  # once this frame is drawn: its thread would slow it down
            self.call_after_refresh(self._compute_sums, steps)
        if was_playing:
            self.action_play()

    # -- drawing ----------------------------------------------------------

    def validate_step(self, step: int) -> int:
        last = self.steps.last if self.practice is None else self.practice.stop
        return min(max(step, 0), last)

    def watch_step(self, step: int) -> None:
        self._render_step(step)

    @while_shown
    def _render_step(self, index: int) -> None:
        board = self.query_one(Board)
        if not board.ready:
            return
        frame = frame_at(self.steps, index, board.channel)
        board.show(frame, self.marks, self.cursor)
        self.query_one(CodeView).show_line(frame.step.line)
        self.query_one(WatchList).show_values(watch_values(self.steps, frame.step))
        self.query_one("#explanation", Static).update(
            self.edit_line() or Text(explain(self.steps, frame.step)), layout=False
        )
        self._render_practice(index)
        self._render_status()

    @while_shown
    def _render_status(self) -> None:
        speed = format_number(SPEEDS[self.speed_index])
        state = f"▶ playing {speed}×" if self.playing else f"paused {speed}×"
        state += f" by {UNITS[self.unit_index]}"
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.editing is not None:
            text.append(" EDIT ", "bold reverse")
            text.append(" ")
        text.append(f" Step {self.step} / {self.steps.last} ", "bold reverse")
        view = self.query_one(Board).view
        title = f"{self.preset.title} ({self.preset.name})"
        if self.edited:  # said early, so a narrow terminal still shows it
            title = f"{self.preset.name} (edited)"
            text.append(f" {title} │")
        text.append(f" {phase_label(self.steps, self.step)} │ {state} │ {view}")
        text.append(f" │ {self.preset.title}" if self.edited else f" │ {title}")
        if self.practice is not None:
            text.append(f" │ practice {self.practice.score}", "bold")
        options = self.steps.spec.describe_options()
        if options:
            text.append(f" │ {options}")
        self.query_one("#status", Static).update(text, layout=False)

    # -- actions ----------------------------------------------------------

    def on_resize(self) -> None:  # what it calls checks the screen is still there
        self._share_height()
        self.call_after_refresh(self._fit_code)

    @while_shown
    def _share_height(self) -> None:
        """Give the grids the code panel's room when they need it. Decided from the
        screen's size and the problem only, so it cannot flip-flop with the layout."""
        lines = len(self.steps.listing.lines) + 2
        free = self._room.height - 6
        code = min(lines, free // 2)
        # On the code row, not the screen: a screen class restyles every widget on it.
        self.query_one("#code-row").set_class(
            self.query_one(Board).natural_height() > free - code, "-grids-first")

    @property
    def _room(self) -> Size:
        """The screen's size; before its first layout, the terminal's, which it gets."""
        return self.size if self.size.height else self.app.size

    def _board_height(self) -> int | None:
        """The board's height once the code row fits the listing just set (the other
        rows keep theirs), as the stylesheet sizes the row: auto, capped at a share of
        the screen. Worked out before the first layout too, so the first frame already
        has the panels the problem needs (planned after it, a stacked problem showed
        three panels across for a frame, then stacked)."""
        code_row = self.query_one("#code-row")
        code = self.query_one(CodeView)
        if code.styles.height is None or code_row.styles.max_height is None:
            return None
        room = self._room
        panel = self.query_one("#code-panel")  # its border and padding around the listing
        wanted = code.styles.height.cells + panel.styles.gutter.height
        cap = int(code_row.styles.max_height.resolve(room, self.app.size))
        others = sum(self._row_height(self.query_one(f"#{name}"))
                     for name in ("formula", "explanation", "answer", "status", "keys")
                     if self.query_one(f"#{name}").display)
        board = self.query_one(Board)
        least = board.styles.min_height.resolve(room, self.app.size) if (
            board.styles.min_height is not None) else 0
        return max(room.height - min(wanted, cap) - others, int(least))

    def _row_height(self, row: Widget) -> int:
        """A row's height as laid out; before its first layout, as the stylesheet will
        give it: its fixed height, or its content's lines (at least one: the step's
        text comes next) within its maximum."""
        if row.size.width:
            return row.outer_size.height
        room = self._room
        height = row.styles.height
        if height is not None and height.is_cells:
            lines = int(height.value)
        else:
            width = max(room.width - row.styles.gutter.width, 1)
            lines = max(row.get_content_height(room, room, width), 1)
            lines += row.styles.gutter.height
            if row.styles.max_height is not None:
                lines = min(lines, int(row.styles.max_height.resolve(room, room)))
        return lines + row.styles.margin.height

    @while_shown
    def _fit_code(self) -> None:
        code = self.query_one(CodeView)
        code.fit_width(self.query_one("#code-panel").scrollable_content_region.width)
        code.reveal()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)  # the mixins' say (edit mode)
        if not allowed:
            return allowed
        if action == "play":
            return not self.playing
        if action == "pause":
            return self.playing
        return True

    def play_settings(self) -> PlaySettings:
        return PlaySettings(self.query_one(Board).view, self.speed_index, self.unit_index)

    def adopt_settings(self, settings: PlaySettings) -> None:
        self.start_look = settings.look  # Sharing.on_mount puts it on the board
        self.set_reactive(ExplorerScreen.speed_index, settings.speed_index)
        self.set_reactive(ExplorerScreen.unit_index, settings.unit_index)

    def action_view(self) -> None:
        board = self.query_one(Board)
        board.set_view(VIEWS[(VIEWS.index(board.view) + 1) % len(VIEWS)])
        self._render_step(self.step)
        if board.view == "pixels" and self.app.no_color:
            self.notify(COLOURLESS_PIXELS, timeout=6, markup=False)

    def action_zoom(self, delta: int) -> None:
        """``]`` bigger cells, ``[`` smaller, ``0`` back to fitting the room."""
        board = self.query_one(Board)
        before = board.zoom_delta
        board.set_zoom(before + delta if delta else 0)  # the board keeps it within the limit
        if delta and board.zoom_delta == before:
            way = "in" if delta > 0 else "out"
            self.notify(f"Zoomed {way} as far as it goes ({ZOOM_LIMIT} levels); 0 fits again.",
                        timeout=3, markup=False)
            return
        self._render_step(self.step)

    def action_goto(self) -> None:
        def chosen(step: int | None) -> None:
            if step is not None:
                self.step = step

        from .goto import GotoScreen

        self.app.push_screen(GotoScreen(self.step, self.steps.last), chosen)

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen([*self.BINDINGS, *self.app.BINDINGS]))

    @work(exclusive=True, group="learn")
    async def action_learn(self) -> None:
        """Open the learn screen; its questions are built off the main thread (a variant
        of a large problem is validated afresh)."""
        from ..quiz import quiz
        from .learn import LearnScreen  # with the learn texts: loaded on the first ``i``

        steps = self.steps
        questions = await asyncio.to_thread(quiz, steps)
        self.app.push_screen(LearnScreen(steps, questions))

