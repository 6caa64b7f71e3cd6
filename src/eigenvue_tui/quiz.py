"""Quiz questions built from the current problem: every answer is computed by the engine.

``quiz(steps)`` returns the seed's question first, then questions on this
problem's sizes, values, counts and options. Wrong choices are the mistakes a
student makes (forgetting the padding, the flip, the channels …), so a wrong
answer can be explained. Pure: no Textual.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .engine import Steps, conv_steps
from .formatting import format_number
from .learn import dense_parameters, parameters
from .links import fed_by
from .pseudocode import size_formula
from .spec import ConvSpec, SpecError, make_spec
from .view_model import dot_product

SEED_PROMPT = (
    "What is the output size of convolving a 5×5 input with a 3×3 kernel (no padding, stride 1)?"
)
SEED_CHOICES = ("5×5", "4×4", "3×3", "2×2")


@dataclass(frozen=True)
class Question:
    """One multiple-choice question; ``answer`` indexes ``choices``."""

    topic: str
    prompt: str
    choices: tuple[str, str, str, str]
    answer: int
    explanation: str

    def check(self, choice: int) -> bool:
        return choice == self.answer


def _size(spec: ConvSpec) -> str:
    return f"{spec.out_height}×{spec.out_width}"


def _pick(right: Any, wrong: Iterable[Any], show: Callable[[Any], str],
          key: Callable[[Any], Any], bump: Callable[[Any, int], Any]) -> tuple[tuple, int]:
    """Four choices in ascending order: the right one and three distinct wrong ones.

    Wrong candidates that read the same as another choice are dropped; ``bump``
    makes more near misses when the candidates run out.
    """
    chosen = {show(right): right}
    for value in wrong:
        if len(chosen) == 4:
            break
        chosen.setdefault(show(value), value)
    step = 1
    while len(chosen) < 4:
        for value in (bump(right, step), bump(right, -step)):
            if len(chosen) < 4:
                chosen.setdefault(show(value), value)
        step += 1
    ordered = sorted(chosen.values(), key=key)
    texts = tuple(show(value) for value in ordered)
    return texts, texts.index(show(right))


def _count_question(topic: str, prompt: str, right: int, wrong: Iterable[int],
                    explanation: str) -> Question:
    wrong = [w for w in wrong if w > 0]
    choices, answer = _pick(right, wrong, str, lambda v: v, lambda v, d: max(v + d, 0))
    return Question(topic, prompt, choices, answer, explanation)  # type: ignore[arg-type]


def _size_question(topic: str, prompt: str, spec: ConvSpec, wrong: Iterable[tuple[int, int]],
                   explanation: str) -> Question:
    right = (spec.out_height, spec.out_width)
    choices, answer = _pick(
        right, [w for w in wrong if min(w) > 0], lambda v: f"{v[0]}×{v[1]}", lambda v: v,
        lambda v, d: (max(v[0] + d, 1), max(v[1] + d, 1)),
    )
    return Question(topic, prompt, choices, answer, explanation)  # type: ignore[arg-type]


def _value_question(topic: str, prompt: str, right: float, wrong: Iterable[float],
                    explanation: str) -> Question:
    # A wrong value that rounds to nearly the right one would be a second right answer.
    wrong = [w for w in wrong if not math.isclose(w, right, rel_tol=1e-3, abs_tol=1e-6)]
    choices, answer = _pick(right, wrong, format_number, float, lambda v, d: v + d * _unit(v))
    return Question(topic, prompt, choices, answer, explanation)  # type: ignore[arg-type]


def _unit(value: float) -> float:
    """A near miss that still reads as different: 1, or a tenth of the leading digit's place."""
    size = abs(value)
    return 10.0 ** (math.floor(math.log10(size)) - 1) if size >= 10 else 1


def seed_question() -> Question:
    """The seed's own question, word for word; its answer still comes from the engine."""
    spec = make_spec([[0] * 5] * 5, [[0] * 3] * 3)
    choices = SEED_CHOICES
    answer = choices.index(_size(spec))
    return Question(
        "seed", SEED_PROMPT, choices, answer,  # type: ignore[arg-type]
        "Output size = input_size - kernel_size + 1 = 5 - 3 + 1 = 3. So the output is 3×3.",
    )


def _naive_sizes(spec: ConvSpec) -> list[tuple[int, int]]:
    """The sizes a student gets by forgetting padding, stride or dilation."""
    h, w, kh, kw = spec.height, spec.width, spec.kernel_height, spec.kernel_width
    return [(h - kh + 1, w - kw + 1), (h, w), (h + kh - 1, w + kw - 1),
            (h - kh, w - kw), (spec.out_height + 1, spec.out_width + 1)]


def _formulas(spec: ConvSpec) -> str:
    return f"{size_formula(spec, 0)} and {size_formula(spec, 1)}"


def _variant_size(spec: ConvSpec, what: str, **change: Any) -> Question | None:
    try:
        other = spec.with_options(**change)
    except SpecError:
        return None
    return _size_question(
        what,
        f"This problem is {spec.describe_size()}. With {_change_text(change)} instead "
        "(other options unchanged), what is the output size?",
        other, [_size_tuple(spec), *_naive_sizes(other)],
        f"{_formulas(other)}, so the output is {_size(other)}.",
    )


def _size_tuple(spec: ConvSpec) -> tuple[int, int]:
    return spec.out_height, spec.out_width


def _change_text(change: dict[str, Any]) -> str:
    ((name, value),) = change.items()
    if name == "stride":
        return f"stride {value[0]}"
    if name == "padding":
        return f"{value} padding"
    if name == "flip":
        return "the kernel flipped (true convolution)" if value else "no flip (cross-correlation)"
    return f"{name} {value}"


def quiz(steps: Steps) -> list[Question]:
    """At least 12 questions on this problem, the seed's first."""
    spec = conv_steps(steps, "quiz()").spec
    questions = [seed_question(), _output_size(steps)]
    stride = 2 if spec.stride != (2, 2) else 1
    for topic, change in (("stride", {"stride": (stride, stride)}),
                          ("same", {"padding": "same"}), ("full", {"padding": "full"})):
        question = _variant_size(spec, topic, **change)
        if question is not None:
            questions.append(question)
    questions += [
        _output_value(steps, 0), _output_value(steps, steps.positions - 1),
        _flip_value(steps), _macs_total(steps), _macs_per_cell(steps), _cells(steps),
        _parameters(steps), _dense(steps), _reach(steps), _reuse(steps), _corner(steps),
    ]
    return questions


def _output_size(steps: Steps) -> Question:
    spec = steps.spec
    options = spec.describe_options() or "no padding, stride 1"
    return _size_question(
        "size",
        f"What is the output size of this problem: a {spec.height}×{spec.width} input and a "
        f"{spec.kernel_height}×{spec.kernel_width} kernel ({options})?",
        spec, _naive_sizes(spec), f"{_formulas(spec)}, so each feature map is {_size(spec)}.",
    )


def _out_name(steps: Steps, position: int) -> str:
    f, row, col = steps.coords(position)
    return "output" + (f"[{f}]" if steps.spec.has_filters else "") + f"[{row}][{col}]"


def _output_value(steps: Steps, position: int) -> Question:
    spec = steps.spec
    f, row, col = steps.coords(position)
    step = steps[steps.write_step(position)]
    values, _ = steps.window(f, row, col)
    right = steps.cell_value(f, row, col)
    flipped = steps.spec.kernel[f][:, ::-1, ::-1].ravel().tolist()
    if spec.flip:
        flipped = spec.kernel[f].ravel().tolist()
    start = spec.bias[f] if spec.bias is not None else 0
    wrong = [
        start + sum(x * w for x, w in zip(values, flipped, strict=True)),
        sum(values), steps.cell_sum(f, row, col), -right,
        step.sum - start if spec.bias is not None else right + _unit(right),
    ]
    text = f"{_out_name(steps, position)} = {dot_product(steps, step)} = {format_number(step.sum)}"
    if spec.activation == "relu":
        text += f", then ReLU: max(0, {format_number(step.sum)}) = {format_number(right)}"
    return _value_question(
        "value", f"What value does {_out_name(steps, position)} get?", right, wrong, text + ".",
    )


def _flip_value(steps: Steps) -> Question:
    spec = steps.spec
    other = Steps(spec.with_options(flip=not spec.flip))
    f, row, col = steps.coords(0)
    right = other.cell_value(f, row, col)
    mode = "true convolution (kernel rotated 180°)" if not spec.flip else "cross-correlation"
    step = other[other.write_step(0)]
    return _value_question(
        "flip",
        f"In {mode}, which the f key switches to, what would {_out_name(steps, 0)} be?",
        right, [steps.cell_value(f, row, col), -right, right + _unit(right)],
        f"The kernel is read {'rotated' if not spec.flip else 'as written'}: "
        f"{dot_product(other, step)} = {format_number(step.sum)}.",
    )


def _macs_total(steps: Steps) -> Question:
    spec = steps.spec
    cells, per = steps.positions, steps.macs_per_position
    return _count_question(
        "macs", "How many multiply-adds does the whole convolution take?", cells * per,
        [cells, per * spec.height * spec.width * spec.filters,
         cells * spec.kernel_height * spec.kernel_width, cells * (per + 1)],
        f"{cells} output cells × {per} multiply-adds each (C·kH·kW = {spec.channels}·"
        f"{spec.kernel_height}·{spec.kernel_width}) = {cells * per}.",
    )


def _macs_per_cell(steps: Steps) -> Question:
    spec = steps.spec
    k = spec.kernel_height * spec.kernel_width
    return _count_question(
        "per-cell", "How many multiply-adds make one output cell?", steps.macs_per_position,
        [k * spec.filters * spec.channels, spec.kernel_height + spec.kernel_width, k + 1,
         k * spec.channels + 1],
        f"One per weight of one filter: C·kH·kW = {spec.channels}·{spec.kernel_height}·"
        f"{spec.kernel_width} = {steps.macs_per_position}.",
    )


def _cells(steps: Steps) -> Question:
    spec = steps.spec
    plane = spec.out_height * spec.out_width
    return _count_question(
        "cells", "How many output values does the convolution write?", steps.positions,
        [plane * spec.channels * spec.filters + (plane if spec.filters == 1 else 0),
         spec.height * spec.width, plane + spec.filters, steps.positions * spec.channels + 1],
        f"F · outH · outW = {spec.filters} · {spec.out_height} · {spec.out_width} = "
        f"{steps.positions}.",
    )


def _parameters(steps: Steps) -> Question:
    spec = steps.spec
    weights, biases = parameters(spec)
    return _count_question(
        "parameters",
        f"A Conv2d layer with {spec.filters} filter{'s' * (spec.filters != 1)} of "
        f"{spec.channels}×{spec.kernel_height}×{spec.kernel_width} weights and a bias per "
        "filter: how many parameters does it learn?",
        weights + biases,
        [weights, weights * steps.positions // spec.filters + biases,
         spec.kernel_height * spec.kernel_width * spec.filters + biases,
         weights + steps.positions],
        f"kH·kW·C·F weights + F biases = {spec.kernel_height}·{spec.kernel_width}·"
        f"{spec.channels}·{spec.filters} + {spec.filters} = {weights + biases}: the same "
        "weights are shared by every output position.",
    )


def _dense(steps: Steps) -> Question:
    spec = steps.spec
    weights, biases = dense_parameters(spec)
    conv = sum(parameters(spec))
    inputs, outputs = spec.channels * spec.height * spec.width, steps.positions
    return _count_question(
        "dense",
        f"A fully connected layer from the same {inputs} inputs to the same {outputs} outputs: "
        "how many parameters (weights and biases)?",
        weights + biases, [weights, inputs + outputs, conv * outputs, weights + inputs],
        f"(C·H·W)·(F·outH·outW) weights + F·outH·outW biases = {inputs}·{outputs} + {outputs}"
        f" = {weights + biases}, against {conv} for the convolution.",
    )


def _reach(steps: Steps) -> Question:
    spec = steps.spec
    d, k = spec.dilation[1], spec.kernel_width
    span = d * (k - 1) + 1
    return _count_question(
        "reach",
        f"With dilation {d}, how many input columns does one window of this {k}-wide kernel "
        "span, from its first column to its last?",
        span, [k, d * k, span + 1, d * (k - 1)],
        f"dilation·(kW − 1) + 1 = {d}·({k} − 1) + 1 = {span}: the gaps are skipped, not read.",
    )


def _reuse(steps: Steps) -> Question:
    spec = steps.spec
    plane = spec.out_height * spec.out_width
    return _count_question(
        "reuse",
        "How many multiply-adds use the weight kernel" + ("[0]" * (spec.kernel_rank - 2))
        + "[0][0]?",
        plane, [1, steps.positions * steps.macs_per_position, spec.height * spec.width,
                plane * spec.channels + 1],
        f"It is used once at every position of its feature map: outH·outW = "
        f"{spec.out_height}·{spec.out_width} = {plane} (weight sharing).",
    )


def _corner(steps: Steps) -> Question:
    spec = steps.spec
    top, _, left, _ = spec.padding
    fed = len({(f, row, col) for f, row, col, _, _ in fed_by(steps, top, left)})
    middle_row, middle_col = top + spec.height // 2, left + spec.width // 2
    middle = len({(f, row, col) for f, row, col, _, _ in fed_by(steps, middle_row, middle_col)})
    return _count_question(
        "corner",
        "How many output values does the top-left input cell input"
        + ("[0]" if spec.has_channels else "") + "[0][0] feed?",
        fed, [middle, spec.kernel_height * spec.kernel_width * spec.filters, fed + 1],
        f"Only the windows that cover it: {fed}, against {middle} for a cell in the middle "
        "— the border is seen less, which is what padding makes up for.",
    )
