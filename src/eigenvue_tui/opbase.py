"""What every operation beyond ``conv`` shares: the step record, the listing, the lazy sequence.

Each operation module (transposed, pooling, backward) builds on these, so a
view can draw any of them the same way: ``len``, ``steps[i]`` (cheap, no
replay), ``iter_from``, ``last``, ``listing`` and, per step, the cells it
touches (``cells``). No Textual here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np

from .checks import SpecError, int_list

TRACE_FIELDS = frozenset((
    "f", "ch", "row", "col", "kr", "kc", "in_row", "in_col", "out_row", "out_col",
    "padding", "input", "grad", "weight", "product", "max", "sum", "divisor", "value",
    "skipped", "grad_bias",
))


@dataclass(frozen=True, slots=True)
class OpStep:
    """One step: its trace fields plus the cells it touches, for a view to highlight.

    ``cells`` maps a grid name of ``steps.grids()`` (``input``, ``kernel``,
    ``output``, ``grad_output``, ``grad_bias``, ``window``) to the index of the
    cell this step reads or writes there; input rows/columns are those of the
    unpadded input (outside it is padding). A field that does not apply reads
    as ``None``, as in ``engine.Step``.
    """

    step: int
    phase: str
    line: int
    fields: Mapping[str, Any] = field(default_factory=dict)
    cells: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name in TRACE_FIELDS:
            return self.fields.get(name)
        raise AttributeError(name)

    def to_dict(self) -> dict[str, Any]:
        """The trace record: step, phase, line, then the operation's fields in order."""
        return {"step": self.step, "phase": self.phase, "line": self.line, **self.fields}


@dataclass(frozen=True)
class OpListing:
    """Pseudocode lines (no numbers) and the 1-based line each phase runs."""

    lines: tuple[str, ...]
    phase_lines: Mapping[str, int]

    def line(self, phase: str) -> int:
        return self.phase_lines[phase]

    def numbered(self) -> list[str]:
        width = len(str(len(self.lines)))
        return [f"{i:>{width}}  {text}".rstrip() for i, text in enumerate(self.lines, 1)]


def check_index(index: Any, length: int) -> int:
    """A step index (negative counts from the end) → 0 … length − 1, or the error."""
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"step index must be an int, not {type(index).__name__}")
    given = int(index)
    index = given + length if given < 0 else given
    if not 0 <= index < length:
        raise IndexError(f"step {given} is outside 0..{length - 1} (or -{length}..-1)")
    return index


class SizedSpec:
    """What the operations' specs share: the output's rank and sides (from ``out_side``)."""

    input_rank: int

    def out_side(self, axis: int) -> int:
        raise NotImplementedError

    @property
    def output_rank(self) -> int:
        return self.input_rank

    @property
    def out_height(self) -> int:
        return self.out_side(0)

    @property
    def out_width(self) -> int:
        return self.out_side(1)


class OpSteps(Sequence[OpStep]):
    """The lazy step sequence of one operation; subclasses give ``_at`` and ``iter_from``."""

    spec: Any
    listing: OpListing
    last: int
    output: np.ndarray

    def __len__(self) -> int:
        return self.last + 1

    def _check(self, index: int) -> int:
        return check_index(index, len(self))

    @overload
    def __getitem__(self, index: int) -> OpStep: ...
    @overload
    def __getitem__(self, index: slice) -> list[OpStep]: ...

    def __getitem__(self, index: int | slice) -> OpStep | list[OpStep]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._at(self._check(index))

    def _at(self, index: int) -> OpStep:
        raise NotImplementedError

    def iter_from(self, start: int) -> Iterator[OpStep]:
        raise NotImplementedError

    def __iter__(self) -> Iterator[OpStep]:
        return self.iter_from(0)

    def edge(self, index: int, phase: str) -> OpStep:
        return OpStep(index, phase, self.listing.line(phase))

    def output_list(self) -> list[Any]:
        """The final output as nested lists, in the rank the user's grids imply."""
        return (self.output if self.spec.output_rank == 3 else self.output[0]).tolist()


def nest(lines: list[str], indent: str, loops: list[tuple[str, str]]) -> str:
    """Append ``for name in range(bound):`` lines, each indented one more; the inner indent."""
    for name, bound in loops:
        lines.append(f"{indent}for {name} in range({bound}):")
        indent += "  "
    return indent


def symmetric_padding(value: Any, name: str = "padding") -> tuple[int, int]:
    """``P`` or ``PH,PW`` (PyTorch's symmetric padding) → ``(PH, PW)``, each ≥ 0."""
    if isinstance(value, str) and value.strip().lower() == "valid":
        return 0, 0
    try:
        parts = int_list(value, name)
    except SpecError:
        raise SpecError(f"{name} must be P or PH,PW here, got {value!r}") from None
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) == 4 and parts[0] == parts[1] and parts[2] == parts[3]:
        parts = [parts[0], parts[2]]
    if len(parts) != 2:
        raise SpecError(f"{name} must be P or PH,PW here (the same on both sides), "
                        f"got {len(parts)} numbers")
    if min(parts) < 0:
        raise SpecError(f"{name} must not be negative, got {value!r}")
    return parts[0], parts[1]


def flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise SpecError(f"{name} must be true or false, got {value!r}")
    return value


def pair_text(pair: tuple[int, int]) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]},{pair[1]}"


def scalar(value: Any) -> Any:
    """A numpy number as a Python int or float (trace records hold plain numbers)."""
    return value.item() if isinstance(value, np.generic) else value
