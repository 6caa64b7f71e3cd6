"""The trace lines of an integer problem, joined from pieces of text.

``%``-formatting a run of lines costs over a microsecond a line: the format string
is parsed again for every line and every number is converted on its own. With
integers a run's lines are instead an array of pieces, a row of them per line:
texts that do not change from cell to cell (filled once, shared by reference) and
each field with its label, looked up for the whole run at once in a table of
texts. One ``"".join`` then makes the run's text.
"""

from __future__ import annotations

import numpy as np

from .engine import Steps
from .sums import activate

# At most this many texts in one field's table; wider spreads are converted one by one.
TABLE_SPAN = 1 << 16
# Step numbers past 999 are written as their thousands and a zero-padded remainder.
REMAINDERS = np.array([f"{n:03d}" for n in range(1000)], dtype=object)


class Cells:
    """Every number of a run of ``count`` output cells of one filter, from ``position``:
    coordinates per cell, and per MAC its input cell, input, product and running sum
    (``running[:, 0]`` is the start, the bias)."""

    def __init__(self, steps: Steps, ch: np.ndarray, kr: np.ndarray, kc: np.ndarray,
                 position: int, count: int) -> None:
        spec = self.spec = steps.spec
        self.f, row, col = steps.coords(position)
        local = row * spec.out_width + col + np.arange(count)
        self.rows, self.cols = np.divmod(local, spec.out_width)
        top, _, left, _ = spec.padding
        self.in_rows = self.rows[:, None] * spec.stride[0] + kr * spec.dilation[0] - top
        self.in_cols = self.cols[:, None] * spec.stride[1] + kc * spec.dilation[1] - left
        self.inputs = steps.padded_input[ch, self.in_rows + top, self.in_cols + left]
        running = np.empty((count, steps.macs_per_position + 1), dtype=self.inputs.dtype)
        running[:, 0] = steps.starts[self.f]
        np.multiply(self.inputs, steps.flat_weights[self.f], out=running[:, 1:])
        self.products = running[:, 1:].copy()
        self.running = np.add.accumulate(running, axis=1, out=running)

    def outside(self) -> np.ndarray:
        """Which MACs read padding."""
        spec = self.spec
        return (self.in_rows < 0) | (self.in_rows >= spec.height) | (self.in_cols < 0) | (
            self.in_cols >= spec.width)


class FieldTexts:
    """``f"{label}{n}{end}"`` for arrays of integers ``n``, from a table that grows to
    cover the values it is asked for."""

    def __init__(self, label: str = "", end: str = "") -> None:
        self.label, self.end = label, end
        self.low = 0
        self.table = np.array([], dtype=object)

    def __call__(self, values: np.ndarray) -> np.ndarray:
        low, high = int(values.min()), int(values.max())
        if low < self.low or high >= self.low + len(self.table):
            if len(self.table):
                low, high = min(low, self.low), max(high, self.low + len(self.table) - 1)
            if high - low >= TABLE_SPAN:
                return self.each(values)
            self.low = low
            self.table = self.each(np.arange(low, high + 1))
        return self.table[values - self.low]

    def each(self, values: np.ndarray) -> np.ndarray:
        label, end = self.label, self.end
        texts = [f"{label}{n}{end}" for n in values.ravel().tolist()]
        return np.array(texts, dtype=object).reshape(values.shape)


class IntegerLines:
    """The JSON lines of runs of output cells of one integer problem."""

    def __init__(self, steps: Steps, ch: np.ndarray, kr: np.ndarray, kc: np.ndarray) -> None:
        self.steps = steps
        spec = steps.spec
        self.kr, self.kc, self.ch = kr, kc, ch
        self.in_rows, self.in_cols = FieldTexts(), FieldTexts(',"in_col":')
        self.inputs, self.products = FieldTexts(',"input":'), FieldTexts()
        self.sums = FieldTexts(',"sum":', "}\n")
        self.outputs, self.values = FieldTexts(',"sum":'), FieldTexts(',"value":', "}\n")
        self.outside = np.array([',"padding":false', ',"padding":true'], dtype=object)
        self.kernel_places = np.array([
            (f',"ch":{c},' if spec.has_channels else ",") + f'"kr":{r},"kc":{k},"in_row":'
            for c, r, k in zip(ch.tolist(), kr.tolist(), kc.tolist(), strict=True)
        ], dtype=object)
        # A MAC line's pieces: step (2), phase and line, cell, kernel place, in_row,
        # in_col, padding (when padded), input, weight, product, sum.
        self.width = 12 if spec.padded else 11
        self.frame: tuple[tuple[int, int], np.ndarray] | None = None

    def _frame(self, f: int, count: int) -> np.ndarray:
        """The pieces array for ``count`` cells of filter ``f``, its fixed texts in place
        (the last one is kept: runs but a filter's last have the same count)."""
        if self.frame is not None and self.frame[0] == (f, count):
            return self.frame[1]
        steps, lines = self.steps, self.steps.listing
        pieces = np.empty((count, steps.block, self.width), dtype=object)
        head = f',"f":{f},' if steps.spec.has_filters else ","
        pieces[:, 0, 2] = f',"phase":"reset","line":{lines.reset_line}{head}'
        pieces[:, 0, 4] = f',"sum":{steps.starts[f]}}}\n'
        pieces[:, 0, 5:] = ""
        pieces[:, -1, 2] = f',"phase":"write","line":{lines.write_line}{head}'
        pieces[:, -1, 6:] = ""
        mac = pieces[:, 1:-1]
        mac[..., 2] = f',"phase":"mac","line":{lines.mac_line}{head}'
        mac[..., 4] = self.kernel_places
        mac[..., -3] = np.array([f',"weight":{w},"product":'
                                 for w in steps.flat_weights[f].tolist()], dtype=object)
        self.frame = ((f, count), pieces)
        return pieces

    def run(self, position: int, count: int) -> str:
        """The lines of output positions ``position`` … ``position + count - 1`` (one filter)."""
        steps, spec = self.steps, self.steps.spec
        cells = Cells(steps, self.ch, self.kr, self.kc, position, count)
        f, rows, cols, running = cells.f, cells.rows, cells.cols, cells.running

        pieces = self._frame(f, count)
        numbers = steps.reset_step(position) + np.arange(count * steps.block).reshape(
            count, steps.block)
        thousands, remainders = np.divmod(numbers, 1000)
        first = int(thousands[0, 0])
        if first == 0:  # no thousands to write, and no zero padding
            pieces[..., 0], pieces[..., 1] = '{"step":', FieldTexts().each(numbers)
        else:
            starts = FieldTexts('{"step":').each(np.arange(first, int(thousands[-1, -1]) + 1))
            pieces[..., 0], pieces[..., 1] = starts[thousands - first], REMAINDERS[remainders]
        pieces[..., 3] = np.array([f'"row":{r},"col":{c}' for r, c in zip(
            rows.tolist(), cols.tolist(), strict=True)], dtype=object)[:, None]

        sums = running[:, -1]
        pieces[:, -1, 4] = self.outputs(sums)
        pieces[:, -1, 5] = self.values(activate(spec, sums))

        mac = pieces[:, 1:-1]
        mac[..., 5], mac[..., 6] = self.in_rows(cells.in_rows), self.in_cols(cells.in_cols)
        if spec.padded:
            mac[..., 7] = self.outside[cells.outside().view(np.int8)]
        mac[..., -4], mac[..., -2] = self.inputs(cells.inputs), self.products(cells.products)
        mac[..., -1] = self.sums(running[:, 1:])
        return "".join(pieces.ravel().tolist())
