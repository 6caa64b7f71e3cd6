"""eigenvue-tui: 2D convolution, one multiply-add at a time.

The Python API is headless (no Textual import) except :func:`show`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .engine import Phase, Step, Steps, steps
from .presets import CatalogueEntry, Preset, PresetError, catalogue, parse_preset
from .quiz import Question, quiz  # the function shadows its module's name, on purpose
from .spec import ConvSpec, SpecError, make_spec
from .sums import SumsCancelled

__all__ = [
    "ConvSpec", "Phase", "Preset", "PresetError", "Question", "SpecError", "Step", "Steps",
    "SumsCancelled", "make_spec", "presets", "quiz", "show", "steps",
]
__version__ = "0.1.0"


def presets(extra_dirs: tuple[Path, ...] = ()) -> list[CatalogueEntry]:
    """The available presets: name, file, title, size, description (or the error)."""
    return catalogue(extra_dirs)


def show(input: Any, kernel: Any, *, title: str = "Python grids", step: int = 0,
         **options: Any) -> None:
    """Open the app on these grids (blocks until the user quits)."""
    from .app import ConvolutionApp

    preset = parse_preset(
        {"title": title, "input": input, "kernel": kernel, **options}, "python", "show()"
    )
    ConvolutionApp(preset, start_step=step).run()
