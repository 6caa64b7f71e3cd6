"""Every output sum at once, in numpy, added in the pseudocode's own order.

Kept apart from the step engine because it is the one whole-convolution job:
``Steps`` runs it on demand (the app runs it in a background thread), so it
reports progress and can be cancelled between blocks of output rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .spec import ConvSpec

Number = int | float
Progress = Callable[[float], None]
Cancelled = Callable[[], bool]

# Output cells worked on together: small enough for the CPU cache, large enough
# that numpy's per-call cost stays small.
BLOCK_CELLS = 1 << 16


class SumsCancelled(Exception):
    """``compute_sums`` stopped because ``cancelled()`` said so; nothing was kept."""


def activate(spec: ConvSpec, sums: np.ndarray) -> np.ndarray:
    """What the write step stores: the sum, or ``max(sum, 0)`` with ReLU (array or scalar)."""
    return np.maximum(sums, 0) if spec.activation == "relu" else sums


def all_sums(
    spec: ConvSpec,
    padded: np.ndarray,
    weights: np.ndarray,
    starts: Sequence[Number],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> tuple[np.ndarray, tuple[Number, Number]]:
    """Every output sum and the smallest and largest running sum any step shows.

    Each cell starts at its filter's bias and adds the products in (ch, kr, kc)
    order, one shifted multiply-add per weight, so floats are bit-identical to
    the sequential sum a single step computes.
    """
    sh, sw = spec.stride
    dh, dw = spec.dilation
    oh, ow = spec.out_height, spec.out_width
    sums = np.empty((spec.filters, oh, ow), dtype=padded.dtype)
    rows = max(1, BLOCK_CELLS // ow)
    blocks = [(f, r0, min(oh, r0 + rows)) for f in range(spec.filters) for r0 in range(0, oh, rows)]
    scratch = np.empty((min(rows, oh), ow), dtype=padded.dtype)
    low = high = starts[0]
    for done, (f, r0, r1) in enumerate(blocks):
        if cancelled is not None and cancelled():
            raise SumsCancelled
        if progress is not None:
            progress(done / len(blocks))
        acc = sums[f, r0:r1]
        acc.fill(starts[f])
        low, high = min(low, starts[f]), max(high, starts[f])
        product = scratch[: r1 - r0]
        for ch in range(spec.channels):
            plane = padded[ch]
            for kr in range(spec.kernel_height):
                top = r0 * sh + kr * dh
                for kc in range(spec.kernel_width):
                    left = kc * dw
                    patch = plane[top : top + (r1 - r0 - 1) * sh + 1 : sh,
                                  left : left + (ow - 1) * sw + 1 : sw]
                    np.multiply(patch, weights[f, ch, kr, kc], out=product)
                    acc += product
                    low = min(low, acc.min().item())
                    high = max(high, acc.max().item())
    if progress is not None:
        progress(1.0)
    return sums, (low, high)
