"""Undo and redo for the session: a list of states and where we are in it.

Pure and generic (the app keeps presets in it). A new state after an undo
drops the states that were undone, as every editor does; the oldest states go
first when the list is over its bounds, so a long session cannot eat the memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_STATES = 200


class History(Generic[T]):
    """States in order, the current one at ``index``; ``weight`` bounds the memory kept."""

    def __init__(
        self, first: T, *, max_states: int = MAX_STATES, max_weight: float = float("inf"),
        weight: Callable[[T], float] = lambda _: 0.0,
    ) -> None:
        self._states = [first]
        self._index = 0
        self._max_states = max(max_states, 1)
        self._max_weight = max_weight
        self._weight = weight

    @property
    def current(self) -> T:
        return self._states[self._index]

    @property
    def can_undo(self) -> bool:
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        return self._index < len(self._states) - 1

    def __len__(self) -> int:
        return len(self._states)

    def push(self, state: T) -> None:
        """``state`` becomes current; what was undone past the current state is dropped."""
        del self._states[self._index + 1 :]
        self._states.append(state)
        self._index = len(self._states) - 1
        self._trim()

    def replace(self, state: T) -> None:
        """The current state, changed in place (a save renames it, say): not an undo step."""
        self._states[self._index] = state

    def undo(self) -> T | None:
        """The state before the current one (now current), or ``None`` at the start."""
        if not self.can_undo:
            return None
        self._index -= 1
        return self.current

    def redo(self) -> T | None:
        """The state an undo left (now current again), or ``None`` when nothing was undone."""
        if not self.can_redo:
            return None
        self._index += 1
        return self.current

    def _trim(self) -> None:
        total = sum(map(self._weight, self._states))
        while len(self._states) > 1 and (
            len(self._states) > self._max_states or total > self._max_weight
        ):
            total -= self._weight(self._states.pop(0))
            self._index -= 1
