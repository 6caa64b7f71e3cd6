"""CPU per key: from the press to the finished screen, on the issue's problems.

Headless (Pilot, 120×40). Each key is pressed for real; the figure is the CPU
time of the main thread (where Textual runs, so what blocks the next key) from
just before the press until its messages are handled, its workers have
finished and the screen has been redrawn. On 1024²⊛31² the output sums are
computed in a background thread after the screen shows the problem with its
output values ``…`` (as the issue allows); Pilot waits for the whole process to
be idle, so the figure includes the main thread's share of that load (its
progress and arrival redraws, a fraction of a millisecond). Process CPU (all
threads, background loading included) and wall time are in the note. The
reference is the same measurement around an idle ``pilot.pause()``: Pilot's own
cost (it walks every widget each time it waits, 8–16 ms here), which is taken
off the figure checked against the target; the figure with it is in the note.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from .common import TERMINAL_SIZE, Report, median
from .harness import settle, wait_painted

NAME = "keys"
LIMIT_MS = 20.0


async def timed(app: Any, pilot: Any, action) -> tuple[float, float, float]:
    """(main-thread CPU, process CPU, wall) in ms around ``action`` and the settling."""
    w0, t0, p0 = time.perf_counter(), time.thread_time(), time.process_time()
    await action()
    await settle(app, pilot)
    return ((time.thread_time() - t0) * 1000, (time.process_time() - p0) * 1000,
            (time.perf_counter() - w0) * 1000)


async def pick(app: Any, pilot: Any, name: str) -> None:
    """Open the picker with ``p`` and highlight preset ``name`` (Enter is pressed later)."""
    from textual.widgets import OptionList

    await pilot.press("p")  # its worker waits for the picker: do not wait for workers
    while not app.screen.query(OptionList):
        await pilot.pause()
    options = app.screen.query_one(OptionList)
    ids = [option.id for option in options.options]
    options.highlighted = ids.index(name)
    await pilot.pause()


async def measure(preset: Any, folder: Path, back: str, quick: bool) -> dict[str, list]:
    from eigenvue_tui.app import ConvolutionApp

    app = ConvolutionApp(preset, preset_dirs=(folder,))
    samples: dict[str, list] = {}

    async def press(key: str) -> None:
        await pilot.press(key)

    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await wait_painted(app, pilot)
        await settle(app, pilot)  # background loads (catalogue, sums) finish first
        samples["idle pause"] = [await timed(app, pilot, pilot.pause) for _ in range(10)]
        presses = 10 if quick else 40
        cycles = 3 if quick else 9  # each option round its 3 values, 3 times over
        keys = ["right"] * presses + ["s", "z", "d"] * cycles + ["end", "home"] * (presses // 4)
        for key in keys:
            samples.setdefault(key, []).append(await timed(app, pilot, lambda k=key: press(k)))
        for _ in range(1 if quick else 3):  # one switch swung by half between runs
            for target, label in ((back, "preset switch away"),
                                  (preset.name, "preset switch in")):
                await pick(app, pilot, target)
                samples.setdefault(label, []).append(await timed(app, pilot,
                                                                 lambda: press("enter")))
    return samples


def run(report: Report, quick: bool, paths: dict[str, Path | None], folder: Path) -> None:
    from eigenvue_tui.presets import load_preset, resolve

    for case, path in paths.items():
        preset = resolve("default") if path is None else load_preset(path, path.stem)
        back = "default" if path is not None else "identity"
        samples = asyncio.run(measure(preset, folder, back, quick))
        idle = median([s[0] for s in samples.pop("idle pause")])
        for key, figures in samples.items():
            main = median([s[0] for s in figures])
            app = main - idle  # what the app spent: Pilot's polling is in both
            report.add(NAME, case, f"{key}: main-thread CPU less Pilot's, median of "
                       f"{len(figures)}", app, "ms", reference=idle,
                       reference_name="ms idle pause", target=f"< {LIMIT_MS:.0f} ms",
                       check=app < LIMIT_MS,
                       note=f"with Pilot's {main:.1f} ms, max {max(s[0] for s in figures):.1f}"
                            f" ms; process CPU median {median([s[1] for s in figures]):.1f} ms;"
                            f" wall median {median([s[2] for s in figures]):.0f} ms")
