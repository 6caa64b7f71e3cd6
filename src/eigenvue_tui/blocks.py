"""Operations whose steps come in blocks: per output cell a ``reset``, N inner steps, a ``write``.

Pooling and the weight gradient are such loop nests (as ``conv`` is). A step
index splits by arithmetic into a block and an offset, and an inner step's
running value folds only that block's terms, so ``steps[i]`` needs no replay.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .opbase import OpStep, OpSteps


class BlockSteps(OpSteps):
    """``init``, then per position ``reset``, ``inner`` steps and ``write``, then ``done``.

    Subclasses set ``positions``, ``inner`` and ``listing``, then call ``_setup()``;
    they give the terms of a block and how a running value folds them.
    """

    positions: int
    inner: int
    inner_phase: str

    def _setup(self) -> None:
        self.block = self.inner + 2
        self.last = self.positions * self.block + 1

    def locate(self, index: int) -> tuple[str, int, int]:
        """Step index → (phase, position, inner number); ``init`` is position -1."""
        index = self._check(index)
        if index == 0:
            return "init", -1, -1
        if index == self.last:
            return "done", self.positions, -1
        position, offset = divmod(index - 1, self.block)
        if offset == 0:
            return "reset", position, -1
        if offset == self.block - 1:
            return "write", position, -1
        return self.inner_phase, position, offset - 1

    def reset_step(self, position: int) -> int:
        return 1 + position * self.block

    def write_step(self, position: int) -> int:
        return position * self.block + self.block

    # -- what a subclass gives ----------------------------------------------

    def terms(self, position: int) -> list[Any]:
        raise NotImplementedError

    def start(self, position: int) -> Any:
        raise NotImplementedError

    def fold(self, running: Any, term: Any) -> Any:
        raise NotImplementedError

    def reset_record(self, index: int, position: int) -> OpStep:
        raise NotImplementedError

    def inner_record(self, index: int, position: int, m: int, term: Any,
                     running: Any) -> OpStep:
        raise NotImplementedError

    def write_record(self, index: int, position: int) -> OpStep:
        raise NotImplementedError

    # -- the sequence ----------------------------------------------------------

    def _at(self, index: int) -> OpStep:
        phase, position, m = self.locate(index)
        if phase in ("init", "done"):
            return self.edge(index, phase)
        if phase == "reset":
            return self.reset_record(index, position)
        if phase == "write":
            return self.write_record(index, position)
        terms = self.terms(position)
        running = self.start(position)
        for term in terms[: m + 1]:
            running = self.fold(running, term)
        return self.inner_record(index, position, m, terms[m], running)

    def iter_from(self, start: int) -> Iterator[OpStep]:
        """Steps ``start`` … last in order, carrying the running value (O(1) a step)."""
        start = self._check(start)
        if start == 0:
            yield self.edge(0, "init")
        first = min(max(start - 1, 0) // self.block, self.positions)
        index = self.reset_step(first)
        for position in range(first, self.positions):
            if index >= start:
                yield self.reset_record(index, position)
            index += 1
            running = self.start(position)
            for m, term in enumerate(self.terms(position)):
                running = self.fold(running, term)
                if index >= start:
                    yield self.inner_record(index, position, m, term, running)
                index += 1
            yield self.write_record(index, position)
            index += 1
        yield self.edge(self.last, "done")

    def filled_count(self, index: int) -> int:
        """How many output cells (in loop order) hold their value at this step."""
        phase, position, _ = self.locate(index)
        if phase == "init":
            return 0
        if phase == "done":
            return self.positions
        return position + (1 if phase == "write" else 0)
