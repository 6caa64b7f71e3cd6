"""Edit mode's keys, applied in the order they were typed.

A terminal gives fast typing (or a paste, or a slow link) as keys back to back.
Textual runs a priority binding (the arrows) as the app receives its key, and any
other binding once its key has passed the focused widget and the screen: Enter or
an arrow overtook the digits typed before it, which went to the next cell. So in
edit mode the screen handles every key as it arrives (``on_key``), and an arrow's
move is sent the way the keys before it went, behind them.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.message import Message

from .. import editing

TYPED = frozenset("0123456789.-")


class EditMove(Message):
    """An arrow's move of the edit cursor, on its way behind the keys typed before it."""

    def __init__(self, rows: int, cols: int) -> None:
        super().__init__()
        self.rows, self.cols = rows, cols


class EditKeys:
    """The keys of edit mode; the screen has ``editing``, ``_typed`` and the edit actions."""

    editing: Any
    _typed: str

    async def on_key(self, event: events.Key) -> None:
        if self.editing is None:
            return
        if event.character in TYPED:
            event.stop()
            event.prevent_default()
            if len(self._typed) < 32:
                self._typed += event.character
            self._show_edit()  # type: ignore[attr-defined]
            return
        chain = self._modal_binding_chain  # type: ignore[attr-defined]
        bindings = next((found for node, found in chain if node is self),
                        self._bindings)  # type: ignore[attr-defined]
        for binding in bindings.key_to_bindings.get(event.key, ()):
            if await self.app.run_action(binding.action, self):  # type: ignore[attr-defined]
                event.stop()
                event.prevent_default()
                return

    def _move_cursor(self, rows: int, cols: int) -> None:
        if self.editing is None:
            super()._move_cursor(rows, cols)  # type: ignore[misc]
            return
        # Into the queue the keys went to (the focused widget's, whence they bubble up).
        target = self.app.focused or self  # type: ignore[attr-defined]
        target.post_message(EditMove(rows, cols))

    def on_edit_move(self, message: EditMove) -> None:
        message.stop()
        if self.editing is not None and self._set_typed_first():
            self.editing = editing.moved(self.steps.spec, self.editing,  # type: ignore[attr-defined]
                                         message.rows, message.cols)
            self._show_edit()  # type: ignore[attr-defined]

    def _set_typed_first(self) -> bool:
        """Before the cursor leaves a cell, a number typed there and not yet set is set,
        as Enter would (a row typed as ``1 → 2 → 3 ⏎``); False, and the cursor stays,
        when what was typed is not a number."""
        return not self._typed or self.action_edit_set()  # type: ignore[attr-defined]
