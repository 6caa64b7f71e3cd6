"""What the screen shows at a step, derived from the engine without Textual.

``frame_at`` turns a step index into the highlights, in O(C·K²) per step; the
cells themselves are drawn from ``cells.CellGrid`` views on the engine's arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

from .engine import Phase, Step, Steps
from .formatting import format_number

MAX_TERMS_SHOWN = 12

# Zoom levels in or out from the fitted size (``]`` ``[``, ``--zoom``): far past what a
# screen can show (a level more is a cell a column wider), short of a grid too big to draw.
ZOOM_LIMIT = 16


@dataclass(frozen=True)
class Frame:
    """Highlights for one step, in the coordinates of the grids as drawn.

    The input grid is drawn padded, so its coordinates are shifted by the
    top/left padding; the kernel grid shows the kernel as written, so with
    ``flip`` the weight used sits at the rotated position.
    """

    step: Step
    channel: int
    filter: int
    window: tuple[int, int] | None
    input_cell: tuple[int, int] | None
    kernel_cell: tuple[int, int] | None
    output_cell: tuple[int, int] | None
    filled: int
    partial: str | None
    written: bool


def frame_at(steps: Steps, index: int, channel: int = 0) -> Frame:
    """The frame for ``index`` in O(C·K²); a reset or write keeps showing ``channel``.

    ``init`` shows the first channel and ``done`` the last, where the loops start and end.
    """
    step = steps[index]
    spec = steps.spec
    filled = steps.filled_count(index)
    if step.phase is Phase.INIT:
        return Frame(step, 0, 0, None, None, None, None, filled, None, False)
    if step.phase is Phase.DONE:
        last_channel, last_filter = spec.channels - 1, spec.filters - 1
        return Frame(step, last_channel, last_filter, None, None, None, None, filled, None, False)
    filter = step.f or 0
    row, col = step.row or 0, step.col or 0
    window = (row * spec.stride[0], col * spec.stride[1])
    input_cell = kernel_cell = None
    if step.phase is Phase.MAC:
        channel = step.ch or 0
        assert step.in_row is not None and step.in_col is not None
        input_cell = (step.in_row + spec.padding[0], step.in_col + spec.padding[2])
        kr, kc = step.kr or 0, step.kc or 0
        if spec.flip:
            kr, kc = spec.kernel_height - 1 - kr, spec.kernel_width - 1 - kc
        kernel_cell = (kr, kc)
    partial = None
    if step.phase in (Phase.RESET, Phase.MAC) and step.sum is not None:
        partial = format_number(step.sum)
    return Frame(
        step, channel, filter, window, input_cell, kernel_cell, (row, col), filled, partial,
        step.phase is Phase.WRITE,
    )


def _cell(name: str, *indices: int | None) -> str:
    return name + "".join(f"[{i}]" for i in indices if i is not None)


def explain(steps: Steps, step: Step) -> str:
    """The step in words and numbers, e.g. ``input[1][3] × kernel[0][1] = 6 × 0 = 0, sum = -4``."""
    spec = steps.spec
    n = format_number
    ch = step.ch if spec.has_channels else None
    f = step.f if spec.has_filters else None
    if step.phase is Phase.INIT:
        size = f"{spec.out_height}×{spec.out_width}"
        if spec.has_filters:
            size = f"{spec.filters} maps of {size}"
        if spec.is_seed_case:
            size += (
                f": {spec.height} − {spec.kernel_height} + 1 rows by "
                f"{spec.width} − {spec.kernel_width} + 1 columns"
            )
        return f"Output is {size}, all still empty."
    if step.phase is Phase.DONE:
        cells = steps.positions
        return (
            f"Done: {cells} output cell{'s' * (cells != 1)} written with "
            f"{cells * steps.macs_per_position} multiply-adds, the same "
            f"{steps.macs_per_position} weight{'s' * (steps.macs_per_position != 1)}"
            " reused at every position."
        )
    out = _cell("output", f, step.row, step.col)
    if step.phase is Phase.RESET:
        start = "0" if spec.bias is None else f"bias = {n(step.sum or 0)}"
        return f"New window for {out}: sum = {start}."
    if step.phase is Phase.WRITE:
        total = f"{dot_product(steps, step)} = {n(step.sum or 0)}"
        if spec.activation == "relu":
            return f"{out} = max(0, {n(step.sum or 0)}) = {n(step.value or 0)}, sum = {total}"
        return f"{out} = {total}"
    kr, kc = step.kr, step.kc
    if spec.flip:
        kr, kc = spec.kernel_height - 1 - (kr or 0), spec.kernel_width - 1 - (kc or 0)
    # A padding read has no input index (a negative one would read as Python's last row).
    where = "0 (padding, outside the input)" if step.padding else _cell(
        "input", ch, step.in_row, step.in_col
    )
    weight = _cell("kernel", f, ch, kr, kc)
    return (
        f"{where} × {weight} = {n(step.input or 0)} × {n(step.weight or 0)}"
        f" = {n(step.product or 0)}, sum = {n(step.sum or 0)}"
    )


def _factor(value: float | int) -> str:
    text = format_number(value)
    return f"({text})" if text.startswith("-") else text


def dot_product(steps: Steps, step: Step) -> str:
    """``1×1 + 2×0 + 4×0 + 5×(-1)``: the products this output cell summed (long ones cut)."""
    values, weights = steps.window(step.f or 0, step.row or 0, step.col or 0)
    terms = [
        f"{_factor(x)}×{_factor(w)}"
        for x, w in zip(values[:MAX_TERMS_SHOWN], weights[:MAX_TERMS_SHOWN], strict=False)
    ]
    if steps.spec.bias is not None:
        terms.insert(0, format_number(steps.spec.bias[step.f or 0]))
    if len(values) > MAX_TERMS_SHOWN:
        terms.append(f"… ({len(values)} products)")
    return " + ".join(terms)


def phase_label(steps: Steps, index: int) -> str:
    """The phase in plain words for the status bar: ``multiply-add 3 of 9``, ``finished``."""
    phase, position, m = steps.locate(index)
    if phase is Phase.INIT:
        return "starting"
    if phase is Phase.DONE:
        return "finished"
    if phase is Phase.RESET:
        return "sum = 0" if steps.spec.bias is None else "sum = bias"
    if phase is Phase.MAC:
        return f"multiply-add {m + 1} of {steps.macs_per_position}"
    f, row, col = steps.coords(position)
    return "write " + _cell("output", f if steps.spec.has_filters else None, row, col)


def watch_values(steps: Steps, step: Step) -> list[tuple[str, str]]:
    """The debugger-style watch list: sum, product, loop variables (– when out of scope),
    then the sizes."""
    spec = steps.spec
    in_loop = step.phase in (Phase.RESET, Phase.MAC, Phase.WRITE)
    mac = step.phase is Phase.MAC

    def show(value: int | float | None, live: bool) -> str:
        return format_number(value) if live and value is not None else "–"

    product = "–"
    if mac:
        product = (
            f"{format_number(step.input or 0)} × {format_number(step.weight or 0)}"
            f" = {format_number(step.product or 0)}"
        )
    # The running sum and product first: they matter most and must survive a short panel.
    values = [("sum", show(step.sum, in_loop)), ("product", product)]
    if spec.has_filters:
        values.append(("f", show(step.f, in_loop)))
    values += [("row", show(step.row, in_loop)), ("col", show(step.col, in_loop))]
    if spec.has_channels:
        values.append(("ch", show(step.ch, mac)))
    values += [("kr", show(step.kr, mac)), ("kc", show(step.kc, mac))]
    if spec.has_channels:
        values.append(("C", str(spec.channels)))
    if spec.has_filters:
        values.append(("F", str(spec.filters)))
    values += [
        ("H, W", f"{spec.height}, {spec.width}"),
        ("kH, kW", f"{spec.kernel_height}, {spec.kernel_width}"),
        ("outH, outW", f"{spec.out_height}, {spec.out_width}"),
    ]
    return values
