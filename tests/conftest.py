"""Every test gets its own empty user data folder, so saved presets never leak in or out."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def user_data_home(tmp_path_factory, monkeypatch):
    """``$XDG_DATA_HOME`` in a fresh temporary folder (platformdirs reads it on every call)."""
    home = tmp_path_factory.mktemp("xdg-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home
