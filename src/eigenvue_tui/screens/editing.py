"""Edit mode, the kernel picker, undo/redo and save on the main screen.

A mixin of :class:`~.explorer.ExplorerScreen`. Every change is a new validated
problem (``editing.py``) shown by ``show_problem`` behind the screen's
``_change_lock``, so the grids, the output and the steps always agree; each
shown problem is kept in a :class:`~..history.History` for ``ctrl+z``/``ctrl+y``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from rich.text import Text
from textual import events, work
from textual.binding import Binding

from .. import editing
from ..editing import Target
from ..engine import Steps
from ..history import History
from ..kernels import choices, with_kernel
from ..links import Cursor
from ..presets import CatalogueEntry, Preset, PresetError
from ..saving import SaveError, safe_stem, save_preset
from ..spec import ConvSpec, SpecError
from ..widgets.grid import GridView
from .changes import _same_position
from .confirm import ConfirmScreen
from .edit_keys import EditKeys
from .kernel_picker import KernelPicker
from .picker import Outcome
from .save_dialog import SaveScreen

HISTORY_CELLS = 32 * 2**20  # undo keeps at most this many grid cells (~256 MB of int64)
BINDINGS = [
    # Off the key bar (? lists them): the bar stays as it was outside edit mode.
    Binding("e", "edit", "Edit", show=False,
            tooltip="Edit mode: change the input and kernel in place (e or Escape leaves)",
            id="edit.toggle"),
    Binding("k", "kernels", "Kernels", show=False,
            tooltip="Choose a kernel (named ones, the presets'); the input and options stay",
            id="kernels.pick"),
    Binding("ctrl+s", "save", "Save", show=False,
            tooltip="Save the problem as a preset in your presets folder", id="save"),
    Binding("ctrl+z", "undo", "Undo", show=False,
            tooltip="Undo the last edit, resize, kernel swap or option change", id="edit.undo"),
    Binding("ctrl+y", "redo", "Redo", show=False, tooltip="Redo what was undone",
            id="edit.redo"),
    Binding("escape", "leave_edit", "Leave", show=False,
            tooltip="Edit mode: leave it (the steps follow the new grids)", id="edit.leave"),
    Binding("tab", "edit_grid(1)", "Next grid",
            tooltip="Edit mode: cursor to the next grid (input → kernel; channels, filters)",
            id="edit.next_grid"),
    Binding("shift+tab", "edit_grid(-1)", "Prev grid", show=False,
            tooltip="Edit mode: cursor to the previous grid", id="edit.prev_grid"),
    Binding("enter", "edit_set", "Set",
            tooltip="Edit mode: set the cell to the number typed (digits . -)", id="edit.set"),
    Binding("backspace", "edit_backspace", "Erase", show=False,
            tooltip="Edit mode: erase the last character typed", id="edit.erase"),
    Binding("delete", "edit_zero", "Zero",
            tooltip="Edit mode: set the cell to 0", id="edit.zero"),
    Binding("r", "edit_insert('row', True)", "Row+", tooltip="Edit mode: add a row of zeros "
            "below the cursor", id="edit.row_below"),
    Binding("R", "edit_insert('row', False)", "Row+ above", show=False,
            tooltip="Edit mode: add a row of zeros above the cursor", id="edit.row_above"),
    Binding("c", "edit_insert('col', True)", "Col+", tooltip="Edit mode: add a column of "
            "zeros right of the cursor", id="edit.col_right"),
    Binding("C", "edit_insert('col', False)", "Col+ left", show=False,
            tooltip="Edit mode: add a column of zeros left of the cursor", id="edit.col_left"),
    Binding("x", "edit_remove('row')", "Row−", tooltip="Edit mode: remove the cursor's row",
            id="edit.row_remove"),
    Binding("X", "edit_remove('col')", "Col−", show=False,
            tooltip="Edit mode: remove the cursor's column", id="edit.col_remove"),
    Binding("n", "edit_random", "Random", tooltip="Edit mode: fill the grid under the cursor "
            "with random small integers", id="edit.random"),
]

EDIT_ONLY = frozenset(("leave_edit", "edit_grid", "edit_set", "edit_backspace", "edit_zero",
                       "edit_insert", "edit_remove", "edit_random"))
WHILE_EDITING = EDIT_ONLY | {"edit", "step", "cell", "save", "undo", "redo", "help", "view",
                             "zoom", "kernels", "copy_command", "export_svg"}


def _weight(preset: Preset) -> float:
    return preset.spec.input.size + preset.spec.kernel.size


class Editing(EditKeys):
    """Edit mode (``e``), the kernel picker (``k``), undo/redo and save (``ctrl+s``)."""

    editing: Target | None = None  # the edit cursor, in the grid's own (unpadded) cells
    edited = False  # the grids differ from the ones loaded or last saved
    _typed = ""
    _history: History[Preset] | None = None
    _baseline: ConvSpec | None = None
    _edit_origin: tuple[Steps, int] | None = None
    _rng: np.random.Generator | None = None  # made when first used (numpy.random: 8 ms)

    # -- which keys act -----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit keys act only in edit mode; there, the keys that would step away do not."""
        if action in EDIT_ONLY:
            return self.editing is not None
        return self.editing is None or action in WHILE_EDITING

    @property
    def unsaved(self) -> bool:
        return self.edited

    # -- history ------------------------------------------------------------

    def _histo(self) -> History[Preset]:
        """The session's history, with the problem on screen as its current state (an
        option change or a shift since the last edit becomes a step to undo)."""
        if self._history is None:
            self._history = History(self.preset, max_weight=HISTORY_CELLS, weight=_weight)
            self._baseline = self.preset.spec
        elif self._history.current is not self.preset:
            self._history.push(self.preset)
        return self._history

    async def _show(self, preset: Preset, *, record: bool = True) -> None:
        """Show ``preset`` on the same output cell where it exists (behind the lock;
        ``_histo`` was called before the change was worked out)."""
        history = self._history
        assert history is not None
        steps = await asyncio.to_thread(Steps, preset.spec)
        step = _same_position(self.steps, steps, self.step)
        if record:
            history.push(preset)
        assert self._baseline is not None
        self.edited = not editing.same_grids(preset.spec, self._baseline)
        if self.editing is not None:
            self.editing = editing.clamp(preset.spec, self.editing)
            self.cursor = self._drawn_cursor(preset.spec)
        await self.show_problem(preset, steps, step)
        self._show_edit()

    async def _change(self, change: Callable[[ConvSpec], ConvSpec], title: str) -> bool:
        """Apply ``change`` to the problem on screen; a refusal is a notification."""
        self._histo()
        try:
            spec = await asyncio.to_thread(change, self.steps.spec)
        except SpecError as error:
            self.notify(str(error), title=f"{title}: not done", severity="warning",
                        markup=False)
            return False
        await self._show(replace(self.preset, spec=spec))
        return True

    def action_undo(self) -> None:
        self._walk_history("undo")

    def action_redo(self) -> None:
        self._walk_history("redo")

    @work(group="edit")
    async def _walk_history(self, way: str) -> None:
        """``ctrl+z`` / ``ctrl+y``: the state before / after, in order behind the lock."""
        async with self._change_lock:
            history = self._histo()
            state = history.undo() if way == "undo" else history.redo()
            if state is None:
                self.notify(f"Nothing to {way}.", timeout=2, markup=False)
                return
            await self._show(state, record=False)

    async def _may_leave(self, question: str, yes: str) -> bool:
        """True when there is nothing unsaved, or the user agrees to leave it."""
        return not self.unsaved or await self.app.push_screen_wait(ConfirmScreen(
            "Unsaved edits", "The problem on screen has edits that are not saved "
            f"(ctrl+s saves). {question}", yes,
        ))

    @work(exclusive=True, group="op-ask")
    async def action_next_op(self) -> None:
        """``o``: the operation screen cannot save edits, so ask before going there."""
        if await self._may_leave("Change the operation anyway?", "Change anyway"):
            super().action_next_op()  # type: ignore[misc]

    @work(exclusive=True, group="op-ask")
    async def action_im2col(self) -> None:
        if await self._may_leave("Open the im2col view anyway?", "Open anyway"):
            super().action_im2col()  # type: ignore[misc]

    async def _show_under_picker(self, entry: CatalogueEntry, outcome: Outcome) -> bool:
        """Unsaved edits: the question comes once the picker has closed."""
        return not self.unsaved and await super()._show_under_picker(entry, outcome)  # type: ignore[misc]

    async def _load(self, entry: CatalogueEntry, outcome: Outcome | None = None) -> None:
        """A preset replaces the problem: ask first if it has unsaved edits; a new history."""
        if not await self._may_leave("Load the preset anyway?", "Load anyway"):
            return
        before = self.preset
        await super()._load(entry, outcome)  # type: ignore[misc]
        self._start_afresh(before)

    async def _reload(self, reload: Callable[[], Preset]) -> None:
        """``--watch``: the file changed on disk. Edits not saved are not replaced unasked."""
        if not await self._may_leave("Its file changed on disk: reload it anyway?",
                                     "Reload anyway"):
            return
        before = self.preset
        await super()._reload(reload)  # type: ignore[misc]
        self._start_afresh(before)

    def _start_afresh(self, before: Preset) -> None:
        """Another problem replaced ``before``: no edits, a new history."""
        if self.preset is not before:
            self._history, self._baseline, self.edited = None, None, False
            self.editing, self.cursor, self._typed = None, None, ""
            self.refresh_bindings()
            self._render_status()

    # -- the kernel picker --------------------------------------------------

    @work(exclusive=True, group="kernels")
    async def action_kernels(self) -> None:
        entries = await self.app.read_catalogue()
        current = self.steps.spec.grids()[1] if self.steps.spec.kernel.size <= 961 else None
        choice = await self.app.push_screen_wait(KernelPicker(choices(entries), current))
        if choice is None:
            return
        async with self._change_lock:
            if await self._change(lambda spec: with_kernel(spec, choice.kernel), "Kernel"):
                self.notify(f"{choice.name}: {self.steps.spec.describe_size()}",
                            title="Kernel changed", timeout=3, markup=False)

    # -- edit mode ------------------------------------------------------------

    def action_edit(self) -> None:
        if self.editing is not None:
            self.action_leave_edit()
            return
        if self.practice is not None:
            self.notify("Leave practice mode (t) first.", severity="warning", markup=False)
            return
        self.action_pause()
        self._edit_origin = (self.steps, self.step)
        self.editing, self._typed, self.marks = Target("input"), "", None
        self.cursor = self._drawn_cursor(self.steps.spec)
        self.refresh_bindings()  # the key bar shows the edit keys
        self._render_step(self.step)
        self._show_edit()

    @work(group="edit")
    async def action_leave_edit(self) -> None:
        """Back to stepping, on the output cell and phase left where it still exists."""
        async with self._change_lock:
            if self.editing is None:
                return
            origin, index = self._edit_origin or (self.steps, self.step)
            self.editing, self.cursor, self._typed = None, None, ""
            self.refresh_bindings()
            self.step = index if origin is self.steps else _same_position(
                origin, self.steps, index)
            self._render_step(self.step)

    def _drawn_cursor(self, spec: ConvSpec) -> Cursor | None:
        """The edit cursor as the board draws it (input cells counted with the padding)."""
        target = self.editing
        if target is None:
            return None
        top, _, left, _ = spec.padding if target.grid == "input" else (0, 0, 0, 0)
        return Cursor(target.grid, target.row + top, target.col + left, target.channel,
                      target.filter if target.grid == "kernel" else None)

    def _show_edit(self) -> None:
        """The cursor drawn, and the edit line (see ``edit_line``) under the grids."""
        if self.editing is not None:
            self.cursor = self._drawn_cursor(self.steps.spec)
            self._render_step(self.step)

    def edit_line(self) -> Text | None:
        """In edit mode, the line the step's sentence gives way to: the cell, its value,
        what was typed and the keys; ``None`` otherwise."""
        target = self.editing
        if target is None:
            return None
        spec = self.steps.spec
        plane = spec.input[target.channel] if target.grid == "input" else spec.kernel[
            target.filter, target.channel]
        value = plane[target.row, target.col].item()
        text = Text(no_wrap=False)
        text.append(f"EDIT {target.label(spec)} = {value}", "bold")
        text.append("  typed: ")
        text.append(f"{self._typed}▏" if self._typed else "(type a number)", "reverse")
        text.append("  Enter sets · Del 0 · Tab grid · r/c add · x/X remove · n random · "
                    "ctrl+z undo · e leaves")
        return text

    def action_edit_grid(self, delta: int) -> None:
        assert self.editing is not None
        if not self._set_typed_first():
            return
        self.editing = editing.next_plane(self.steps.spec, self.editing, delta)
        self._show_edit()

    def action_edit_backspace(self) -> None:
        self._typed = self._typed[:-1]
        self._show_edit()

    def action_edit_set(self) -> bool:
        """Set the cell to the number typed (in order behind the lock); False when there
        was no number to set."""
        target = self.editing
        assert target is not None
        typed, self._typed = self._typed, ""
        if not typed:
            self.notify("Type a number first (digits, '.', '-'), then Enter.", timeout=3,
                        markup=False)
            self._show_edit()
            return False
        try:
            value = editing.parse_value(typed, target.label(self.steps.spec))
        except SpecError as error:
            self.notify(str(error), title="Not a number", severity="warning", markup=False)
            self._show_edit()
            return False
        self._edit(lambda spec: editing.set_cell(spec, target, value), "Set")
        return True

    def action_edit_zero(self) -> None:
        target = self.editing
        assert target is not None
        self._typed = ""
        self._edit(lambda spec: editing.set_cell(spec, target, 0), "Zero")

    def action_edit_insert(self, axis: str, after: bool) -> None:
        target = self.editing
        assert target is not None
        self._edit(lambda spec: editing.insert_line(spec, target, axis, after),
                   f"Add a {axis}", move=(int(after), 0) if axis == "row" else (0, int(after)))

    def action_edit_remove(self, axis: str) -> None:
        target = self.editing
        assert target is not None
        self._edit(lambda spec: editing.remove_line(spec, target, axis), f"Remove a {axis}")

    def action_edit_random(self) -> None:
        target = self.editing
        assert target is not None
        if self._rng is None:
            self._rng = np.random.default_rng()
        rng = self._rng
        self._edit(lambda spec: editing.randomized(spec, target, rng), "Random")

    @work(group="edit")
    async def _edit(self, change: Callable[[ConvSpec], ConvSpec], title: str,
                    move: tuple[int, int] = (0, 0)) -> None:
        """One edit, in order behind the lock; the cursor goes onto a row or column added
        below or right of it."""
        async with self._change_lock:
            if self.editing is None:
                return
            if await self._change(change, title) and move != (0, 0):
                self._move_cursor(*move)

    def on_click(self, event: events.Click) -> None:
        """In edit mode a click on an input or kernel cell puts the cursor there."""
        widget = event.widget
        if self.editing is None or not isinstance(widget, GridView) or widget.id is None:
            return
        event.prevent_default()  # not a point-and-ask question
        event.stop()
        offset = event.get_content_offset(widget)
        cell = widget.cell_at(offset.x, offset.y) if offset is not None else None
        name, _, index = widget.id.partition("-grid-")
        if cell is None or name not in ("input", "kernel"):
            return
        numbers = [int(n) for n in index.split("-")]
        row, col = cell
        if not self._set_typed_first():
            return
        if name == "input":
            spec = self.steps.spec
            top, _, left, _ = spec.padding
            row, col = row - top, col - left
            if not (0 <= row < spec.height and 0 <= col < spec.width):
                return  # a padding cell: nothing to edit
            self.editing = Target("input", row, col, channel=numbers[0])
        else:
            self.editing = Target("kernel", row, col, channel=numbers[1], filter=numbers[0])
        self._show_edit()

    # -- save ---------------------------------------------------------------

    @work(exclusive=True, group="save")
    async def action_save(self) -> None:
        stem = await self.app.push_screen_wait(SaveScreen(safe_stem(self.preset.title)))
        if stem is None:
            return
        async with self._change_lock:
            preset = self.preset
            try:
                saved = await asyncio.to_thread(save_preset, preset, stem, self.app.preset_dirs)
                if saved.spec != preset.spec:
                    raise SaveError(f"{saved.path}: reads back different from what was saved")
            except (SaveError, PresetError) as error:
                self.notify(str(error), title="Not saved", severity="error", timeout=8,
                            markup=False)
                return
            history = self._histo()
            saved = replace(saved, spec=preset.spec)
            history.replace(saved)
            self.preset, self._baseline, self.edited = saved, preset.spec, False
            self._render_status()
            self.notify(f"{saved.name}: {saved.path}", title="Saved", timeout=4, markup=False)
