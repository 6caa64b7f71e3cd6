"""eigenvue-tui: 2D convolution, one multiply-add at a time.

The Python API is headless (no Textual import) except :func:`show`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import collection

collection.pause()  # numpy's import and ours make no garbage worth a collection
try:
    from .engine import Phase, Step, Steps
    from .operations import OPS, make_problem, steps
    from .presets import CatalogueEntry, Preset, PresetError, catalogue, parse_preset
    from .quiz import Question, quiz  # the function shadows its module's name, on purpose
    from .spec import ConvSpec, SpecError, make_spec
    from .sums import SumsCancelled
finally:
    collection.resume()

__all__ = [
    "OPS", "ConvSpec", "Im2col", "Phase", "Preset", "PresetError", "Question", "SpecError",
    "Step", "Steps", "SumsCancelled", "make_problem", "make_spec", "presets", "quiz", "show",
    "steps",
]


def __getattr__(name: str) -> Any:
    """``__version__`` and ``Im2col``, loaded only when asked for: reading the installed
    metadata or the im2col view costs every start of the app time it does not need."""
    if name == "Im2col":
        from .im2col import Im2col

        return Im2col
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("eigenvue-tui")
    except PackageNotFoundError:  # a source tree on sys.path, never installed
        return "0+unknown"

Folder = str | os.PathLike[str]


def presets(extra_dirs: Folder | Iterable[Folder] = ()) -> list[CatalogueEntry]:
    """The available presets: name, file, title, size, description (or the error).

    ``extra_dirs`` is one folder (text or path) or several.
    """
    folders = [extra_dirs] if isinstance(extra_dirs, (str, os.PathLike)) else extra_dirs
    try:
        paths = tuple(Path(folder) for folder in folders)
    except TypeError:
        raise TypeError(
            f"presets() takes a folder or a list of folders, not {extra_dirs!r}"
        ) from None
    return catalogue(paths)


def show(input: Any, kernel: Any = None, *, title: str = "Python grids", step: int = 0,
         **options: Any) -> None:
    """Open the app on these grids: in the terminal (blocks until the user quits), or,
    inside a Jupyter kernel, inline in the notebook (served on a loopback port until the
    kernel stops; needs the ``[web]`` extra)."""
    from .notebook import kernel_shell, show_inline

    preset = parse_preset(
        {"title": title, "input": input,
         **({} if kernel is None else {"kernel": kernel}), **options}, "python", "show()"
    )
    if kernel_shell() is not None:
        show_inline(preset, step)
        return
    from .cli import terminal_problem

    if (problem := terminal_problem()) is not None:  # else it spins, drawing into a pipe
        raise RuntimeError(f"show(): {problem} (in Jupyter it shows inline)")
    from .app import ConvolutionApp

    ConvolutionApp(preset, start_step=step).run()
