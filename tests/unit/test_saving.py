"""Saving a problem as a preset (issue 7 §4): what is written reads back as the same
problem, by name, from the user presets folder; a failed write changes nothing.

The grids are compared with the numbers of the preset file read by ``json`` here and
by numpy; the output of the saved preset's ``--trace`` with scipy's ``correlate2d``.
"""

from __future__ import annotations

import errno
import json
import os
from dataclasses import replace

import numpy as np
import pytest
from scipy.signal import correlate2d

from eigenvue_tui import cli, export
from eigenvue_tui.editing import Target, set_cell
from eigenvue_tui.presets import builtin_dir, catalogue, resolve, user_dir
from eigenvue_tui.saving import SaveError, check_stem, safe_stem, save_preset


def edited_default():
    preset = resolve("default")
    return replace(preset, spec=set_cell(preset.spec, Target("input", 0, 0), 40))


@pytest.mark.parametrize(("title", "stem"), [
    ("Default (4×4, 2×2)", "default-4-4-2-2"),
    ("camera.png 32×32", "camera-png-32-32"),
    ("   ", "my-preset"),
    ("Ünïcode — only!", "n-code-only"),
    ("x" * 80, "x" * 48),
])
def test_safe_stem(title, stem):
    assert safe_stem(title) == stem
    assert check_stem(stem) == stem


@pytest.mark.parametrize("bad", ["", "  ", "../up", "a/b", ".hidden", "sp ace", "x" * 49,
                                 "user:mine", "end."])
def test_check_stem_refuses_unusable_names(bad):
    with pytest.raises(SaveError, match="not a usable name"):
        check_stem(bad)


def test_check_stem_drops_a_json_suffix():
    assert check_stem(" mine.json ") == "mine"


def test_saved_preset_reads_back_by_name_with_the_same_grids_and_options(capsys):
    preset = resolve("stride-2")
    spec = set_cell(preset.spec, Target("kernel", 1, 1), -3)
    spec = spec.with_options(padding="same", flip=True, bias=[2], activation="relu")
    saved = save_preset(replace(preset, spec=spec), "mine")
    assert saved.path == user_dir() / "mine.json" and saved.name == "mine"
    data = json.loads((user_dir() / "mine.json").read_text(encoding="utf-8"))
    original = json.loads((builtin_dir() / "stride-2.json").read_text(encoding="utf-8"))
    kernel = np.array(original["kernel"])
    kernel[1, 1] = -3
    assert data["input"] == original["input"] and data["kernel"] == kernel.tolist()
    assert (data["stride"], data["padding"], data["flip"], data["bias"], data["activation"]) == (
        [2, 2], "same", True, [2], "relu")
    assert data["title"] == preset.title and data["description"] == preset.description
    assert preset.title in (user_dir() / "mine.json").read_text(encoding="utf-8")  # no \u escapes
    assert resolve("mine").spec == spec
    # The CLI finds it by name, and its trace is the convolution of those grids.
    code = cli.main(["mine", "--trace", "--no-flip", "--padding", "valid", "--stride", "1",
                     "--no-relu"])
    out, _ = capsys.readouterr()
    assert code == 0
    last = json.loads(out.splitlines()[-1])
    expected = correlate2d(np.array(original["input"]), kernel, mode="valid") + 2
    assert np.array_equal(np.array(last["output"]), expected)


def test_saved_floats_and_channels_round_trip():
    preset = resolve("rgb-channels")
    spec = set_cell(preset.spec, Target("input", 1, 2, channel=2), 0.1)
    saved = save_preset(replace(preset, spec=spec), "colour")
    assert saved.spec == spec and saved.channel_names == preset.channel_names
    assert np.array_equal(resolve("colour").spec.input, spec.input)


def test_a_built_in_name_is_saved_as_user_name(capsys):
    saved = save_preset(edited_default(), "default")
    assert saved.name == "user:default"
    assert resolve("user:default").spec.input[0, 0, 0] == 40
    assert resolve("default").spec.input[0, 0, 0] == 1  # the built-in is still there
    cli.main(["--list"])
    out, _ = capsys.readouterr()
    assert any(line.startswith("user:default ") for line in out.splitlines())
    assert any(line.startswith("default ") for line in out.splitlines())
    entry = next(e for e in catalogue() if e.name == "user:default")
    assert entry.user


def test_saving_honours_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    save_preset(edited_default(), "here")
    assert (tmp_path / "elsewhere" / "eigenvue-tui" / "presets" / "here.json").is_file()


def test_overwrite_replaces_the_file():
    save_preset(resolve("default"), "mine")
    save_preset(edited_default(), "mine")
    assert resolve("mine").spec.input[0, 0, 0] == 40
    assert [p.name for p in user_dir().iterdir()] == ["mine.json"]  # no temporary left


def fail(error_number: int):
    def raiser(*args, **kwargs):
        raise OSError(error_number, os.strerror(error_number))
    return raiser


@pytest.mark.parametrize(("target", "error_number", "words"), [
    ("replace", errno.EACCES, "Permission denied"),
    ("fsync", errno.ENOSPC, "No space left"),
    ("mkstemp", errno.EROFS, "Read-only file system"),
])
def test_a_failing_write_leaves_the_old_file(monkeypatch, target, error_number, words):
    save_preset(resolve("default"), "mine")
    before = (user_dir() / "mine.json").read_bytes()
    with monkeypatch.context() as patch, pytest.raises(SaveError, match=words) as caught:
        if target == "mkstemp":
            patch.setattr(export.tempfile, "mkstemp", fail(error_number))
        else:
            patch.setattr(export.os, target, fail(error_number))
        save_preset(edited_default(), "mine")
    assert str(user_dir() / "mine.json") in str(caught.value)
    assert "\n" not in str(caught.value)
    assert (user_dir() / "mine.json").read_bytes() == before
    assert sorted(p.name for p in user_dir().iterdir()) == ["mine.json"]


def test_a_folder_that_cannot_be_made_is_a_save_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    with pytest.raises(SaveError, match="cannot save"):
        save_preset(edited_default(), "mine")
