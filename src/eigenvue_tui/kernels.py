"""Kernels by name (``--kernel sobel-x``, the ``k`` picker) and swapping a problem's kernel.

A named kernel is 2-D; on a C-channel input it is applied to every channel
(the same slice repeated), which is what "run an edge filter on a colour
picture" means to most people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .spec import ConvSpec, make_spec

NAMED: dict[str, list[list[float]]] = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "edge": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    "sobel-x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel-y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "prewitt-x": [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],
    "prewitt-y": [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "box-blur": [[1 / 9] * 3 for _ in range(3)],
    "gaussian-blur": [[v / 16 for v in row] for row in ([1, 2, 1], [2, 4, 2], [1, 2, 1])],
}
DEFAULT_IMAGE_KERNEL = "edge"


class UnknownKernel(ValueError):
    """A ``--kernel`` word that is not one of ``NAMED``."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown kernel {name!r} (known: {', '.join(NAMED)})")


def named(name: str) -> list[list[float]]:
    """The named kernel's rows (a fresh copy)."""
    if name not in NAMED:
        raise UnknownKernel(name)
    return [list(row) for row in NAMED[name]]


def looks_like_name(text: str) -> bool:
    """``--kernel`` text that is a word rather than JSON."""
    return not text.lstrip().startswith("[")


def fit_to_channels(kernel: Any, channels: int | None) -> Any:
    """A 2-D kernel repeated over ``channels`` (``None``: a plain 2-D input, kept as is)."""
    if channels is None or np.ndim(kernel) != 2:
        return kernel
    return [np.asarray(kernel).tolist() for _ in range(channels)]


def with_kernel(spec: ConvSpec, kernel: Any) -> ConvSpec:
    """``spec`` with another kernel, keeping the input and every option (validated afresh).

    A 2-D kernel on a C-channel input is applied to every channel.
    """
    grid, _ = spec.grids()
    kernel = fit_to_channels(kernel, spec.channels if spec.has_channels else None)
    return make_spec(grid, kernel, **spec.options())


@dataclass(frozen=True)
class KernelChoice:
    """One line of the ``k`` picker: a named kernel, or the kernel of a preset."""

    name: str
    kernel: Any = field(compare=False)
    source: str = "named"  # "named", or the preset's name


def choices(entries: Iterable[Any] = ()) -> list[KernelChoice]:
    """The named kernels, then the kernel of every conv preset among the catalogue's
    ``entries`` (a broken preset has none and is left out)."""
    found = [KernelChoice(name, named(name)) for name in NAMED]
    found += [KernelChoice(entry.title, entry.kernel, entry.name)
              for entry in entries if entry.kernel is not None]
    return found
