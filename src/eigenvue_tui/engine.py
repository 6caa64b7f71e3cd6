"""The step engine: step index ↔ loop variables, and the state at any step.

Nothing is stored per step. A step index splits by arithmetic into an output
position and an offset inside that position's block (reset, the MACs, write),
so any step is reached in O(C·K²) (one numpy pass over its window) and memory
stays O(H·W + K²) however many steps there are. Building ``Steps`` only pads
the input: the whole-output sums are computed on first use, or ahead of time
by ``compute_sums`` in a background thread. Pure Python + numpy; no Textual.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, overload

import numpy as np

from .opbase import check_index
from .pseudocode import Listing, listing_for
from .spec import ConvSpec, make_spec
from .sums import Cancelled, Progress, activate, all_sums

Number = int | float
# Output positions whose running sums are kept: stepping back and forth stays O(1).
WINDOW_CACHE = 4


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
        self.macs_per_position = spec.channels * spec.kernel_height * spec.kernel_width
        self.block = self.macs_per_position + 2
        self.out_shape = (spec.filters, spec.out_height, spec.out_width)
        self.positions = spec.filters * spec.out_height * spec.out_width
        self.last = self.positions * self.block + 1
        self.starts = [
            spec.bias[f] if spec.bias is not None else 0 for f in range(spec.filters)
        ]
        self.flat_weights = self._weights.reshape(spec.filters, self.macs_per_position)
        self._lock = threading.Lock()
        self._result: tuple[np.ndarray, np.ndarray, tuple[Number, Number]] | None = None
        self._windows: dict[int, tuple[int, np.ndarray]] = {}
        self._has_filters, self._has_channels = spec.has_filters, spec.has_channels
        self._padded = spec.padded
        (self._sh, self._sw), (self._dh, self._dw) = spec.stride, spec.dilation
        self._span = (
            self._dh * (spec.kernel_height - 1) + 1, self._dw * (spec.kernel_width - 1) + 1
        )
        self._mac_table = [
            (ch, kr, kc)
            for ch in range(spec.channels)
            for kr in range(spec.kernel_height)
            for kc in range(spec.kernel_width)
        ]
        listing = self.listing
        self._lines = {
            Phase.INIT: listing.init_line,
            Phase.RESET: listing.reset_line,
            Phase.MAC: listing.mac_line,
            Phase.WRITE: listing.write_line,
            Phase.DONE: listing.done_line,
        }

    # -- the output sums, computed once on demand ---------------------------

    def compute_sums(self, progress: Progress | None = None,
                     cancelled: Cancelled | None = None) -> None:
        """Compute every output sum now (the app calls this in a background thread).

        ``progress(fraction)`` is called now and then; when ``cancelled()`` turns
        true this raises :class:`SumsCancelled` and keeps nothing. Safe to call
        from several threads: one computes, the others wait for it.
        """
        with self._lock:
            if self._result is not None:
                return
            sums, partial_range = all_sums(
                self.spec, self.padded_input, self._weights, self.starts, progress, cancelled
            )
            self._result = sums, activate(self.spec, sums), partial_range

    @property
    def sums_ready(self) -> bool:
        return self._result is not None

    def _sums(self) -> tuple[np.ndarray, np.ndarray, tuple[Number, Number]]:
        if self._result is None:
            self.compute_sums()
        assert self._result is not None
        return self._result

    @property
    def sums(self) -> np.ndarray:
        """Every output sum ``[F][outH][outW]`` before the activation."""
        return self._sums()[0]

    @property
    def output(self) -> np.ndarray:
        """Every output value ``[F][outH][outW]``, as the write steps store them."""
        return self._sums()[1]

    @property
    def partial_range(self) -> tuple[Number, Number]:
        """The smallest and largest running sum any step shows (biases included)."""
        return self._sums()[2]

    # -- index arithmetic -------------------------------------------------

    def __len__(self) -> int:
        return self.last + 1

    def coords(self, position: int) -> tuple[int, int, int]:
        """Output position (flattened in f, row, col order) → (f, row, col)."""
        _, out_h, out_w = self.out_shape
        f, rest = divmod(position, out_h * out_w)
        row, col = divmod(rest, out_w)
        return f, row, col

    def position_of(self, f: int, row: int, col: int) -> int:
        _, out_h, out_w = self.out_shape
        return (f * out_h + row) * out_w + col

    def locate(self, index: int) -> tuple[Phase, int, int]:
        """Step index → (phase, output position, MAC number within the position).

        ``init`` is position -1 and ``done`` is position ``positions``.
        """
        return self._locate(self._check(index))

    def _locate(self, index: int) -> tuple[Phase, int, int]:
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
        return self._mac_table[m]

    def input_cell(self, row: int, col: int, kr: int, kc: int) -> tuple[int, int]:
        """The unpadded input cell read for output (row, col) and weight (kr, kc)."""
        top, _, left, _ = self.spec.padding
        return (row * self._sh + kr * self._dh - top, col * self._sw + kc * self._dw - left)

    def _check(self, index: int) -> int:
        return check_index(index, len(self))

    # -- step records -----------------------------------------------------

    def _window(self, row: int, col: int) -> np.ndarray:
        """The input cells (a view, ``[C][kH][kW]``) that output (row, col) reads."""
        r0, c0 = row * self._sh, col * self._sw
        span_h, span_w = self._span
        return self.padded_input[:, r0 : r0 + span_h : self._dh, c0 : c0 + span_w : self._dw]

    def window(self, f: int, row: int, col: int) -> tuple[list[Number], list[Number]]:
        """Input values and weights of one window, flattened in (ch, kr, kc) order."""
        return self._window(row, col).ravel().tolist(), self.flat_weights[f].tolist()

    def _running_sums(self, f: int, window: np.ndarray, upto: int | None = None) -> np.ndarray:
        """The bias, then the running sum after each MAC of one window (up to MAC
        ``upto``), in loop order.

        ``accumulate`` adds one term at a time, so floats agree bit for bit with
        ``sum += x * w`` in the pseudocode and with the vectorised output sums.
        """
        running = np.empty(self.macs_per_position + 1, dtype=self.padded_input.dtype)
        running[0] = self.starts[f]
        np.multiply(window, self._weights[f], out=running[1:].reshape(window.shape))
        return np.add.accumulate(running if upto is None else running[: upto + 2])

    def _running(self, position: int, upto: int | None = None) -> np.ndarray:
        """``_running_sums`` of one output position, from a small cache (lock-free:
        one slot per position modulo the cache size, replaced whole).

        A jump to MAC ``upto`` sums only that far; a second visit to the same
        position (stepping on through it) sums the whole window.
        """
        slot = position % WINDOW_CACHE
        cached = self._windows.get(slot)
        if cached is not None and cached[0] == position:
            if len(cached[1]) >= (self.block - 1 if upto is None else upto + 2):
                return cached[1]
            upto = None
        f, row, col = self.coords(position)
        running = self._running_sums(f, self._window(row, col), upto)
        self._windows[slot] = (position, running)
        return running

    def _final(self, f: int, row: int, col: int) -> np.generic:
        result = self._result
        if result is not None:
            return result[0][f, row, col]
        return self._running(self.position_of(f, row, col))[-1]

    def cell_sum(self, f: int, row: int, col: int) -> Number:
        """One output cell's sum, without waiting for all of them (O(C·K²) until then)."""
        return self._final(f, row, col).item()

    def cell_value(self, f: int, row: int, col: int) -> Number:
        """One output cell's value (after the activation), as its write step stores it."""
        return activate(self.spec, self._final(f, row, col)).item()

    def _record(self, index: int, phase: Phase, f: int, row: int, col: int, **fields: Any) -> Step:
        return Step(
            step=index,
            phase=phase,
            line=self._lines[phase],
            f=f if self._has_filters else None,
            row=row,
            col=col,
            **fields,
        )

    def _mac(self, index: int, f: int, row: int, col: int, m: int, x: Number, w: Number,
             running: Number) -> Step:
        spec = self.spec
        ch, kr, kc = self._mac_table[m]
        top, _, left, _ = spec.padding
        in_row = row * self._sh + kr * self._dh - top
        in_col = col * self._sw + kc * self._dw - left
        padding = None
        if self._padded:
            padding = not (0 <= in_row < spec.height and 0 <= in_col < spec.width)
        return Step(
            index, Phase.MAC, self._lines[Phase.MAC], f if self._has_filters else None,
            row, col, ch if self._has_channels else None, kr, kc, in_row, in_col, padding,
            x, w, x * w, running,
        )

    def _write(self, index: int, f: int, row: int, col: int, final: np.generic) -> Step:
        return self._record(
            index, Phase.WRITE, f, row, col,
            sum=final.item(), value=activate(self.spec, final).item(),
        )

    def _edge(self, index: int, phase: Phase) -> Step:
        return Step(step=index, phase=phase, line=self._lines[phase])

    @overload
    def __getitem__(self, index: int) -> Step: ...
    @overload
    def __getitem__(self, index: slice) -> list[Step]: ...

    def __getitem__(self, index: int | slice) -> Step | list[Step]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = self._check(index)
        phase, position, m = self._locate(index)
        if phase is Phase.INIT or phase is Phase.DONE:
            return self._edge(index, phase)
        f, row, col = self.coords(position)
        if phase is Phase.RESET:
            return self._record(index, phase, f, row, col, sum=self.starts[f])
        if phase is Phase.WRITE:
            return self._write(index, f, row, col, self._final(f, row, col))
        running = self._running(position, m)
        ch, kr, kc = self._mac_table[m]
        # ndarray.item(i, …): the Python number in one call, no numpy scalar made first
        x = self.padded_input.item(ch, row * self._sh + kr * self._dh,
                                   col * self._sw + kc * self._dw)
        return self._mac(index, f, row, col, m, x, self.flat_weights.item(f, m),
                         running.item(m + 1))

    def __iter__(self) -> Iterator[Step]:
        return self.iter_from(0)

    def iter_from(self, start: int) -> Iterator[Step]:
        """Steps ``start`` … last in order (one numpy pass per output position)."""
        start = self._check(start)
        if start == 0:
            yield self._edge(0, Phase.INIT)
        first = min(max(start - 1, 0) // self.block, self.positions)
        index = self.reset_step(first)
        for position in range(first, self.positions):
            f, row, col = self.coords(position)
            if index >= start:
                yield self._record(index, Phase.RESET, f, row, col, sum=self.starts[f])
            index += 1
            window = self._window(row, col)
            running = self._running_sums(f, window)
            values, weights, sums = (
                window.ravel().tolist(), self.flat_weights[f].tolist(), running.tolist()
            )
            for m in range(self.macs_per_position):
                if index >= start:
                    yield self._mac(index, f, row, col, m, values[m], weights[m], sums[m + 1])
                index += 1
            yield self._write(index, f, row, col, running[-1])
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


def conv_steps(value: Any, who: str) -> Steps:
    """``value`` if it is a convolution's steps; else a ``TypeError`` saying what is needed
    (a pool's or another operation's steps have no kernel to quiz on or unfold)."""
    if not isinstance(value, Steps):
        raise TypeError(f"{who} takes the steps of a convolution, eigenvue_tui.steps(input,"
                        f" kernel) with op 'conv'; got {type(value).__name__}")
    return value
