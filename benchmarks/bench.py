#!/usr/bin/env python
"""Benchmarks for eigenvue-tui: engine, --trace, the app headless and under tmux, first paint.

Run from the repository with the project's environment::

    python benchmarks/bench.py            # everything, about 1–2 minutes on 2 cores
    python benchmarks/bench.py --quick    # fewer repetitions, well under a minute
    python benchmarks/bench.py --skip-tmux --json

Each figure is compared with its target from issue 2 §6; see benchmarks/README.md
for what every number means and how it is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

TERMINAL_SIZE = (120, 40)
SEED = 20240531


# -- results ---------------------------------------------------------------


@dataclass
class Result:
    """One figure: what was measured, its value, and how it compares with its target."""

    section: str
    case: str
    metric: str
    value: float | None
    unit: str
    target: str = ""
    ok: bool | None = None
    note: str = ""


class Report:
    """Collects results; a target is a string like ``"< 0.2"`` in the result's unit."""

    def __init__(self) -> None:
        self.results: list[Result] = []

    def add(self, section: str, case: str, metric: str, value: float | None, unit: str,
            target: str = "", note: str = "") -> Result:
        ok: bool | None = None
        if target and value is not None:
            op, threshold = target.split()
            limit = float(threshold)
            ok = {"<": value < limit, "<=": value <= limit,
                  ">": value > limit, ">=": value >= limit}[op]
        result = Result(section, case, metric, value, unit, target, ok, note)
        self.results.append(result)
        return result

    def error(self, section: str, case: str, error: BaseException | str) -> None:
        text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        self.results.append(Result(section, case, "error", None, "", "", False, text))

    def skip(self, section: str, case: str, why: str) -> None:
        self.results.append(Result(section, case, "skipped", None, "", "", None, why))

    @property
    def misses(self) -> list[Result]:
        return [r for r in self.results if r.ok is False]


def format_value(value: float | None) -> str:
    if value is None:
        return "—"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def print_table(report: Report, out: Any = sys.stdout) -> None:
    headers = ("section", "case", "metric", "value", "unit", "target", "status")
    rows = []
    for r in report.results:
        status = {True: "ok", False: "MISS", None: ""}[r.ok]
        if r.metric == "error":
            status = "ERROR"
        elif r.metric == "skipped":
            status = "skip"
        rows.append((r.section, r.case, r.metric, format_value(r.value) if r.metric not in
                     ("error", "skipped") else "", r.unit, r.target, status, r.note))
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    right = {3}

    def line(cells: tuple[str, ...]) -> str:
        parts = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(cells, widths, strict=False))]
        return "  ".join(parts).rstrip()

    print(line(headers), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    previous = None
    for row in rows:
        if previous is not None and row[0] != previous:
            print(file=out)
        previous = row[0]
        print(line(row[:7]), file=out)
        if row[7]:
            print(" " * (widths[0] + 2) + "  ↳ " + row[7], file=out)


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# -- problems ----------------------------------------------------------------


def random_grid(shape: tuple[int, ...], rng: random.Random, low: int = -9,
                high: int = 9) -> list[Any]:
    if len(shape) == 1:
        return [rng.randint(low, high) for _ in range(shape[0])]
    return [random_grid(shape[1:], rng, low, high) for _ in range(shape[0])]


ENGINE_CASES: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "512×512 * 9×9": ((512, 512), (9, 9)),
    "3×128×128 * 8×3×5×5": ((3, 128, 128), (8, 3, 5, 5)),
}


def engine_problem(case: str) -> tuple[list[Any], list[Any]]:
    input_shape, kernel_shape = ENGINE_CASES[case]
    rng = random.Random(SEED)
    return random_grid(input_shape, rng), random_grid(kernel_shape, rng, -3, 3)


def preset_data(side: int, k: int, title: str) -> dict[str, Any]:
    rng = random.Random(SEED + side * 100 + k)
    return {
        "title": title,
        "description": f"Benchmark: random {side}×{side} input, random {k}×{k} kernel.",
        "input": random_grid((side, side), rng),
        "kernel": random_grid((k, k), rng, -3, 3),
    }


def n_steps(side: int, k: int) -> int:
    out = side - k + 1
    return 2 + out * out * (k * k + 2)


def current_rss_kib() -> int | None:
    """The resident set size now (Linux), or ``None`` where /proc is missing."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def max_rss_kib(usage: resource.struct_rusage) -> float:
    """``ru_maxrss`` in KiB (Linux reports KiB, macOS bytes)."""
    return usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss


# -- (a) engine ----------------------------------------------------------------


def engine_child(case: str, accesses: int) -> None:
    """Run in a fresh interpreter: RSS growth while constructing and accessing steps."""
    import numpy  # noqa: F401  (baseline includes numpy, as an importing user would have)

    from eigenvue_tui import steps

    data, kernel = engine_problem(case)
    rng = random.Random(SEED)
    gc.collect()
    baseline = current_rss_kib()
    peak_before = max_rss_kib(resource.getrusage(resource.RUSAGE_SELF))
    if baseline is None:
        baseline = int(peak_before)
    s = steps(data, kernel)
    for _ in range(accesses):
        s[rng.randrange(len(s))]
    peak_after = max_rss_kib(resource.getrusage(resource.RUSAGE_SELF))
    print(json.dumps({"baseline_kib": baseline, "peak_before_kib": peak_before,
                      "peak_after_kib": peak_after}))


def bench_engine(report: Report, quick: bool) -> None:
    from eigenvue_tui import steps
    from eigenvue_tui.engine import Steps
    from eigenvue_tui.spec import make_spec

    runs = 3 if quick else 5
    accesses = 5_000 if quick else 20_000
    for case in ENGINE_CASES:
        section = "a engine"
        try:
            data, kernel = engine_problem(case)
            construct, build = [], []
            s = None
            for _ in range(runs):
                gc.collect()
                t0 = time.perf_counter()
                s = steps(data, kernel)
                construct.append(time.perf_counter() - t0)
                spec = s.spec
                t0 = time.perf_counter()
                Steps(spec)
                build.append(time.perf_counter() - t0)
            assert s is not None
            t0 = time.perf_counter()
            make_spec(data, kernel)
            validate = time.perf_counter() - t0
            report.add(section, case, "steps", len(s), "steps")
            report.add(section, case, "construct steps() median", statistics.median(construct),
                       "s", "< 0.2",
                       note=f"of {runs}; of which make_spec validation ≈ {validate:.3f} s, "
                            f"Steps(spec) alone median {statistics.median(build):.3f} s")

            rng = random.Random(SEED)
            indices = [rng.randrange(len(s)) for _ in range(accesses)]
            for i in indices[:500]:  # warm up
                s[i]
            samples = []
            clock = time.perf_counter_ns
            for i in indices:
                t0 = clock()
                s[i]
                samples.append((clock() - t0) / 1000)
            mean = statistics.fmean(samples)
            report.add(section, case, f"random s[i] mean ({accesses:,})", mean, "µs", "< 50")
            report.add(section, case, "random s[i] p95", percentile(samples, 95), "µs", "< 50")

            del s
            gc.collect()
            tracemalloc.start()
            s = steps(data, kernel)
            for i in indices:
                s[i]
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            del s
            report.add(section, case, "tracemalloc peak", peak / 2**20, "MB", "< 150",
                       note="construction + the random accesses (Python and numpy allocations)")

            child = subprocess.run(
                [sys.executable, __file__, "--_engine-child", case, "--_accesses",
                 str(accesses)],
                capture_output=True, text=True, timeout=120, check=False,
            )
            if child.returncode != 0:
                raise RuntimeError(f"subprocess failed: {child.stderr.strip()[-300:]}")
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            delta = (figures["peak_after_kib"] - figures["baseline_kib"]) / 1024
            report.add(section, case, "ru_maxrss growth (fresh process)", delta, "MB", "< 150",
                       note=f"peak RSS {figures['peak_after_kib'] / 1024:.0f} MB over a "
                            f"baseline of {figures['baseline_kib'] / 1024:.0f} MB "
                            "(Python + numpy + the input lists)")
        except Exception as error:
            report.error(section, case, error)


# -- (b) --trace -----------------------------------------------------------------


def run_trace(preset_path: Path) -> dict[str, float]:
    """Run ``python -m eigenvue_tui PRESET --trace``, counting lines from a pipe."""
    command = [sys.executable, "-m", "eigenvue_tui", str(preset_path), "--trace"]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    fd = proc.stdout.fileno()
    lines = 0
    first = last = None
    tail = b""
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        now = time.perf_counter()
        if first is None:
            first = now
        last = now
        lines += chunk.count(b"\n")
        tail = (tail + chunk)[-1 << 20:]
    end = time.perf_counter()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"--trace exited {proc.returncode}: {stderr.decode()[-300:]}")
    last_line = tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    if json.loads(last_line).get("phase") != "done":
        raise RuntimeError("the trace does not end with a done step")
    assert first is not None and last is not None
    return {
        "lines": lines,
        "wall": end - start,
        "stream": last - first,
        "cpu": usage.ru_utime + usage.ru_stime,
        "max_rss_mb": max_rss_kib(usage) / 1024,
    }


def bench_trace(report: Report, quick: bool, workdir: Path) -> None:
    section = "b --trace"
    cases = [(16, 3), (64, 5)] if quick else [(16, 3), (64, 5), (128, 5)]
    rss: dict[int, float] = {}
    for side, k in cases:
        case = f"{side}×{side} * {k}×{k}"
        try:
            path = workdir / f"trace{side}.json"
            path.write_text(json.dumps(preset_data(side, k, f"trace {case}")))
            figures = run_trace(path)
            expected = n_steps(side, k)
            if figures["lines"] != expected:
                raise RuntimeError(f"{figures['lines']} lines, expected {expected}")
            report.add(section, case, "steps (lines counted)", figures["lines"], "steps")
            report.add(section, case, "throughput, launch to EOF", figures["lines"] /
                       figures["wall"], "steps/s",
                       note=f"{figures['wall']:.2f} s wall incl. interpreter start, "
                            f"{figures['cpu']:.2f} s CPU")
            if figures["lines"] > 10_000:
                report.add(section, case, "throughput, streaming",
                           (figures["lines"] - 1) / max(figures["stream"], 1e-9), "steps/s",
                           note="first line to last line, start-up excluded")
            report.add(section, case, "max RSS of the process", figures["max_rss_mb"], "MB")
            rss[figures["lines"]] = figures["max_rss_mb"]
        except Exception as error:
            report.error(section, case, error)
    if len(rss) >= 2:
        small, large = min(rss), max(rss)
        report.add(section, "flat memory", f"RSS growth {small:,} → {large:,} steps",
                   rss[large] - rss[small], "MB", "< 10",
                   note=f"×{large / small:.0f} the steps; memory must not follow")


# -- (c) the app, headless --------------------------------------------------------


async def _press_cpu(preset: Any, presses: int) -> dict[str, Any]:
    from eigenvue_tui.app import ConvolutionApp

    app = ConvolutionApp(preset)
    clock = time.process_time
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        last = screen.steps.last

        async def rewind_if_at_end() -> None:
            if screen.step >= last:
                await pilot.press("home")
                await pilot.pause()

        for _ in range(5):  # warm up caches (styles, fonts of the compositor)
            await rewind_if_at_end()
            await pilot.press("right")
            await pilot.pause()

        idle: list[float] = []
        for _ in range(min(presses, 30)):  # Pilot's own cost when there is nothing to do
            t0 = clock()
            await pilot.pause()
            idle.append((clock() - t0) * 1000)

        keypress: list[float] = []
        for _ in range(presses):
            await rewind_if_at_end()
            before = screen.step
            t0 = clock()
            await pilot.press("right")
            await pilot.pause()
            keypress.append((clock() - t0) * 1000)
            if screen.step != before + 1:
                raise RuntimeError(f"→ moved from step {before} to {screen.step}")

        # The same step, without the key path and Pilot's idle waits: the step
        # handler alone, then the handler plus draining messages and a forced
        # compositor update (what the screen's update timer would do next).
        handler: list[float] = []
        direct: list[float] = []
        wait = getattr(pilot, "_wait_for_screen", None)
        for _ in range(presses):
            await rewind_if_at_end()
            await pilot.pause()
            t0 = clock()
            screen.step += 1
            t1 = clock()
            if wait is not None:
                await wait()
            screen._on_timer_update()
            t2 = clock()
            handler.append((t1 - t0) * 1000)
            direct.append((t2 - t0) * 1000)
        await pilot.pause()
        shown = f"Step {screen.step} / {last}"
        if shown not in screen_text(screen):
            raise RuntimeError(f"{shown!r} is not on the screen after the presses")
        return {"steps": last + 1, "keypress": keypress, "handler": handler, "direct": direct,
                "idle": idle}


def screen_text(screen: Any) -> str:
    """The text of what the compositor would paint now (every visible line)."""
    strips = screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def bench_app(report: Report, quick: bool) -> None:
    from eigenvue_tui.presets import parse_preset, resolve

    section = "c app headless"
    presses = 40 if quick else 200
    problems = [
        ("default", lambda: resolve("default")),
        ("64×64 * 5×5", lambda: parse_preset(preset_data(64, 5, "bench 64×64 * 5×5"),
                                             "bench64", "bench")),
    ]
    for case, make in problems:
        try:
            figures = asyncio.run(_press_cpu(make(), presses))
            keypress = figures["keypress"]
            report.add(section, case, f"CPU per → (press+pause) median, n={presses}",
                       statistics.median(keypress), "ms", "< 16",
                       note=f"{figures['steps']:,} steps; process_time from before "
                            "pilot.press('right') to after pilot.pause()")
            report.add(section, case, "CPU per → (press+pause) p95", percentile(keypress, 95),
                       "ms")
            report.add(section, case, "CPU of an idle pilot.pause(), median",
                       statistics.median(figures["idle"]), "ms",
                       note="Pilot's own overhead, included in the press+pause figures")
            report.add(section, case, "CPU step handler only, median",
                       statistics.median(figures["handler"]), "ms",
                       note="screen.step += 1 (watch_step → _render_step), no drawing")
            report.add(section, case, "CPU handler + compositor median",
                       statistics.median(figures["direct"]), "ms", "< 16",
                       note="step += 1, drain messages, forced screen update; no Pilot waits")
            report.add(section, case, "CPU handler + compositor p95",
                       percentile(figures["direct"], 95), "ms")
        except Exception as error:
            report.error(section, case, error)


# -- tmux --------------------------------------------------------------------------


class Tmux:
    """A private tmux server (its own socket), so only sessions we start are touched."""

    def __init__(self) -> None:
        self.executable = shutil.which("tmux") or "/usr/bin/tmux"
        self.socket = f"eigenvue-bench-{os.getpid()}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        self.counter = 0
        self.started = False

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.executable, "-f", "/dev/null", "-L", self.socket, *args],
            capture_output=True, text=True, check=check, env=self.env, timeout=30,
        )

    @contextmanager
    def session(self, command: list[str]) -> Iterator[str]:
        self.counter += 1
        name = f"bench-{os.getpid()}-{self.counter}"
        width, height = TERMINAL_SIZE
        self.started = True
        self.run("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
                 "exec " + shlex.join(command))
        try:
            yield name
        finally:
            self.run("kill-session", "-t", name, check=False)

    def capture(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-t", name, check=False).stdout

    def wait_for(self, name: str, text: str, timeout: float, interval: float = 0.01) -> float:
        """Poll the pane until ``text`` shows; return the perf_counter time it was seen."""
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.capture(name)
            now = time.perf_counter()
            if text in screen:
                return now
            if now > deadline:
                shown = " | ".join(line.strip() for line in screen.splitlines() if line.strip())
                raise TimeoutError(f"{text!r} not shown after {timeout:.0f} s; pane: "
                                   f"{shown[-200:] or '(empty)'}")
            time.sleep(interval)

    def close(self) -> None:
        """Stop our private server and remove its socket file (tmux leaves it behind)."""
        if not self.started:
            return
        self.run("kill-server", check=False)
        folder = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)


def app_command() -> list[str]:
    script = Path(sys.executable).with_name("eigenvue-tui")
    if script.exists():
        return [str(script)]
    found = shutil.which("eigenvue-tui")
    return [found] if found else [sys.executable, "-m", "eigenvue_tui"]


def bench_tmux_keys(report: Report, tmux: Tmux, quick: bool, workdir: Path) -> None:
    section = "c' app in tmux"
    case = "64×64 * 5×5"
    keys = 100 if quick else 300
    try:
        path = workdir / "tmux64.json"
        path.write_text(json.dumps(preset_data(64, 5, "bench 64×64 * 5×5")))
        with tmux.session([*app_command(), str(path)]) as name:
            tmux.wait_for(name, "Step 0 /", timeout=30)
            time.sleep(0.5)  # let the first paint and mount settle
            t0 = time.perf_counter()
            tmux.run("send-keys", "-t", name, *(["Right"] * keys))
            sent = time.perf_counter()
            seen = tmux.wait_for(name, f"Step {keys} /", timeout=60)
            elapsed = seen - t0
            time.sleep(0.3)
            final = tmux.capture(name)
            overshoot = f"Step {keys + 1} /" in final
        report.add(section, case, f"steps/s, {keys} × Right sent at once", keys / elapsed,
                   "steps/s", ">= 60",
                   note=f"{elapsed:.2f} s from send-keys to 'Step {keys} /' on the pane "
                        f"(send-keys itself {sent - t0:.3f} s; pane polled every 10 ms)"
                        + ("; WARNING: went past the target step" if overshoot else ""))
    except Exception as error:
        report.error(section, case, error)


def bench_first_paint(report: Report, tmux: Tmux | None, quick: bool) -> None:
    section = "d first paint"
    runs = 1 if quick else 3
    if tmux is not None:
        case = "tmux, default"
        try:
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                with tmux.session(app_command()) as name:
                    seen = tmux.wait_for(name, "Step 0 / 55", timeout=30)
                    times.append(seen - t0)
            report.add(section, case, f"launch → 'Step 0 / 55' median of {runs}",
                       statistics.median(times), "s",
                       note="new-session to the status line in capture-pane (polled every "
                            "10 ms): interpreter start, imports, mount, first frame; runs "
                            + ", ".join(f"{t:.2f}" for t in times))
        except Exception as error:
            report.error(section, case, error)

    case = "headless, default"
    try:
        wall, cpu = [], []
        for _ in range(runs):
            w, c = asyncio.run(_headless_ready())
            wall.append(w)
            cpu.append(c)
        report.add(section, case, f"App() → run_test ready, wall median of {runs}",
                   statistics.median(wall), "s",
                   note="in this process (imports already done); includes Pilot's waits")
        report.add(section, case, "App() → run_test ready, CPU median",
                   statistics.median(cpu), "s")
    except Exception as error:
        report.error(section, case, error)


async def _headless_ready() -> tuple[float, float]:
    from eigenvue_tui.app import ConvolutionApp
    from eigenvue_tui.presets import resolve

    preset = resolve("default")
    w0, c0 = time.perf_counter(), time.process_time()
    app = ConvolutionApp(preset)
    async with app.run_test(size=TERMINAL_SIZE):
        w1, c1 = time.perf_counter(), time.process_time()
    return w1 - w0, c1 - c0


# -- main --------------------------------------------------------------------------


def run_sections(report: Report, sections: list[tuple[str, Callable[[], None]]]) -> None:
    for label, run in sections:
        print(f"… {label}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            run()
        except Exception as error:  # a section's own errors are caught inside; belt and braces
            traceback.print_exc()
            report.error(label, "", error)
        print(f"  done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--skip-tmux", action="store_true",
                        help="skip the real-terminal measurements (c') and (d) under tmux")
    parser.add_argument("--json", action="store_true",
                        help="print machine-readable results (JSON) instead of the table")
    parser.add_argument("--only", metavar="LIST",
                        help="run only these sections, comma-separated from a,b,c,c',d")
    parser.add_argument("--_engine-child", help=argparse.SUPPRESS)
    parser.add_argument("--_accesses", type=int, default=20_000, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._engine_child:
        engine_child(args._engine_child, args._accesses)
        return 0

    import textual

    report = Report()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    started = time.perf_counter()
    tmux: Tmux | None = None
    if not args.skip_tmux:
        if shutil.which("tmux") or Path("/usr/bin/tmux").exists():
            tmux = Tmux()
        else:
            report.skip("c' app in tmux", "", "tmux not found")
    with tempfile.TemporaryDirectory(prefix="eigenvue-bench-") as tmp:
        workdir = Path(tmp)
        sections: list[tuple[str, Callable[[], None]]] = [
            ("a engine", lambda: bench_engine(report, args.quick)),
            ("b --trace", lambda: bench_trace(report, args.quick, workdir)),
            ("c app headless", lambda: bench_app(report, args.quick)),
        ]
        if tmux is not None:
            sections.append(("c' app in tmux",
                             lambda: bench_tmux_keys(report, tmux, args.quick, workdir)))
        sections.append(("d first paint", lambda: bench_first_paint(report, tmux, args.quick)))
        if args.only:
            wanted = {part.strip() for part in args.only.split(",")}
            sections = [entry for entry in sections if entry[0].split()[0] in wanted]
        try:
            run_sections(report, sections)
        finally:
            if tmux is not None:
                tmux.close()
    elapsed = time.perf_counter() - started

    meta = {
        "python": platform.python_version(),
        "textual": getattr(textual, "__version__", "?"),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in load],
        "quick": args.quick,
        "elapsed_s": round(elapsed, 1),
    }
    if args.json:
        print(json.dumps({"meta": meta, "results": [asdict(r) for r in report.results],
                          "misses": [f"{r.section} / {r.case} / {r.metric}"
                                     for r in report.misses]}, indent=2, ensure_ascii=False))
        return 0
    print(f"eigenvue-tui benchmarks — Python {meta['python']}, Textual {meta['textual']}, "
          f"{meta['cpus']} CPUs, {'quick' if args.quick else 'full'} run, {elapsed:.0f} s, "
          f"load average at start {load[0]:.2f}")
    if load[0] > 0.5 * (os.cpu_count() or 1):
        print("note: the machine was busy when the run started; timings may be inflated")
    print()
    print_table(report)
    print()
    misses = report.misses
    if misses:
        print(f"{len(misses)} figure(s) missed their target:")
        for r in misses:
            shown = r.note if r.metric == "error" else f"{format_value(r.value)} {r.unit}, " \
                                                       f"target {r.target}"
            print(f"  - {r.section} / {r.case} / {r.metric}: {shown}")
    else:
        print("All figures with a target meet it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
