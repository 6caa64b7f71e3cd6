"""``--trace`` bytes: the fast writer against the ``Step``-based reference, byte for byte."""

from __future__ import annotations

import io
import json
import tracemalloc

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_engine import option_problems
from test_engine_lazy import float_problems

import oracle
from eigenvue_tui import steps, trace
from eigenvue_tui.engine import Steps
from eigenvue_tui.presets import resolve
from eigenvue_tui.trace import write_trace


def reference_trace(s: Steps, start: int = 0) -> str:
    """The trace as it always was: one ``Step`` record and one ``json.dumps`` per step."""
    out = io.StringIO()
    for step in s.iter_from(start):
        record = step.to_dict()
        if step.phase == "done":
            record["output"] = s.output_list()
        out.write(json.dumps(record, separators=(",", ":")))
        out.write("\n")
    return out.getvalue()


def fast_trace(s: Steps, start: int = 0) -> str:
    out = io.StringIO()
    write_trace(s, out, start)
    return out.getvalue()


@given(st.one_of(option_problems(), float_problems()), st.integers(0, 10**6),
       st.sampled_from([1, 5, 40, 4096]))
@settings(max_examples=300, deadline=None)
def test_trace_bytes_equal_the_step_records(problem, start, lines_per_run):
    x, k, options = problem
    assume(oracle.Problem(x, k, **options).fits)
    s = steps(x, k, **options)
    saved = trace.LINES_PER_RUN
    trace.LINES_PER_RUN = lines_per_run
    try:
        assert fast_trace(s) == reference_trace(s)
        start %= len(s)
        assert fast_trace(s, start) == reference_trace(s, start)
        edge = min(len(s) - 1, s.block * (start % 5) + start % 3)
        assert fast_trace(s, edge) == reference_trace(s, edge)
    finally:
        trace.LINES_PER_RUN = saved


@pytest.mark.parametrize("name", ["default", "rgb-channels", "two-filters", "same-padding",
                                  "bias-relu", "dilation-2", "stride-2", "flip"])
def test_trace_of_presets_is_the_reference(name):
    s = Steps(resolve(name).spec)
    assert fast_trace(s) == reference_trace(s)


def test_every_start_of_a_small_problem():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 5, 4)).round(3).tolist()
    k = rng.normal(size=(2, 2, 2, 3)).tolist()
    s = steps(x, k, padding=1, stride=(2, 1), bias=[0.5, -1], activation="relu")
    full = reference_trace(s)
    lines = full.splitlines(keepends=True)
    for start in range(len(s)):
        assert fast_trace(s, start) == "".join(lines[start:]), start


def test_a_late_start_formats_only_the_cells_after_it(monkeypatch):
    """``--trace --step N`` goes straight to N's cell: nothing before it is generated."""
    rng = np.random.default_rng(4)
    s = steps(rng.integers(-9, 10, size=(40, 40)).tolist(), rng.integers(-3, 4, size=(3, 3)))
    formatted = []
    real = trace._Lines.run

    def spy(self, position, count):
        formatted.append((position, count))
        return real(self, position, count)

    monkeypatch.setattr(trace._Lines, "run", spy)
    start = s.reset_step(1000) + 4
    text = fast_trace(s, start)
    assert formatted[0] == (1000, 1)
    assert sum(count for _, count in formatted) == s.positions - 1000
    assert text == reference_trace(s, start)


@pytest.mark.parametrize("padding, stride", [(0, 1), (2, (1, 3))])
def test_integer_lines_past_their_tables_and_across_thousands(padding, stride):
    """Integer runs: step numbers written as thousands and a padded remainder (runs that
    start below 1,000 and end above it too), values spread too far for a table (products
    up to 10^12, converted one by one), and tables that grow from run to run."""
    rng = np.random.default_rng(9)
    x = rng.integers(-10**6, 10**6 + 1, size=(2, 23, 19))
    x[0, :3] = rng.integers(-2, 3, size=(3, 19))  # small values first, so tables grow
    k = rng.integers(-10**6, 10**6 + 1, size=(3, 2, 3, 2))
    s = steps(x.tolist(), k.tolist(), padding=padding, stride=stride, bias=[7, -10**6, 0],
              activation="relu")
    assert s.spec.integral and len(s) > 8_000
    saved = trace.LINES_PER_RUN
    try:
        for lines_per_run in (7, 900, 4096):
            trace.LINES_PER_RUN = lines_per_run
            assert fast_trace(s) == reference_trace(s)
    finally:
        trace.LINES_PER_RUN = saved


def test_memory_stays_flat_while_streaming():
    """A 260k-line trace (about 40 MB of text) never holds more than a run of it."""
    rng = np.random.default_rng(6)
    s = steps(rng.integers(-9, 10, size=(100, 100)).tolist(),
              rng.integers(-3, 4, size=(5, 5)).tolist())

    class Counter:
        size = 0

        def write(self, text: str) -> None:
            self.size += len(text)

    out = Counter()
    tracemalloc.start()
    try:
        write_trace(s, out)  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.size > 30_000_000
    assert peak < 4_000_000, peak


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_GETPIPE_SZ"), reason="Linux pipes only")
def test_a_trace_into_a_pipe_widens_it_and_writes_the_same_bytes():
    """Into a pipe the trace asks for a 1 MiB buffer (fewer waits on the reader); the
    bytes are those of the Step-based trace."""
    import fcntl
    import os
    import threading

    s = Steps(resolve("edge-detection").spec)
    read_fd, write_fd = os.pipe()
    chunks: list[bytes] = []

    def drain() -> None:
        while chunk := os.read(read_fd, 1 << 16):
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    with os.fdopen(write_fd, "w", encoding="ascii") as out:
        assert fcntl.fcntl(out.fileno(), fcntl.F_GETPIPE_SZ) < 1 << 20
        write_trace(s, out)
        out.flush()
        assert fcntl.fcntl(out.fileno(), fcntl.F_GETPIPE_SZ) >= 1 << 20
    reader.join()
    os.close(read_fd)
    assert b"".join(chunks).decode() == reference_trace(s)
