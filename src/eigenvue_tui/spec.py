"""A validated convolution problem: the grids and the options, checked once.

Everything downstream (engine, trace, app) trusts a ``ConvSpec``; every way a
user can get the problem wrong is caught here with a one-line ``SpecError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .checks import SpecError, grid, int_list, number, pair, show

MAX_INPUT_SIDE = 1024
MAX_KERNEL_SIDE = 31
MAX_CHANNELS = 16
MAX_FILTERS = 16
MAX_PADDED_SIDE = 2048
MAX_CELLS = 2**22
PADDING_WORDS = ("valid", "same", "full")
ACTIVATIONS = ("none", "relu")


@dataclass(frozen=True, eq=False)
class ConvSpec:
    """Input ``[C][H][W]`` and kernel ``[F][C][kH][kW]`` plus the options in force.

    ``input_rank``/``kernel_rank`` remember how the user wrote the grids (2-D,
    3-D, 4-D), so plain 2-D problems keep the seed's pseudocode and trace. The
    arrays are read-only: the engine reads them once, so a change would never show.
    """

    input: np.ndarray
    kernel: np.ndarray
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int, int, int] = (0, 0, 0, 0)
    dilation: tuple[int, int] = (1, 1)
    flip: bool = False
    bias: tuple[float, ...] | None = None
    activation: str = "none"
    padding_label: str = "valid"
    input_rank: int = 2
    kernel_rank: int = 2

    def __eq__(self, other: object) -> bool:
        """Equal grids (values, shape and dtype) and equal options."""
        if not isinstance(other, ConvSpec):
            return NotImplemented
        return self._key() == other._key() and all(
            a.dtype == b.dtype and np.array_equal(a, b)
            for a, b in ((self.input, other.input), (self.kernel, other.kernel))
        )

    def __hash__(self) -> int:
        return hash((self._key(), self.input.shape, self.kernel.shape))

    def _key(self) -> tuple[Any, ...]:
        return (self.stride, self.padding, self.dilation, self.flip, self.bias,
                self.activation, self.padding_label, self.input_rank, self.kernel_rank)

    @property
    def integral(self) -> bool:
        """True when every number is an integer, so results print as integers."""
        return self.input.dtype.kind == "i"

    @property
    def channels(self) -> int:
        return self.input.shape[0]

    @property
    def height(self) -> int:
        return self.input.shape[1]

    @property
    def width(self) -> int:
        return self.input.shape[2]

    @property
    def filters(self) -> int:
        return self.kernel.shape[0]

    @property
    def kernel_height(self) -> int:
        return self.kernel.shape[2]

    @property
    def kernel_width(self) -> int:
        return self.kernel.shape[3]

    @property
    def has_channels(self) -> bool:
        return self.input_rank == 3

    @property
    def has_filters(self) -> bool:
        return self.kernel_rank == 4

    @property
    def padded(self) -> bool:
        return any(self.padding)

    @property
    def out_height(self) -> int:
        top, bottom, _, _ = self.padding
        span = self.dilation[0] * (self.kernel_height - 1) + 1
        return (self.height + top + bottom - span) // self.stride[0] + 1

    @property
    def out_width(self) -> int:
        _, _, left, right = self.padding
        span = self.dilation[1] * (self.kernel_width - 1) + 1
        return (self.width + left + right - span) // self.stride[1] + 1

    @property
    def is_seed_case(self) -> bool:
        """True when no option differs from the seed's plain 2-D pseudocode."""
        return (
            self.stride == (1, 1)
            and not self.padded
            and self.dilation == (1, 1)
            and not self.flip
            and self.bias is None
            and self.activation == "none"
            and not self.has_channels
            and not self.has_filters
        )

    def grids(self) -> tuple[list, list]:
        """The input and kernel as nested lists, in the rank the user wrote them."""
        grid = self.input[0] if self.input_rank == 2 else self.input
        kernel = self.kernel.reshape(self.kernel.shape[4 - self.kernel_rank :])
        return grid.tolist(), kernel.tolist()

    def options(self) -> dict[str, Any]:
        """The options as ``make_spec`` takes them; ``same``/``full`` stay words."""
        return {
            "stride": list(self.stride),
            "padding": self.padding_label,
            "dilation": list(self.dilation),
            "flip": self.flip,
            "bias": list(self.bias) if self.bias is not None else None,
            "activation": self.activation,
        }

    def with_options(self, **changes: Any) -> ConvSpec:
        """The same grids with some options changed, validated afresh."""
        input, kernel = self.grids()
        return make_spec(input, kernel, **{**self.options(), **changes})

    def describe_options(self) -> str:
        """``stride 2 · padding same · dilation 1 · flip`` — only what differs from the seed."""
        parts = []
        if self.stride != (1, 1):
            parts.append("stride " + _pair_text(self.stride))
        if self.padded or self.padding_label != "valid":
            parts.append(f"padding {self.padding_label}")
        if self.dilation != (1, 1):
            parts.append("dilation " + _pair_text(self.dilation))
        if self.flip:
            parts.append("flip")
        if self.bias is not None:
            parts.append("bias " + ",".join(str(b) for b in self.bias))
        if self.activation != "none":
            parts.append(self.activation)
        return " · ".join(parts)

    def describe_size(self) -> str:
        """``4×4 * 2×2 → 3×3``, with channel/filter counts when present."""
        c = f"{self.channels}×" if self.has_channels else ""
        f = f"{self.filters}×" if self.has_filters else ""
        return (
            f"{c}{self.height}×{self.width} * {f}{c}{self.kernel_height}×{self.kernel_width}"
            f" → {f}{self.out_height}×{self.out_width}"
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _pair_text(pair: tuple[int, int]) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]},{pair[1]}"


def _padding(
    value: Any, kernel_hw: tuple[int, int], dilation: tuple[int, int], stride: tuple[int, int],
    input_hw: tuple[int, int],
) -> tuple[tuple[int, int, int, int], str]:
    """Resolve a padding word or numbers to (top, bottom, left, right) and a label."""
    if isinstance(value, str) and value.strip().lower() in PADDING_WORDS:
        word = value.strip().lower()
        spans = [dilation[i] * (kernel_hw[i] - 1) for i in range(2)]
        if word == "valid":
            return (0, 0, 0, 0), word
        if word == "full":
            return (spans[0], spans[0], spans[1], spans[1]), word
        sides = []
        for i in range(2):
            out = -(-input_hw[i] // stride[i])
            total = max((out - 1) * stride[i] + spans[i] + 1 - input_hw[i], 0)
            sides += [total // 2, total - total // 2]
        return (sides[0], sides[1], sides[2], sides[3]), word
    try:
        parts = int_list(value, "padding")
    except SpecError:
        raise SpecError(
            f"padding {show(value)} is not one of valid, same, full, P, PH,PW or T,B,L,R"
        ) from None
    if any(p < 0 for p in parts):
        raise SpecError(f"padding must not be negative, got {show(value)}")
    for p in parts:
        if p > MAX_PADDED_SIDE:
            raise SpecError(f"padding is {show(p)}, over the limit of {MAX_PADDED_SIDE} per side")
    if len(parts) == 1:
        t = b = l = r = parts[0]  # noqa: E741
    elif len(parts) == 2:
        t = b = parts[0]
        l = r = parts[1]  # noqa: E741
    elif len(parts) == 4:
        t, b, l, r = parts  # noqa: E741
    else:
        raise SpecError(f"padding takes 1, 2 or 4 numbers, got {len(parts)}")
    label = "valid" if not any((t, b, l, r)) else ",".join(str(p) for p in (t, b, l, r))
    return (t, b, l, r), label


def make_spec(
    input: Any,
    kernel: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    flip: bool = False,
    bias: Any = None,
    activation: str = "none",
) -> ConvSpec:
    """Validate grids and options; raise ``SpecError`` with a one-line reason."""
    in_array, in_integral = grid(input, "input", (2, 3))
    k_array, k_integral = grid(kernel, "kernel", (2, 3, 4))
    in_shape, k_shape = list(in_array.shape), list(k_array.shape)
    in_rank, k_rank = len(in_shape), len(k_shape)
    if in_rank == 2:
        in_shape = [1, *in_shape]
    channels, height, width = in_shape
    if k_rank == 2:
        k_shape = [1, 1, *k_shape]
    elif k_rank == 3:
        k_shape = [1, *k_shape]
    filters, k_channels, k_height, k_width = k_shape
    if k_rank >= 3 and in_rank == 2:
        raise SpecError(
            f"kernel has {_count(k_channels, 'channel')} but the input is a plain 2-D grid"
        )
    if in_rank == 3 and k_rank == 2:
        raise SpecError(
            f"input has {_count(channels, 'channel')}, so the kernel must be [C][kH][kW]"
            " or [F][C][kH][kW]"
        )
    if k_channels != channels:
        raise SpecError(
            f"input has {_count(channels, 'channel')} but the kernel has {k_channels}"
        )
    if height > MAX_INPUT_SIDE or width > MAX_INPUT_SIDE:
        raise SpecError(
            f"input is {height}×{width}, over the limit of {MAX_INPUT_SIDE}×{MAX_INPUT_SIDE}"
        )
    if k_height > MAX_KERNEL_SIDE or k_width > MAX_KERNEL_SIDE:
        raise SpecError(
            f"kernel is {k_height}×{k_width}, over the limit of "
            f"{MAX_KERNEL_SIDE}×{MAX_KERNEL_SIDE}"
        )
    if channels > MAX_CHANNELS:
        raise SpecError(f"input has {channels} channels, over the limit of {MAX_CHANNELS}")
    if filters > MAX_FILTERS:
        raise SpecError(f"kernel has {filters} filters, over the limit of {MAX_FILTERS}")

    stride_hw = pair(stride, "stride", 1)
    dilation_hw = pair(dilation, "dilation", 1)
    pads, label = _padding(
        padding, (k_height, k_width), dilation_hw, stride_hw, (height, width)
    )
    if isinstance(flip, np.bool_):
        flip = bool(flip)
    if not isinstance(flip, bool):
        raise SpecError(f"flip must be true or false, got {show(flip)}")
    activation_word = activation.strip().lower() if isinstance(activation, str) else ""
    if activation_word not in ACTIVATIONS:
        raise SpecError(
            f"activation {show(activation)} is not one of {', '.join(ACTIVATIONS)}"
        )

    bias_values: tuple[int | float, ...] | None = None
    if bias is not None:
        items = bias if isinstance(bias, (list, tuple)) else [bias]
        if isinstance(bias, str):
            try:
                items = [float(b) if "." in b or "e" in b.lower() else int(b)
                         for b in bias.split(",")]
            except ValueError:
                raise SpecError(f"bias must be numbers, got {show(bias)}") from None
        bias_values = tuple(number(b, f"bias[{i}]") for i, b in enumerate(items))
        if len(bias_values) != filters:
            raise SpecError(
                f"bias has {len(bias_values)} value{'s' * (len(bias_values) != 1)} but there "
                f"{'is 1 filter' if filters == 1 else f'are {filters} filters'}"
            )

    padded_h = height + pads[0] + pads[1]
    padded_w = width + pads[2] + pads[3]
    if padded_h > MAX_PADDED_SIDE or padded_w > MAX_PADDED_SIDE:
        raise SpecError(
            f"padding makes the input {show(padded_h)}×{show(padded_w)}, over the"
            f" limit of {MAX_PADDED_SIDE}×{MAX_PADDED_SIDE}"
        )
    if channels * padded_h * padded_w > MAX_CELLS:
        raise SpecError(
            f"input is {channels}×{padded_h}×{padded_w} with padding, over the limit of"
            f" {MAX_CELLS:,} cells"
        )
    span_h = dilation_hw[0] * (k_height - 1) + 1
    span_w = dilation_hw[1] * (k_width - 1) + 1
    if span_h > padded_h or span_w > padded_w:
        if pads == (0, 0, 0, 0) and dilation_hw == (1, 1):
            raise SpecError(
                f"kernel {k_height}×{k_width} is larger than input {height}×{width};"
                " the kernel must fit inside the input"
            )
        raise SpecError(
            f"kernel footprint {span_h}×{span_w} (with dilation) is larger than the"
            f" padded input {padded_h}×{padded_w}"
        )

    integral = in_integral and k_integral and all(isinstance(b, int) for b in bias_values or ())
    dtype = np.int64 if integral else np.float64
    in_final = in_array.astype(dtype, copy=False).reshape(in_shape)
    k_final = k_array.astype(dtype, copy=False).reshape(k_shape)
    in_final.setflags(write=False)
    k_final.setflags(write=False)
    return ConvSpec(
        input=in_final,
        kernel=k_final,
        stride=stride_hw,
        padding=pads,
        dilation=dilation_hw,
        flip=flip,
        bias=bias_values,
        activation=activation_word,
        padding_label=label,
        input_rank=in_rank,
        kernel_rank=k_rank,
    )
