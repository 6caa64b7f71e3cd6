"""The learn screen's sections on the operations beyond the forward pass.

One section per operation: what it computes, its size formula, and that formula
with the numbers of the grids on screen (or why the operation does not fit
them). Pure; the screens lay these out.
"""

from __future__ import annotations

from typing import Any

from .op_words import size_formula
from .operations import OPS, POOLS, op_of, switch
from .spec import SpecError

ABOUT = {
    "conv": ("Convolution (conv)",
             "Slide the kernel over the input; each output cell is the sum of a window's "
             "products.", "outH = ⌊(H + pT + pB − d·(kH − 1) − 1) / s⌋ + 1"),
    "transposed": ("Transposed convolution",
                   "Each input cell is multiplied by the whole kernel and added into the "
                   "output where it lands, s apart; padding crops the border. The same output "
                   "is a plain convolution of the input stretched with s − 1 zeros between "
                   "cells, padded by d·(k − 1) − p, with the kernel rotated 180° (e shows it).",
                   "outH = (H − 1)·sH − 2·pH + dH·(kH − 1) + opH + 1"),
    "maxpool": ("Max pooling",
                "Each output cell is the largest value under a window; padding is −inf and "
                "never wins. No weights: nothing to learn, only a smaller map.",
                "outH = ⌊(H + 2·pH − dH·(kH − 1) − 1) / sH⌋ + 1 (⌈…⌉ with ceil_mode)"),
    "avgpool": ("Average pooling",
                "Each output cell is the mean of a window: the sum divided by the window's "
                "cells in the padded input (count_include_pad), in the input, or by "
                "divisor_override.",
                "outH = ⌊(H + 2·pH − kH) / sH⌋ + 1 (⌈…⌉ with ceil_mode)"),
    "grad-input": ("Backward pass: the input gradient dX",
                   "Given dY, the loss's gradient at the output, dX is the transposed "
                   "convolution of dY with the same kernel: each dY cell scatters the kernel "
                   "back onto the input cells its window read.",
                   "dX has the input's shape H × W"),
    "grad-weight": ("Backward pass: the weight gradient dW",
                    "dW[kr][kc] = Σ over output cells of input[row·s + kr·d][col·s + kc·d] "
                    "· dY[row][col]: a convolution of the input with dY (and db = Σ dY).",
                    "dW has the kernel's shape kH × kW"),
}


def op_sections(problem: Any, kernel_source: Any = None) -> list[tuple[str, str]]:
    """(heading, body) for every operation, the one on screen first."""
    current = op_of(problem)
    order = [current, *(op for op in OPS if op != current)]
    sections = []
    for op in order:
        title, text, formula = ABOUT[op]
        base = problem
        if problem.kernel is None and op not in POOLS and kernel_source is not None:
            base = kernel_source
        try:
            numbers = size_formula(switch(base, op))
            here = f"On these grids: {numbers}."
        except SpecError as error:
            here = f"Does not fit these grids: {error}."
        mark = " (on screen)" if op == current else ""
        sections.append((f"{title}{mark}", f"{text}\n{formula}\n{here}"))
    return sections
