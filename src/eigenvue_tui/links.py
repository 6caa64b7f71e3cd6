"""Point and ask: which cells a cell is linked to across the whole convolution.

Input cells are in the coordinates of the padded input as drawn (row 0 is the
top padding row, if any); kernel cells are as written, so with ``flip`` the
weight at written (r, c) is the one the loops read at (kH-1-r, kW-1-c).
Everything is solved per axis, so a question costs O(outH + outW) plus its answer.
Pure: no Textual.
"""

from __future__ import annotations

from itertools import product

from .engine import Steps


def _taps(
    padded: int, outputs: int, stride: int, dilation: int, taps: int
) -> list[tuple[int, int]]:
    """(output index, kernel index) pairs whose read lands on padded index ``padded``."""
    pairs = []
    for out in range(outputs):
        offset = padded - out * stride
        if offset >= 0 and offset % dilation == 0 and offset // dilation < taps:
            pairs.append((out, offset // dilation))
    return pairs


def _written(steps: Steps, kr: int, kc: int) -> tuple[int, int]:
    """Loop kernel indices ↔ written ones (the same map both ways)."""
    spec = steps.spec
    if spec.flip:
        return spec.kernel_height - 1 - kr, spec.kernel_width - 1 - kc
    return kr, kc


def fed_by(steps: Steps, row: int, col: int) -> list[tuple[int, int, int, int, int]]:
    """The output cells padded input cell ``[row][col]`` (of any channel) feeds, each
    with the weight it meets there: ``(f, out_row, out_col, kernel_row, kernel_col)`` in
    loop order, the kernel cell as written (of the clicked cell's channel)."""
    spec = steps.spec
    rows = _taps(row, spec.out_height, spec.stride[0], spec.dilation[0], spec.kernel_height)
    cols = _taps(col, spec.out_width, spec.stride[1], spec.dilation[1], spec.kernel_width)
    return [
        (f, out_row, out_col, *_written(steps, kr, kc))
        for f in range(spec.filters)
        for (out_row, kr), (out_col, kc) in product(rows, cols)
    ]


def read_by(steps: Steps, kernel_row: int, kernel_col: int) -> list[tuple[int, int]]:
    """The padded input cells the weight at written ``(kernel_row, kernel_col)`` multiplies
    over the whole convolution (of its own channel), row by row."""
    spec = steps.spec
    kr, kc = _written(steps, kernel_row, kernel_col)
    rows = [r * spec.stride[0] + kr * spec.dilation[0] for r in range(spec.out_height)]
    cols = [c * spec.stride[1] + kc * spec.dilation[1] for c in range(spec.out_width)]
    return list(product(rows, cols))


def write_step_of(steps: Steps, f: int, row: int, col: int) -> int:
    """The step that writes output ``[f][row][col]``: where a click on it jumps."""
    return steps.write_step(steps.position_of(f, row, col))
