"""``--trace``: every step as one JSON line, many output cells at a time.

The bytes are exactly ``json.dumps(step.to_dict(), separators=(",", ":"))`` per
step (``done`` also carries the output), but no ``Step`` is built: for a run of
output cells of one filter, numpy computes every field at once. Integer problems
are joined from cached number texts (``trace_ints.py``); for floats one
``%``-format fills a template whose constant parts (phase, line, ``ch``/``kr``/
``kc``, the weight, the bias) are already in place. ``%d`` and ``%r`` print
ints and floats exactly as ``json.dumps`` does (``repr``). Memory stays flat:
one run of cells is in memory at a time, whatever the start step.
"""

from __future__ import annotations

import json
from typing import TextIO

import numpy as np

from .engine import Phase, Steps
from .sums import activate
from .trace_ints import Cells, IntegerLines

# About this many lines are formatted at once.
LINES_PER_RUN = 4096
SEPARATORS = (",", ":")


def write_trace(steps: Steps, out: TextIO, start: int = 0) -> None:
    """Stream steps ``start`` … last as JSON Lines; ``done`` also carries the full output."""
    lines = _Lines(steps)
    phase, position, _ = steps.locate(start)
    _widen_pipe(out)
    _keep_freed_memory()
    write = out.write
    if phase is Phase.INIT:
        write(_edge(steps, 0))
        position = 0
    if position < steps.positions and start > steps.reset_step(position):
        text = lines.run(position, 1)
        cut = -1
        for _ in range(start - steps.reset_step(position)):
            cut = text.index("\n", cut + 1)
        write(text[cut + 1 :])
        position += 1
    per_filter = steps.positions // steps.spec.filters
    run = max(1, LINES_PER_RUN // steps.block)
    while position < steps.positions:
        count = min(run, per_filter - position % per_filter)
        write(lines.run(position, count))
        position += count
    write(_edge(steps, steps.last))


def _widen_pipe(out: TextIO) -> None:
    """A pipe's 64 KiB buffer makes the writer wait on the reader every few hundred
    lines; a 1 MiB one (Linux ``F_SETPIPE_SZ``) lets whole runs of lines through."""
    try:
        import fcntl
        import os
        import stat

        fd = out.fileno()
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (AttributeError, OSError, ValueError, ImportError):
        pass  # not a real pipe, or not Linux: the default buffer is fine


def _keep_freed_memory() -> None:
    """Each run's text is a fresh allocation of a few hundred KiB, which glibc's malloc
    maps from the kernel and unmaps again when it is freed: every run then page-faults
    its memory in anew, which on a virtual machine cost as much as making the text.
    Raising the thresholds keeps that memory for the next run (a few MiB at most)."""
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError, ImportError):
        return  # not glibc: its allocator decides
    trim_threshold, mmap_threshold = -1, -3  # M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
    mallopt(trim_threshold, 32 << 20)
    mallopt(mmap_threshold, 16 << 20)


def _edge(steps: Steps, index: int) -> str:
    record = steps[index].to_dict()
    if index == steps.last:
        record["output"] = steps.output_list()
    return json.dumps(record, separators=SEPARATORS) + "\n"


class _Lines:
    """The JSON lines of runs of output cells of one problem."""

    def __init__(self, steps: Steps) -> None:
        self.steps = steps
        spec = steps.spec
        self.macs = steps.macs_per_position
        table = np.array([steps.mac_indices(m) for m in range(self.macs)]).reshape(-1, 3)
        self.ch, self.kr, self.kc = table.T
        self.values_per_mac = 8 if spec.padded else 7
        self.words = np.array(["false", "true"], dtype=object)
        # Every input row/column a MAC can name, as text (padding makes some negative).
        self.low = -max(spec.padding)
        self.coordinates = np.array(
            [str(i) for i in range(self.low, max(spec.height, spec.width) + max(spec.padding))],
            dtype=object,
        )
        self.number = "%d" if spec.integral else "%r"
        self.formats: dict[tuple[int, int], str] = {}
        self.integers = IntegerLines(steps, self.ch, self.kr, self.kc) if spec.integral else None

    def _template(self, f: int) -> str:
        """One output cell's lines for filter ``f``, with a placeholder per varying field;
        the first ``%s`` of each line is the cell (``"f":…,"row":…,"col":…``)."""
        steps, spec, n = self.steps, self.steps.spec, self.number
        lines = steps.listing
        head = '{"step":%d,"phase":"'
        parts = [f'{head}reset","line":{lines.reset_line},%s,"sum":{steps.starts[f]!r}}}\n']
        pad = '"padding":%s,' if spec.padded else ""
        for m in range(self.macs):
            ch = f'"ch":{self.ch[m]},' if spec.has_channels else ""
            parts.append(
                f'{head}mac","line":{lines.mac_line},%s,{ch}"kr":{self.kr[m]},'
                f'"kc":{self.kc[m]},"in_row":%s,"in_col":%s,{pad}"input":{n},'
                f'"weight":{steps.flat_weights[f, m].item()!r},"product":{n},"sum":{n}}}\n'
            )
        parts.append(f'{head}write","line":{lines.write_line},%s,"sum":{n},"value":{n}}}\n')
        return "".join(parts)

    def _format(self, f: int, count: int) -> str:
        key = (f, count)
        if key not in self.formats:
            self.formats[key] = self._template(f) * count
        return self.formats[key]

    def run(self, position: int, count: int) -> str:
        """The lines of output positions ``position`` … ``position + count - 1`` (one filter)."""
        if self.integers is not None:
            return self.integers.run(position, count)
        steps, spec = self.steps, self.steps.spec
        window = Cells(steps, self.ch, self.kr, self.kc, position, count)
        f, rows, cols, running = window.f, window.rows, window.cols, window.running
        macs, k = self.macs, self.values_per_mac
        first = steps.reset_step(position)
        numbers = first + np.arange(count * steps.block).reshape(count, steps.block)
        prefix = f'"f":{f},' if spec.has_filters else ""
        cells = np.array(
            [f'{prefix}"row":{r},"col":{c}' for r, c in zip(rows.tolist(), cols.tolist(),
                                                            strict=True)],
            dtype=object,
        )

        values = np.empty((count, 2 + macs * k + 4), dtype=object)
        values[:, 0], values[:, 1] = numbers[:, 0], cells
        mac = values[:, 2 : 2 + macs * k].reshape(count, macs, k)
        mac[:, :, 0] = numbers[:, 1:-1]
        mac[:, :, 1] = cells[:, None]
        mac[:, :, 2] = self.coordinates[window.in_rows - self.low]
        mac[:, :, 3] = self.coordinates[window.in_cols - self.low]
        if spec.padded:
            mac[:, :, 4] = self.words[window.outside().view(np.int8)]
        mac[:, :, k - 3] = window.inputs
        mac[:, :, k - 2] = window.products
        mac[:, :, k - 1] = running[:, 1:]
        end = values[:, 2 + macs * k :]
        end[:, 0], end[:, 1] = numbers[:, -1], cells
        end[:, 2] = running[:, -1]
        end[:, 3] = activate(spec, running[:, -1])
        return self._format(f, count) % tuple(values.ravel().tolist())
