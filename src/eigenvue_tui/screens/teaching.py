"""Teaching on the main screen: practice mode and point-and-ask (clicks, the cell cursor).

A mixin of :class:`ExplorerScreen`, which owns the state (``practice``, ``cursor`` and
the ``marks`` reactive) and calls :meth:`_render_practice` after drawing each step.
"""

from __future__ import annotations

from rich.text import Text
from textual.events import Click
from textual.widgets import Input, Static

from ..links import GRIDS, Cursor, Marks, ask, grid_shape
from ..practice import Practice
from ..widgets.board import Board
from ..widgets.grid import GridView
from ..widgets.titles import set_titles


class AnswerLine(Input):
    """The practice answer line: numbers only, so ``t`` still leaves practice mode."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key != "t" and super().check_consume_key(key, character)


class Teaching:
    """Practice and point-and-ask actions of the explorer screen."""

    def _render_practice(self, index: int) -> None:
        """Hide the asked output cell behind ``?`` and show the answer line while asking."""
        practice = self.practice
        hidden = practice.hidden(index) if practice is not None else None
        for f, grid in enumerate(self.query_one(Board).grids_in("output-panel")):
            grid.mask(hidden[1:] if hidden is not None and hidden[0] == f else None)
        answer = self.query_one("#answer", Input)
        asking = practice is not None and practice.asking(index)
        if answer.display != asking:  # setting it re-lays out the screen
            answer.display = asking
        if asking:
            assert practice is not None
            answer.placeholder = f"{practice.prompt}  (Enter checks, ? reveals)"
            answer.focus()
            if not practice.size_done:
                self.query_one("#explanation", Static).update(
                    Text("Practice: how big is the output? Type rows×cols."), layout=False
                )
        elif answer.has_focus:
            self.set_focus(None)

    # -- point and ask ------------------------------------------------------

    def action_cursor(self) -> None:
        """Turn the cell cursor on (input), move it to the next grid, or turn it off."""
        self.cursor = Cursor("input") if self.cursor is None else self.cursor.next_grid()
        self._show_cursor()

    def _move_cursor(self, rows: int, cols: int) -> None:
        assert self.cursor is not None
        self.cursor = self.cursor.moved(rows, cols, grid_shape(self.steps, self.cursor.grid))
        self._show_cursor()

    def _show_cursor(self) -> None:
        cursor = self.cursor
        if cursor is None:
            self._render_step(self.step)
            return
        self.query_one("#explanation", Static).update(
            Text(f"Cursor on {cursor.grid} [{cursor.row}][{cursor.col}]: arrows move, Enter "
                 "asks, c goes to the next grid, Escape leaves."), layout=False
        )

    def action_ask(self) -> None:
        if self.cursor is not None:
            self.point(self.cursor.grid, self.cursor.row, self.cursor.col)

    def point(self, grid: str, row: int, col: int, f: int | None = None) -> None:
        """Ask what a cell is linked to (a click or Enter); an output cell also jumps."""
        if f is None:  # the filter on display: the current step's
            f = self.steps[self.step].f or 0
        marks = ask(self.steps, grid, row, col, f)
        if marks.jump is not None:
            self.step = marks.jump
        self.marks = marks

    def watch_marks(self, marks: Marks | None) -> None:
        for grid in GRIDS:
            panel = self.query_one(f"#{grid}-panel")
            set_titles(panel, subtitle=marks.note if marks is not None and marks.grid == grid
                       else None)
        self._render_step(self.step)

    def action_clear_marks(self) -> None:
        self.marks = None
        if self.cursor is not None:
            self.cursor = None
            self._render_step(self.step)

    def on_click(self, event: Click) -> None:
        widget = event.widget
        if not isinstance(widget, GridView) or widget.id is None:
            return
        offset = event.get_content_offset(widget)
        cell = widget.cell_at(offset.x, offset.y) if offset is not None else None
        if cell is None:
            return
        name = widget.id.split("-")[0]
        f = int(widget.id.rsplit("-", 1)[1]) if name == "output" else None
        self.point(name, *cell, f=f)

    def action_practice(self) -> None:
        """Enter or leave practice mode; leaving restores normal stepping."""
        if self.practice is None:
            self.action_pause()
            self.practice = Practice(self.steps)
            self.step = min(self.step, self.practice.stop)
            self.notify("Each output value stays hidden until you type it.",
                        title="Practice", timeout=3, markup=False)
        else:
            self.notify(f"Score: {self.practice.score}", title="Practice over", timeout=3,
                        markup=False)
            self.practice = None
        self._render_step(self.step)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        practice = self.practice
        if practice is None or event.input.id != "answer":
            return
        event.input.value = ""
        verdict = practice.answer(event.value)
        self._render_step(self.step)
        self.query_one("#explanation", Static).update(Text(verdict.message), layout=False)

