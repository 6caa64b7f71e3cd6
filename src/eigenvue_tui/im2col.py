"""The im2col view of a convolution: the matrix product frameworks actually run.

The padded input is unfolded into a matrix with one column per output position
(``row·outW + col``) and one row per window cell in ``(ch, kr, kc)`` order —
exactly ``torch.nn.functional.unfold``'s layout — and the kernel is flattened
to one row per filter. A conv MAC number ``m`` of output position ``(row, col)``
is element ``[m][row·outW + col]`` of the unfolded matrix times weight
``[f][m]``; the output cell is their dot product. Same steps as ``conv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .engine import Phase, Step, Steps, conv_steps
from .spec import ConvSpec

# The im2col screen unfolds the whole input at once: 4M cells is 32 MB, already far
# more than a screen shows (1024² ⊛ 31² would be 950M cells, 7.6 GB).
MAX_UNFOLDED_CELLS = 4_000_000


def im2col_refusal(spec: ConvSpec) -> str | None:
    """Why the im2col screen cannot show ``spec`` (its unfolded input is too big), or None.
    The ``--trace`` of the view needs no matrix and runs at any size."""
    rows = spec.channels * spec.kernel_height * spec.kernel_width
    columns = spec.out_height * spec.out_width
    if rows * columns <= MAX_UNFOLDED_CELLS:
        return None
    return (f"the im2col view would unfold the input into a {rows:,}×{columns:,} matrix "
            f"({rows * columns:,} cells); it shows up to {MAX_UNFOLDED_CELLS:,}: try a "
            "smaller input or kernel (--trace --view im2col works at any size)")


def _require_step(step: Any, method: str) -> None:
    """A step index passed for a Step would fail deep inside, on ``step.phase``."""
    if not isinstance(step, Step):
        raise TypeError(f"Im2col.{method}() takes a Step (steps[i]), not "
                        f"{type(step).__name__}")


@dataclass(frozen=True)
class Im2col:
    """Matrix shapes and the matrix coordinates of each conv step."""

    steps: Steps

    def __post_init__(self) -> None:
        conv_steps(self.steps, "Im2col()")

    @property
    def rows(self) -> int:
        """Rows of the unfolded input (= columns of the weight matrix): C·kH·kW."""
        return self.steps.macs_per_position

    @property
    def columns(self) -> int:
        """Columns of the unfolded input: one per output position, outH·outW."""
        return self.steps.spec.out_height * self.steps.spec.out_width

    @property
    def weight_shape(self) -> tuple[int, int]:
        return self.steps.spec.filters, self.rows

    @property
    def unfold_shape(self) -> tuple[int, int]:
        return self.rows, self.columns

    @property
    def multiplies(self) -> int:
        """Multiplications of the whole product: F·(C·kH·kW)·(outH·outW)."""
        return self.steps.spec.filters * self.rows * self.columns

    def unfolded(self) -> np.ndarray:
        """The unfolded input, ``[C·kH·kW][outH·outW]`` (allocates all of it)."""
        spec, padded = self.steps.spec, self.steps.padded_input
        (sh, sw), (dh, dw) = spec.stride, spec.dilation
        oh, ow = spec.out_height, spec.out_width
        out = np.empty(self.unfold_shape, dtype=padded.dtype)
        for m in range(self.rows):
            ch, kr, kc = self.steps.mac_indices(m)
            out[m] = padded[ch, kr * dh: kr * dh + (oh - 1) * sh + 1: sh,
                            kc * dw: kc * dw + (ow - 1) * sw + 1: sw].ravel()
        return out

    def weight_matrix(self) -> np.ndarray:
        """The kernel as used (flipped with ``flip``), one row per filter."""
        return self.steps._weights.reshape(self.weight_shape)

    def cell(self, step: Step) -> dict[str, Any]:
        """Where a step sits in the product: its column, and for a MAC its row."""
        _require_step(step, "cell")
        if step.phase in (Phase.INIT, Phase.DONE):
            return {}
        _, position, m = self.steps.locate(step.step)
        column = position % self.columns
        if step.phase is Phase.MAC:
            return {"unfold_row": m, "unfold_col": column}
        return {"unfold_col": column}

    def trace_fields(self, step: Step) -> dict[str, Any]:
        """What the im2col view adds to a trace record."""
        _require_step(step, "trace_fields")
        if step.phase is Phase.INIT:
            return {"weight_shape": list(self.weight_shape),
                    "unfold_shape": list(self.unfold_shape), "multiplies": self.multiplies}
        return self.cell(step)
