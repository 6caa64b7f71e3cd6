"""``--trace`` throughput from a pipe, against a plain printer and the pipe itself.

Three child processes write to a pipe that this process drains and counts:
``eigenvue-tui FILE --trace``; a Python loop writing one precomputed line per
step (``sys.stdout.write`` in a ``for``); and one writing 1 MiB blocks of those
lines (the pipe's own ceiling). Rates are lines per second from the first byte
to the last line counted, so interpreter start-up is left out.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from .common import Report, median

NAME = "trace"
LINE = ('{"step":123456,"phase":"mac","line":13,"row":12,"col":345,"kr":4,"kc":5,'
        '"in_row":16,"in_col":350,"input":-7,"weight":2,"product":-14,"sum":-31}\n')
PRINTER = f"""
import sys
line = {LINE!r}
write = sys.stdout.write
for _ in range(int(sys.argv[1])):
    write(line)
"""
PIPE = f"""
import sys
block = ({LINE!r} * ((1 << 20) // {len(LINE)})).encode()
out = sys.stdout.buffer
for _ in range(int(sys.argv[1]) // block.count(b"\\n") + 1):
    out.write(block)
"""


def drain(command: list[str], limit: int | None) -> dict[str, float]:
    """Count lines from ``command``'s stdout (stop after ``limit``); rate and peak RSS."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    lines, first, tail = 0, None, b""
    while limit is None or lines < limit:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        if first is None:
            first = time.perf_counter()
        lines += chunk.count(b"\n")
        tail = (tail + chunk)[-(1 << 20):]
    end = time.perf_counter()
    proc.stdout.close()
    _, _status, usage = os.wait4(proc.pid, 0)
    assert first is not None, "no output"
    return {"lines": lines, "rate": lines / (end - first), "first_line": first - t0,
            "rss_mb": usage.ru_maxrss / 1024, "tail": tail.decode(errors="replace")}


def trace_command(path: Path, start: int | None = None) -> list[str]:
    command = [sys.executable, "-m", "eigenvue_tui", str(path), "--trace"]
    return [*command, "--step", str(start)] if start is not None else command


def run(report: Report, quick: bool, paths: dict[str, Path]) -> None:
    from eigenvue_tui.engine import Steps
    from eigenvue_tui.presets import load_preset

    cases = [("128²⊛5²", paths["128²⊛5²"], None), ("512²⊛9²", paths["512²⊛9²"], 5_000_000)]
    if quick:
        cases = [("128²⊛5²", paths["128²⊛5²"], None), ("512²⊛9²", paths["512²⊛9²"], 1_000_000)]
    runs = 1 if quick else 3  # side by side, each run's pair in turn: a busy moment
    for case, path, limit in cases:  # of the machine lands in one pair, not in one side
        rates: dict[str, list[float]] = {"ours": [], "printer": [], "pipe": []}
        for _ in range(runs):
            ours = drain(trace_command(path), limit)
            if limit is None and '"phase":"done"' not in ours["tail"]:
                raise AssertionError("the trace does not end with done")
            n = ours["lines"]
            rates["ours"].append(ours["rate"])
            rates["printer"].append(drain([sys.executable, "-c", PRINTER, str(n)], None)["rate"])
            rates["pipe"].append(drain([sys.executable, "-c", PIPE, str(n)], n)["rate"])
        rate, printer, pipe = (median(rates[k]) for k in ("ours", "printer", "pipe"))
        label = f"{n:,} lines" if limit is None else f"first {n / 1e6:.0f}M lines"
        report.add(NAME, case, f"--trace steps/s, {label}, median of {runs}", rate, "lines/s",
                   reference=printer, reference_name="precomputed-line printer",
                   target="≥ 1× the printer", check=rate >= printer,
                   note=f"the pipe itself: {pipe:,.0f} lines/s; "
                        f"max RSS {ours['rss_mb']:.0f} MB")
    # --trace --step N: as fast from the middle as from the start, memory the same.
    case, path = "512²⊛9²", paths["512²⊛9²"]
    middle = Steps(load_preset(path).spec).last // 2
    limit = 500_000 if quick else 2_000_000
    pairs = [(drain(trace_command(path), limit), drain(trace_command(path, middle), limit))
             for _ in range(runs)]  # side by side, as above: one pair alone swung 0.5–1.2×
    start_rate, later_rate = (median([pair[i]["rate"] for pair in pairs]) for i in (0, 1))
    start, later = pairs[-1]
    report.add(NAME, case, f"--trace --step {middle:,}: steps/s, median of {runs}", later_rate,
               "lines/s", reference=start_rate, reference_name="from step 0", target="≈ 1×",
               check=later_rate >= 0.8 * start_rate,
               note=f"first line after {later['first_line']:.2f} s "
                    f"(from 0: {start['first_line']:.2f} s); max RSS {later['rss_mb']:.0f} MB "
                    f"(from 0: {start['rss_mb']:.0f} MB)")
