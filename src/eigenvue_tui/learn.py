"""The learn screen's text, written around the problem on screen (its sizes, its numbers).

Pure: the screen only lays these sections out. The parameter counts live here
because the quiz asks about them too.
"""

from __future__ import annotations

import numpy as np

from .engine import Steps
from .formatting import format_number
from .pseudocode import size_formula
from .spec import ConvSpec, make_spec
from .view_model import dot_product

FURTHER_READING = (
    ("Backpropagation Applied to Handwritten Zip Code Recognition (LeCun et al., 1989)",
     "https://doi.org/10.1162/neco.1989.1.4.541"),
    ("Convolution — Wikipedia", "https://en.wikipedia.org/wiki/Convolution"),
    ("torch.nn.Conv2d — PyTorch documentation",
     "https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html"),
    ("A guide to convolution arithmetic for deep learning (Dumoulin & Visin, 2016)",
     "https://arxiv.org/abs/1603.07285"),
)


def parameters(spec: ConvSpec) -> tuple[int, int]:
    """(weights, biases) a Conv2d layer for this problem learns: kH·kW·C·F and F."""
    return spec.kernel_height * spec.kernel_width * spec.channels * spec.filters, spec.filters


def dense_parameters(spec: ConvSpec) -> tuple[int, int]:
    """(weights, biases) of the fully connected layer with the same inputs and outputs."""
    outputs = spec.filters * spec.out_height * spec.out_width
    return spec.channels * spec.height * spec.width * outputs, outputs


def shift_right(spec: ConvSpec) -> ConvSpec:
    """The same problem with the input moved one column right: a zero column comes in on
    the left and the last column falls off (translation equivariance, tried by hand)."""
    grid, kernel = spec.grids()
    values = np.asarray(grid)
    moved = np.zeros_like(values)
    moved[..., 1:] = values[..., :-1]
    return make_spec(moved.tolist(), kernel, **spec.options())


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _shape(spec: ConvSpec) -> str:
    channels = f"{_plural(spec.channels, 'channel')} of " if spec.has_channels else ""
    return f"{channels}{spec.height}×{spec.width}"


def sections(steps: Steps) -> list[tuple[str, str]]:
    """(heading, body) pairs, in reading order, with this problem's numbers."""
    return [
        ("What a convolution computes", _computes(steps)),
        ("Kernel sliding", _sliding(steps)),
        ("Weight sharing and the parameter count", _sharing(steps)),
        ("Feature maps, channels and filters", _maps(steps)),
        ("Padding", _padding(steps)),
        ("Stride and the floor in the size formula", _stride(steps)),
        ("Dilation and the receptive field", _dilation(steps)),
        ("Bias and ReLU", _bias(steps)),
        ("Cross-correlation versus true convolution", _flip(steps)),
        ("Translation equivariance", _equivariance(steps)),
    ]


def _computes(steps: Steps) -> str:
    spec = steps.spec
    first = steps[steps.write_step(0)]
    name = "output" + ("[0]" if spec.has_filters else "") + "[0][0]"
    return (
        "A small grid of weights, the kernel, is laid over a patch of the input; each weight "
        "is multiplied by the input value under it and the products are added up. That sum "
        f"is one output value. Here the input is {_shape(spec)}, the kernel "
        f"{spec.kernel_height}×{spec.kernel_width}, and the first output value is {name} = "
        f"{dot_product(steps, first)} = {format_number(first.sum or 0)}."
    )


def _sliding(steps: Steps) -> str:
    spec = steps.spec
    cells, per = steps.positions, steps.macs_per_position
    return (
        f"The kernel then moves {_plural(spec.stride[1], 'column')} right and does the same, "
        f"row after row, until it has visited all {spec.out_height}×{spec.out_width} "
        f"positions. Each position costs {_plural(per, 'multiply-add')}, so this problem "
        f"takes {cells} × {per} = {cells * per} in all: the step count grows with the input "
        "area times the kernel size times the channels."
    )


def _sharing(steps: Steps) -> str:
    spec = steps.spec
    weights, biases = parameters(spec)
    dense_w, dense_b = dense_parameters(spec)
    conv, dense = weights + biases, dense_w + dense_b
    inputs = spec.channels * spec.height * spec.width
    return (
        "The same weights are used at every position. A Conv2d layer for this problem learns "
        f"kH·kW·C·F = {spec.kernel_height}·{spec.kernel_width}·{spec.channels}·{spec.filters}"
        f" = {weights} weights + F = {biases} bias{'es' * (biases != 1)} = {conv} parameters. "
        f"A fully connected layer from the same {inputs} inputs to the same "
        f"{steps.positions} outputs needs "
        f"(C·H·W)·(F·outH·outW) = {inputs}·{steps.positions} = {dense_w} weights + "
        f"{dense_b} biases = {dense} parameters: about {format_number(dense / conv)} times as "
        "many. The convolution also does not care where a pattern is; the dense layer would have "
        "to learn it again at every place."
    )


def _maps(steps: Steps) -> str:
    spec = steps.spec
    return (
        "Channels are the planes of the input (an RGB image has 3: red, green, blue). A "
        "filter has one kH×kW slice of weights per input channel and adds the products over "
        "all channels into a single output plane, its feature map. F filters make F feature "
        "maps, and those are the channels of the next layer's input. Here: C = "
        f"{spec.channels} input channel{'s' * (spec.channels != 1)}, F = {spec.filters} "
        f"filter{'s' * (spec.filters != 1)}, so {_plural(spec.filters, 'feature map')} of "
        f"{spec.out_height}×{spec.out_width}."
    )


def _padding(steps: Steps) -> str:
    spec = steps.spec
    top, bottom, left, right = spec.padding
    return (
        "Padding puts zeros around the input before the kernel slides, so the border cells "
        "are covered as often as the middle ones. 'valid' adds none (the output shrinks), "
        "'full' adds dilation·(k − 1) on every side (every overlap counts, the output grows), "
        "'same' adds just enough that a stride-1 output has the input's size. When that total "
        "is odd, the extra row goes at the bottom and the extra column on the right, as in "
        "PyTorch's padding='same' and TensorFlow's SAME. This problem: "
        f"pad top {top}, bottom {bottom}, left {left}, right {right} ({spec.padding_label}); "
        "the z key cycles valid → same → full."
    )


def _stride(steps: Steps) -> str:
    spec = steps.spec
    return (
        "The stride is how far the kernel jumps between positions. A window must fit wholly "
        "inside the padded input, so the count of positions is rounded down: "
        "out = ⌊(n + pads − span) / stride⌋ + 1, and rows or columns left over at the end are "
        f"never read. For this problem: {size_formula(spec, 0)} and {size_formula(spec, 1)}. "
        "The s key cycles the stride."
    )


def _dilation(steps: Steps) -> str:
    spec = steps.spec
    (dh, dw), kh, kw = spec.dilation, spec.kernel_height, spec.kernel_width
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    return (
        "Dilation spreads the kernel's taps apart, leaving gaps that are skipped: a kernel of "
        "k taps with dilation d spans d·(k − 1) + 1 cells. It sees a larger area, its "
        "receptive field, for the same number of weights. Here one output value sees "
        f"{span_h}×{span_w} input cells (dilation {dh},{dw}) through "
        f"{kh * kw} weights per channel; the d key cycles it."
    )


def _bias(steps: Steps) -> str:
    spec = steps.spec
    bias = (
        "This problem adds no bias." if spec.bias is None
        else "This problem's bias: " + ", ".join(format_number(b) for b in spec.bias) + "."
    )
    relu = "ReLU is on" if spec.activation == "relu" else "ReLU is off (the r key turns it on)"
    return (
        "A layer adds one learned number, the bias, to every sum of a filter (the sum starts "
        "at the bias instead of 0). Then an activation is applied to each result; ReLU keeps "
        f"positive values and replaces negative ones by 0: max(0, sum). {bias} {relu}."
    )


def _flip(steps: Steps) -> str:
    spec = steps.spec
    state = "on: this problem is a true convolution" if spec.flip else "off"
    return (
        "What deep learning calls convolution is cross-correlation: kernel[kr][kc] meets "
        "input[row+kr][col+kc]. The convolution of mathematics and signal processing first "
        "rotates the kernel by 180°, reading kernel[kH−1−kr][kW−1−kc]. A network learns its "
        "weights either way, so frameworks skip the flip; for a symmetric kernel the two "
        f"agree. The f key toggles the flip (now {state})."
    )


def _equivariance(steps: Steps) -> str:
    return (
        "Because the same weights are used everywhere, shifting the input shifts the output "
        "with it: with stride 1, one column in gives one column out, apart from what falls off "
        "the edge (with stride s, only shifts by a multiple of s move the output cleanly). "
        "Press > on the main "
        "screen to shift the input one column right (a zero column comes in on the left) and "
        "watch the output move with it."
    )
