"""One step as Markdown for notes: the grids as tables, the pseudocode line, the sentence.

Pure (no Textual): ``--export-markdown`` prints it. Marks a reader can see in
plain text too: the window's cells in **bold**, the current cell as **[v]**,
padding in _italics_, output cells not yet written as ``·``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .engine import Steps
from .formatting import format_number
from .view_model import explain, frame_at, phase_label

Mark = Callable[[int, int, str], str]


def step_markdown(steps: Steps, index: int, title: str = "") -> str:
    """The Markdown of step ``index``: heading, tables, pseudocode line, explanation."""
    steps.compute_sums()  # the output table shows every written value
    spec = steps.spec
    frame = frame_at(steps, index)
    step = frame.step
    heading = f"## {title} — step {index} / {steps.last}" if title else f"## Step {index}"
    lines = [heading, "", f"*{phase_label(steps, index)}*"]
    options = spec.describe_options()
    if options:
        lines[-1] += f" · {options}"
    lines += ["", f"`{steps.listing.lines[step.line - 1].strip()}`", "", explain(steps, step), ""]
    top, _, left, _ = spec.padding
    kh, kw = spec.kernel_height, spec.kernel_width
    dh, dw = spec.dilation
    window = set()
    if frame.window is not None:
        r0, c0 = frame.window
        window = {(r0 + kr * dh, c0 + kc * dw) for kr in range(kh) for kc in range(kw)}
    for ch in range(spec.channels):
        padded = steps.padded_input[ch]

        def input_mark(r: int, c: int, text: str, ch: int = ch) -> str:
            if frame.input_cell == (r, c) and frame.channel == ch:
                return f"**[{text}]**"
            if (r, c) in window:
                return f"**{text}**"
            outside = not (top <= r < top + spec.height and left <= c < left + spec.width)
            return f"_{text}_" if outside else text

        name = f"input[{ch}]" if spec.has_channels else "input"
        lines += _table(name, padded, input_mark, -top, -left)
    for f in range(spec.filters):
        for ch in range(spec.channels):
            def kernel_mark(r: int, c: int, text: str, f: int = f, ch: int = ch) -> str:
                here = frame.kernel_cell == (r, c) and (frame.filter, frame.channel) == (f, ch)
                return f"**[{text}]**" if here else text

            name = "kernel" + (f"[{f}]" if spec.has_filters else "") + (
                f"[{ch}]" if spec.has_channels else "")
            lines += _table(name, spec.kernel[f, ch], kernel_mark)
    out_h, out_w = spec.out_height, spec.out_width
    for f in range(spec.filters):
        def output_mark(r: int, c: int, text: str, f: int = f) -> str:
            flat = (f * out_h + r) * out_w + c
            here = frame.output_cell == (r, c) and frame.filter == f
            if flat >= frame.filled:
                text = "·"
            return f"**[{text}]**" if here else text

        name = "output" + (f"[{f}]" if spec.has_filters else "")
        lines += _table(name, steps.output[f], output_mark)
    return "\n".join(lines).rstrip() + "\n"


def _table(name: str, values: np.ndarray, mark: Mark, row0: int = 0, col0: int = 0) -> list[str]:
    """A Markdown table with row and column numbers (padding rows count from -top)."""
    rows, cols = values.shape
    header = "| " + " | ".join([name, *(str(c + col0) for c in range(cols))]) + " |"
    rule = "|" + "---|" * (cols + 1)
    body = [
        "| " + " | ".join([str(r + row0), *(
            mark(r, c, format_number(values[r, c].item())) for c in range(cols)
        )]) + " |"
        for r in range(rows)
    ]
    return [header, rule, *body, ""]


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, flushed and fsynced, then
    rename it into place, so a reader never sees half a file (also ``ctrl+s``'s write)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from other users
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
