"""Fixtures for the Pilot and snapshot tests: apps built the way the CLI builds them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import resolve


def build_app(name: str = "default", **options: Any) -> ConvolutionApp:
    """A ConvolutionApp for a preset name, as ``eigenvue-tui NAME`` would start it."""
    return ConvolutionApp(resolve(name), **options)


@pytest.fixture
def make_app() -> Callable[..., ConvolutionApp]:
    """Factory: ``make_app("edge-detection", start_step=5, preset_dirs=(tmp_path,))``."""
    return build_app


@pytest.fixture
def app() -> ConvolutionApp:
    """The app on the seed's default preset, at step 0."""
    return build_app()
