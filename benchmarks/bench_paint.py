"""First paint: launch to the explorer's first frame, against an empty Textual app.

In tmux: ``python -m eigenvue_tui FILE`` and ``python empty.py`` in a 120×40
pane, from new-session until the pane shows the status line. Headless: in this
process (imports done), from building the App until the compositor shows it.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from .common import TERMINAL_SIZE, Report, median
from .harness import EMPTY_APP, PAINTED, Tmux, app_command, empty_app, wait_painted

NAME = "first paint"
LIMIT = 1.5


def tmux_paint(tmux: Tmux, command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        with tmux.session(command) as name:
            times.append(tmux.wait_for(name, PAINTED) - t0)
    return times


async def headless_paint(make) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), time.process_time()
    app = make()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await wait_painted(app, pilot)
        return time.perf_counter() - w0, time.process_time() - c0


def run(report: Report, quick: bool, paths: dict[str, Path | None], workdir: Path,
        tmux: Tmux | None) -> None:
    from eigenvue_tui.app import ConvolutionApp
    from eigenvue_tui.presets import load_preset, resolve

    runs = 1 if quick else 3
    if tmux is not None:
        script = workdir / "empty.py"
        script.write_text(EMPTY_APP)
        empty = median(tmux_paint(tmux, [app_command(None)[0], str(script)], runs))
        for case, path in paths.items():
            ours = tmux_paint(tmux, app_command(path), runs)
            report.add(NAME, case, f"tmux: launch → first frame, median of {runs}",
                       median(ours), "s", reference=empty, reference_name="s empty app",
                       target=f"≤ {LIMIT}× empty", check=median(ours) <= LIMIT * empty,
                       note="runs " + ", ".join(f"{t:.2f}" for t in ours))
    empty_wall = median([asyncio.run(headless_paint(empty_app))[0] for _ in range(runs)])
    for case, path in paths.items():
        preset = resolve("default") if path is None else load_preset(path)
        figures = [asyncio.run(headless_paint(lambda p=preset: ConvolutionApp(p)))
                   for _ in range(runs)]
        wall = median([w for w, _ in figures])
        report.add(NAME, case, f"headless: App() → first frame, median of {runs}", wall, "s",
                   reference=empty_wall, reference_name="s empty app",
                   target=f"≤ {LIMIT}× empty", check=wall <= LIMIT * empty_wall,
                   note=f"CPU {median([c for _, c in figures]):.2f} s (all threads); "
                        "preset already parsed, imports done")
