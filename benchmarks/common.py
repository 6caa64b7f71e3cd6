"""What every benchmark shares: results with their references, the problems, timing helpers."""

from __future__ import annotations

import json
import random
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEED = 20240531
TERMINAL_SIZE = (120, 40)
# The problems of issue 11: name → (input shape, kernel shape).
PROBLEMS: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "512²⊛9²": ((512, 512), (9, 9)),
    "3×256²⊛16×3×3²": ((3, 256, 256), (16, 3, 3, 3)),
    "1024²⊛31²": ((1024, 1024), (31, 31)),
}
TRACE_PROBLEM = {"128²⊛5²": ((128, 128), (5, 5))}


@dataclass
class Result:
    """One figure, and the reference it is compared with (measured in the same run)."""

    module: str
    case: str
    metric: str
    value: float | None
    unit: str
    reference: float | None = None
    reference_name: str = ""
    target: str = ""
    ok: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.reference:
            return None
        return self.value / self.reference


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    def add(self, module: str, case: str, metric: str, value: float | None, unit: str, *,
            reference: float | None = None, reference_name: str = "", target: str = "",
            check: bool | None = None, note: str = "") -> Result:
        """``target`` is a text for the reader; ``check`` says whether it holds."""
        result = Result(module, case, metric, value, unit, reference, reference_name, target,
                        check, note)
        self.results.append(result)
        return result

    def error(self, module: str, case: str, error: BaseException) -> None:
        self.results.append(Result(module, case, "error", None, "", ok=False,
                                   note=f"{type(error).__name__}: {error}"))


def shown(value: float | None) -> str:
    if value is None:
        return "—"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if magnitude >= 0.1 or value == 0 else f"{value:.3f}"


def table(report: Report) -> str:
    headers = ("module", "case", "metric", "value", "unit", "reference", "ratio", "target",
               "ok")
    rows = []
    for r in report.results:
        reference = f"{shown(r.reference)} {r.reference_name}".strip() if r.reference else ""
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else ""
        ok = {True: "ok", False: "MISS", None: ""}[r.ok]
        rows.append((r.module, r.case, r.metric, shown(r.value) if r.metric != "error" else "",
                     r.unit, reference, ratio, r.target, "ERROR" if r.metric == "error" else ok,
                     r.note))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in rows:
        cells = [c.rjust(w) if i in (3, 6) else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row[:-1], widths, strict=False))]
        lines.append("  ".join(cells).rstrip())
        if row[-1]:
            lines.append(" " * (widths[0] + 2) + "↳ " + row[-1])
    return "\n".join(lines)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def random_grid(shape: tuple[int, ...], rng: random.Random, low: int, high: int) -> list[Any]:
    if len(shape) == 1:
        return [rng.randint(low, high) for _ in range(shape[0])]
    return [random_grid(shape[1:], rng, low, high) for _ in range(shape[0])]


def problem_data(name: str) -> dict[str, Any]:
    """A preset (as JSON data) for one of the issue's problems: random integers."""
    input_shape, kernel_shape = {**PROBLEMS, **TRACE_PROBLEM}[name]
    rng = random.Random(SEED)
    return {
        "title": f"Benchmark {name}",
        "description": f"Random integers, {name}.",
        "input": random_grid(input_shape, rng, -9, 9),
        "kernel": random_grid(kernel_shape, rng, -3, 3),
    }


def write_problems(folder: Path, names: list[str]) -> dict[str, Path]:
    """Preset files for these problems (``default`` is the built-in preset)."""
    paths = {}
    for name in names:
        if name == "default":
            continue
        slug = "bench-" + "".join(c if c.isalnum() else "-" for c in name.encode(
            "ascii", "replace").decode())
        path = folder / f"{slug}.json"
        path.write_text(json.dumps(problem_data(name)))
        paths[name] = path
    return paths


def spec_of(name: str) -> Any:
    from eigenvue_tui.presets import parse_preset, resolve

    if name == "default":
        return resolve("default").spec
    return parse_preset(problem_data(name), "bench", "benchmark").spec
