"""The step engine: step index ↔ loop variables, and the state at any step.

Nothing is stored per step. A step index splits by arithmetic into an output
position and an offset inside that position's block (reset, the MACs, write),
so any step is reached in O(C·K²) and memory stays O(H·W + K²) however many
steps there are. Pure Python + numpy; no Textual here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, overload

import numpy as np

from .pseudocode import Listing, listing_for
from .spec import ConvSpec, make_spec

Number = int | float


class Phase(StrEnum):
    INIT = "init"
    RESET = "reset"
    MAC = "mac"
    WRITE = "write"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the pseudocode, with the loop variables and numbers it touches.

    Fields that do not apply to a phase are ``None`` (an ``init`` has no ``row``).
    ``in_row``/``in_col`` are in the coordinates of the unpadded input.
    """

    step: int
    phase: Phase
    line: int
    f: int | None = None
    row: int | None = None
    col: int | None = None
    ch: int | None = None
    kr: int | None = None
    kc: int | None = None
    in_row: int | None = None
    in_col: int | None = None
    padding: bool | None = None
    input: Number | None = None
    weight: Number | None = None
    product: Number | None = None
    sum: Number | None = None
    value: Number | None = None

    def to_dict(self) -> dict[str, Any]:
        """The trace record: only the fields that apply to this step."""
        return {
            name: value for name in STEP_FIELDS if (value := getattr(self, name)) is not None
        }


STEP_FIELDS = tuple(f.name for f in fields(Step))


class Steps(Sequence[Step]):
    """The lazy sequence of every step of one convolution."""

    def __init__(self, spec: ConvSpec) -> None:
        self.spec = spec
        self.listing: Listing = listing_for(spec)
        top, bottom, left, right = spec.padding
        self.padded_input = np.pad(spec.input, ((0, 0), (top, bottom), (left, right)))
        kernel = spec.kernel[:, :, ::-1, ::-1] if spec.flip else spec.kernel
        self._weights = np.ascontiguousarray(kernel)
        self._kernel_cells = spec.kernel_height * spec.kernel_width
        self.macs_per_position = spec.channels * self._kernel_cells
        self.block = self.macs_per_position + 2
        self.out_shape = (spec.filters, spec.out_height, spec.out_width)
        self.positions = spec.filters * spec.out_height * spec.out_width
        self.last = self.positions * self.block + 1
        self._starts = [
            spec.bias[f] if spec.bias is not None else 0 for f in range(spec.filters)
        ]
        self.sums, self.partial_range = self._all_sums()
        self.output = np.maximum(self.sums, 0) if spec.activation == "relu" else self.sums

    def _all_sums(self) -> tuple[np.ndarray, tuple[Number, Number]]:
        """Every output sum, added in the pseudocode's own order (so floats agree),
        and the smallest and largest running sum any step shows."""
        spec = self.spec
        sh, sw = spec.stride
        dh, dw = spec.dilation
        oh, ow = spec.out_height, spec.out_width
        sums = np.empty(self.out_shape, dtype=self.padded_input.dtype)
        low = high = self._starts[0]
        for f in range(spec.filters):
            acc = np.full((oh, ow), self._starts[f], dtype=self.padded_input.dtype)
            low, high = min(low, self._starts[f]), max(high, self._starts[f])
            for ch in range(spec.channels):
                plane = self.padded_input[ch]
                for kr in range(spec.kernel_height):
                    for kc in range(spec.kernel_width):
                        r0, c0 = kr * dh, kc * dw
                        patch = plane[
                            r0 : r0 + (oh - 1) * sh + 1 : sh, c0 : c0 + (ow - 1) * sw + 1 : sw
                        ]
                        acc += self._weights[f, ch, kr, kc] * patch
                        low = min(low, acc.min().item())
                        high = max(high, acc.max().item())
            sums[f] = acc
        return sums, (low, high)

    # -- index arithmetic -------------------------------------------------

    def __len__(self) -> int:
        return self.last + 1

    def coords(self, position: int) -> tuple[int, int, int]:
        """Output position (flattened in f, row, col order) → (f, row, col)."""
        f, rest = divmod(position, self.spec.out_height * self.spec.out_width)
        row, col = divmod(rest, self.spec.out_width)
        return f, row, col

    def position_of(self, f: int, row: int, col: int) -> int:
        return (f * self.spec.out_height + row) * self.spec.out_width + col

    def locate(self, index: int) -> tuple[Phase, int, int]:
        """Step index → (phase, output position, MAC number within the position).

        ``init`` is position -1 and ``done`` is position ``positions``.
        """
        index = self._check(index)
        if index == 0:
            return Phase.INIT, -1, -1
        if index == self.last:
            return Phase.DONE, self.positions, -1
        position, offset = divmod(index - 1, self.block)
        if offset == 0:
            return Phase.RESET, position, -1
        if offset == self.block - 1:
            return Phase.WRITE, position, -1
        return Phase.MAC, position, offset - 1

    def reset_step(self, position: int) -> int:
        return 1 + position * self.block

    def write_step(self, position: int) -> int:
        return position * self.block + self.block

    def filled_count(self, index: int) -> int:
        """How many output cells (in loop order) hold their value at this step."""
        phase, position, _ = self.locate(index)
        if phase is Phase.INIT:
            return 0
        if phase is Phase.DONE:
            return self.positions
        return position + (1 if phase is Phase.WRITE else 0)

    def mac_indices(self, m: int) -> tuple[int, int, int]:
        """MAC number within a position → (ch, kr, kc)."""
        ch, cell = divmod(m, self._kernel_cells)
        kr, kc = divmod(cell, self.spec.kernel_width)
        return ch, kr, kc

    def input_cell(self, row: int, col: int, kr: int, kc: int) -> tuple[int, int]:
        """The unpadded input cell read for output (row, col) and weight (kr, kc)."""
        spec = self.spec
        return (
            row * spec.stride[0] + kr * spec.dilation[0] - spec.padding[0],
            col * spec.stride[1] + kc * spec.dilation[1] - spec.padding[2],
        )

    def _check(self, index: int) -> int:
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"step index must be an int, not {type(index).__name__}")
        given = int(index)
        index = given + len(self) if given < 0 else given
        if not 0 <= index <= self.last:
            raise IndexError(f"step {given} is outside 0..{self.last} (or -{len(self)}..-1)")
        return index

    # -- step records -----------------------------------------------------

    def window(self, f: int, row: int, col: int) -> tuple[list[Number], list[Number]]:
        """Input values and weights of one window, flattened in (ch, kr, kc) order."""
        spec = self.spec
        r0, c0 = row * spec.stride[0], col * spec.stride[1]
        dh, dw = spec.dilation
        window = self.padded_input[
            :,
            r0 : r0 + dh * (spec.kernel_height - 1) + 1 : dh,
            c0 : c0 + dw * (spec.kernel_width - 1) + 1 : dw,
        ]
        return window.ravel().tolist(), self._weights[f].ravel().tolist()

    def _record(self, index: int, phase: Phase, f: int, row: int, col: int, **fields: Any) -> Step:
        spec = self.spec
        return Step(
            step=index,
            phase=phase,
            line=self._line(phase),
            f=f if spec.has_filters else None,
            row=row,
            col=col,
            **fields,
        )

    def _line(self, phase: Phase) -> int:
        listing = self.listing
        return {
            Phase.INIT: listing.init_line,
            Phase.RESET: listing.reset_line,
            Phase.MAC: listing.mac_line,
            Phase.WRITE: listing.write_line,
            Phase.DONE: listing.done_line,
        }[phase]

    def _mac(self, index: int, f: int, row: int, col: int, m: int, x: Number, w: Number,
             running: Number) -> Step:
        ch, kr, kc = self.mac_indices(m)
        in_row, in_col = self.input_cell(row, col, kr, kc)
        spec = self.spec
        in_padding = not (0 <= in_row < spec.height and 0 <= in_col < spec.width)
        return self._record(
            index, Phase.MAC, f, row, col,
            ch=ch if spec.has_channels else None,
            kr=kr, kc=kc, in_row=in_row, in_col=in_col,
            padding=in_padding if spec.padded else None,
            input=x, weight=w, product=x * w, sum=running,
        )

    def _write(self, index: int, f: int, row: int, col: int) -> Step:
        return self._record(
            index, Phase.WRITE, f, row, col,
            sum=self.sums[f, row, col].item(), value=self.output[f, row, col].item(),
        )

    def _edge(self, index: int, phase: Phase) -> Step:
        return Step(step=index, phase=phase, line=self._line(phase))

    @overload
    def __getitem__(self, index: int) -> Step: ...
    @overload
    def __getitem__(self, index: slice) -> list[Step]: ...

    def __getitem__(self, index: int | slice) -> Step | list[Step]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = self._check(index)
        phase, position, m = self.locate(index)
        if phase in (Phase.INIT, Phase.DONE):
            return self._edge(index, phase)
        f, row, col = self.coords(position)
        if phase is Phase.RESET:
            return self._record(index, phase, f, row, col, sum=self._starts[f])
        if phase is Phase.WRITE:
            return self._write(index, f, row, col)
        values, weights = self.window(f, row, col)
        running = self._starts[f]
        for x, w in zip(values[: m + 1], weights[: m + 1], strict=True):
            running += x * w
        return self._mac(index, f, row, col, m, values[m], weights[m], running)

    def __iter__(self) -> Iterator[Step]:
        return self.iter_from(0)

    def iter_from(self, start: int) -> Iterator[Step]:
        """Steps ``start`` … last in order, carrying the running sum forward (O(1) a step)."""
        start = self._check(start)
        if start == 0:
            yield self._edge(0, Phase.INIT)
        first = min(max(start - 1, 0) // self.block, self.positions)
        index = self.reset_step(first)
        for position in range(first, self.positions):
            f, row, col = self.coords(position)
            running = self._starts[f]
            if index >= start:
                yield self._record(index, Phase.RESET, f, row, col, sum=running)
            index += 1
            values, weights = self.window(f, row, col)
            for m, (x, w) in enumerate(zip(values, weights, strict=True)):
                running += x * w
                if index >= start:
                    yield self._mac(index, f, row, col, m, x, w, running)
                index += 1
            yield self._write(index, f, row, col)
            index += 1
        yield self._edge(self.last, Phase.DONE)

    def output_list(self) -> list[Any]:
        """The final output as nested lists: ``[F][outH][outW]`` only with filters."""
        return (self.output if self.spec.has_filters else self.output[0]).tolist()


def steps(input: Any, kernel: Any, **options: Any) -> Steps:
    """The lazy step sequence for ``input`` ⊛ ``kernel`` (``len``, indexing, iteration).

    Options are those of :func:`eigenvue_tui.spec.make_spec` (stride, padding, …).
    """
    return Steps(make_spec(input, kernel, **options))
