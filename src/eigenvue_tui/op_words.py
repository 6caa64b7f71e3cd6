"""The operation screen's words: a step explained, the watch list, the phase, the size formula.

Beside ``op_view`` (what is highlighted); the conv forms (direct, im2col) reuse
``view_model``'s sentences. Pure; no Textual here.
"""

from __future__ import annotations

from typing import Any

from .formatting import format_number as n
from .op_view import OpView
from .operations import op_of
from .pooling import PoolSpec
from .pseudocode import size_formula as conv_size_formula
from .transposed import TransposedSpec
from .view_model import explain as conv_explain
from .view_model import phase_label as conv_phase_label
from .view_model import watch_values

# The fields each operation's watch list shows, in order (– when a step has none).
WATCH_FIELDS = {
    "transposed": ("value", "product", "ch", "f", "row", "col", "kr", "kc", "out_row",
                   "out_col"),
    "grad-input": ("value", "product", "f", "ch", "row", "col", "kr", "kc", "in_row",
                   "in_col"),
    "maxpool": ("max", "input", "ch", "row", "col", "kr", "kc", "in_row", "in_col"),
    "avgpool": ("sum", "input", "divisor", "ch", "row", "col", "kr", "kc", "in_row", "in_col"),
    "grad-weight": ("sum", "product", "f", "ch", "kr", "kc", "row", "col", "in_row", "in_col"),
}


def _cell(name: str, *indices: Any) -> str:
    return name + "".join(f"[{i}]" for i in indices if i is not None)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def explain(view: OpView, index: int) -> str:
    """The step in words and numbers."""
    if view.mode == "direct":
        return conv_explain(view.steps, view.step(index))
    if view.mode == "im2col":
        return _im2col(view, index)
    step = view.step(index)
    op = op_of(view.steps.spec)
    if step.phase == "init":
        return _start(view, op)
    if step.phase == "done":
        return _done(view, op)
    if view.mode == "scatter":
        return _scatter(step, op)
    if view.mode == "pool":
        return _pool(view, step)
    return _grad_weight(view, step)


def _start(view: OpView, op: str) -> str:
    out = view.panel("output")
    shape = "×".join(map(str, out.planes.shape[-2:]))
    if op in ("transposed", "grad-input"):
        src = "input" if op == "transposed" else "dY"
        return (f"{'Output' if op == 'transposed' else 'dX'} is {shape}, all zeros: each"
                f" {src} cell will be multiplied by the whole kernel and added in.")
    if op == "grad-weight":
        return f"dW is {shape} (the kernel's shape), all zeros: one sum per weight."
    return f"Output is {shape}, all still empty: one window per output cell."


def _done(view: OpView, op: str) -> str:
    steps = view.steps
    if view.mode == "scatter":
        skipped = sum(1 for s in steps if s.phase == "scatter" and s.skipped) \
            if steps.scatters <= 4096 else None
        note = f", {_plural(skipped, 'product')} cropped" if skipped else ""
        return f"Done: {steps.scatters} products scattered into the output{note}."
    if view.mode == "pool":
        return (f"Done: {_plural(steps.positions, 'output cell')}, each the "
                f"{'largest' if steps.is_max else 'mean'} of a {steps.inner}-cell window.")
    db = " and db = Σ dY" if steps.conv.bias is not None else ""
    return (f"Done: {_plural(steps.weights, 'weight gradient')}{db}, each summing"
            f" {steps.inner} products: a convolution of the input with dY.")


def _scatter(step: Any, op: str) -> str:
    if op == "transposed":
        src = _cell("input", step.ch, step.row, step.col)
        weight = _cell("kernel", step.ch, step.f, step.kr, step.kc)
        dst = _cell("output", step.f, step.out_row, step.out_col)
        x = step.input
    else:
        src = _cell("dY", step.f, step.row, step.col)
        weight = _cell("kernel", step.f, step.ch, step.kr, step.kc)
        dst = _cell("dX", step.ch, step.in_row, step.in_col)
        x = step.grad
    product = f"{src} × {weight} = {n(x)} × {n(step.weight)} = {n(step.product)}"
    if step.skipped:
        return f"{product} lands outside the output (cropped by padding): skipped."
    return f"{product}, added into {dst} = {n(step.value)}"


def _pool(view: OpView, step: Any) -> str:
    steps = view.steps
    out = _cell("output", step.ch, step.row, step.col)
    if step.phase == "reset":
        return f"New window for {out}: " + ("m = -inf." if steps.is_max else "sum = 0.")
    if step.phase == "write":
        if steps.is_max:
            return f"{out} = m = {n(step.value)}"
        return f"{out} = sum / {step.divisor} = {n(step.sum)} / {step.divisor} = {n(step.value)}"
    where = ("padding (-inf, never wins)" if steps.is_max else "padding (0)") if step.padding \
        else f"{_cell('input', step.ch, step.in_row, step.in_col)} = {n(step.input)}"
    if steps.is_max:
        return f"{where}: m = max(m, {n(step.input)}) = {n(step.max)}"
    return f"{where}: sum += {n(step.input)} → {n(step.sum)}"


def _grad_weight(view: OpView, step: Any) -> str:
    conv = view.steps.conv
    f = step.f if conv.has_filters else None
    ch = step.ch if conv.has_channels else None
    if step.phase.startswith("bias"):
        db = _cell("db", step.f if conv.has_filters else 0)
        if step.phase == "bias_reset":
            return f"Now the bias gradient {db}: sum = 0."
        if step.phase == "bias_add":
            return f"sum += {_cell('dY', f, step.row, step.col)} = {n(step.grad)} → {n(step.sum)}"
        return f"{db} = Σ dY = {n(step.value)}"
    dw = _cell("dW", f, ch, step.kr, step.kc)
    if step.phase == "reset":
        return f"New weight gradient {dw}: sum = 0 over the input cells this weight touched."
    if step.phase == "write":
        return f"{dw} = {n(step.value)}"
    where = "0 (padding)" if step.padding else _cell("input", ch, step.in_row, step.in_col)
    return (f"{where} × {_cell('dY', f, step.row, step.col)} = {n(step.input)} ×"
            f" {n(step.grad)} = {n(step.product)}, sum = {n(step.sum)}")


def _im2col(view: OpView, index: int) -> str:
    step = view.step(index)
    matrix = view.matrix  # type: ignore[attr-defined]
    rows, cols = matrix.unfold_shape
    spec = view.steps.spec
    if step.phase == "init":
        return (f"W ({spec.filters}×{rows}) · unfolded input ({rows}×{cols}) = output"
                f" ({spec.filters}×{cols}), reshaped to the maps: {matrix.multiplies}"
                " multiplies.")
    if step.phase == "done":
        return conv_explain(view.steps, step)
    where = matrix.cell(step)
    f, column = step.f or 0, where["unfold_col"]
    if step.phase == "reset":
        return f"Row {f} of W · column {column} of the unfolded input: sum = 0."
    if step.phase == "write":
        return (f"output[{f}][{column}] = W row {f} · column {column} = {n(step.sum)}"
                f" → {_cell('output', step.f, step.row, step.col)}")
    m = where["unfold_row"]
    return (f"W[{f}][{m}] × unfold[{m}][{column}] = {n(step.weight)} × {n(step.input)}"
            f" = {n(step.product)}, sum = {n(step.sum)} (term {m + 1} of {rows})")


def phase_label(view: OpView, index: int) -> str:
    """The phase in plain words for the status bar."""
    if view.mode in ("direct", "im2col"):
        return conv_phase_label(view.steps, index)
    step = view.step(index)
    if step.phase == "init":
        return "starting"
    if step.phase == "done":
        return "finished"
    steps = view.steps
    if view.mode == "scatter":
        label = f"product {index} of {steps.scatters}"
        return label + " (cropped)" if step.skipped else label
    _, _position, m = steps.locate(index)
    if step.phase in ("pool", "mac", "bias_add"):
        return f"term {m + 1} of {steps.inner}"
    return {"reset": "new window" if view.mode == "pool" else "sum = 0",
            "bias_reset": "sum = 0"}.get(step.phase, "write")


def watch(view: OpView, index: int) -> list[tuple[str, str]]:
    """Debugger-style watch list: the step's fields (– out of scope), then the sizes."""
    if view.mode in ("direct", "im2col"):
        values = watch_values(view.steps, view.step(index))
        if view.mode == "im2col":
            rows, cols = view.matrix.unfold_shape  # type: ignore[attr-defined]
            values[2:2] = [("W", f"{view.steps.spec.filters}×{rows}"),
                           ("unfold", f"{rows}×{cols}")]
        return values
    spec = view.steps.spec
    op = op_of(spec)
    step = view.step(index)
    values = []
    for name in WATCH_FIELDS[op]:
        if name in ("ch", "f") and not _has_axis(spec, name):
            continue
        value = step.fields.get(name)
        if name == "input" and step.padding:
            value = "pad"
        values.append((name, "–" if value is None else
                       value if isinstance(value, str) else n(value)))
    return values + _sizes(view)


def _has_axis(spec: Any, name: str) -> bool:
    if isinstance(spec, TransposedSpec | PoolSpec):
        return spec.input_rank == 3
    return spec.conv.has_channels if name == "ch" else spec.conv.has_filters


def _sizes(view: OpView) -> list[tuple[str, str]]:
    shapes = [panel.title.split(" ")[:2] for panel in view.panels]
    return [(name, shape) for name, shape in shapes if name not in ("max", "avg")]


def im2col_formula(view: OpView) -> str:
    """The matrix sizes and the multiply count of the im2col product."""
    spec = view.steps.spec
    rows, cols = view.matrix.unfold_shape  # type: ignore[attr-defined]
    return (f"W {spec.filters}×{rows} · unfold {rows}×{cols} = {spec.filters}×{cols};"
            f" C·kH·kW = {rows}, outH·outW = {cols}:"
            f" {view.matrix.multiplies} multiplies")  # type: ignore[attr-defined]


def size_formula(problem: Any) -> str:
    """The output size with this problem's numbers; one formula when both axes agree."""
    text = _size_formula(problem)
    height, _, width = text.partition("    ")
    if width and height.partition(" = ")[2] == width.partition(" = ")[2]:
        return "outH = outW = " + height.partition(" = ")[2]
    return text


def _size_formula(problem: Any) -> str:
    op = op_of(problem)
    if op == "conv":
        return f"{conv_size_formula(problem, 0)}    {conv_size_formula(problem, 1)}"
    if op == "transposed":
        parts = []
        for axis, (side, _n_name) in enumerate((("outH", "H"), ("outW", "W"))):
            size = problem.input.shape[1 + axis]
            k = problem.kernel.shape[2 + axis]
            s, p = problem.stride[axis], problem.padding[axis]
            d, o = problem.dilation[axis], problem.output_padding[axis]
            parts.append(f"{side} = ({size}−1)·{s} − 2·{p} + {d}·({k}−1) + {o} + 1"
                         f" = {problem.out_side(axis)}")
        return "    ".join(parts)
    if op in ("maxpool", "avgpool"):
        parts = []
        for axis, side in enumerate(("outH", "outW")):
            size, k = problem.input.shape[1 + axis], problem.pool[axis]
            s, p, d = problem.stride[axis], problem.padding[axis], problem.dilation[axis]
            bracket = "⌈⌉" if problem.ceil_mode else "⌊⌋"
            parts.append(f"{side} = {bracket[0]}({size} + 2·{p} − {d}·({k}−1) − 1) / {s}"
                         f"{bracket[1]} + 1 = {problem.out_side(axis)}")
        return "    ".join(parts)
    conv = problem.conv
    if op == "grad-input":
        return (f"dX has the input's shape {conv.height}×{conv.width}; dY has the forward"
                f" output's {conv.out_height}×{conv.out_width}")
    return (f"dW has the kernel's shape {conv.kernel_height}×{conv.kernel_width}; each"
            f" weight sums outH·outW = {conv.out_height * conv.out_width} products")
