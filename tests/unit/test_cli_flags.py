"""Flags the command used to ignore or apply too late: each is refused in one line or now
counts, and the problem checked is the one that runs (the source with every flag in)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eigenvue_tui import cli

REPO = Path(__file__).resolve().parents[2]


def main(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *argv: str) -> str:
    """The one stderr line of a refusal (status 2, nothing on stdout)."""
    code, out, err = main(capsys, *argv)
    assert code == 2 and out == "", (code, err)
    assert err.count("\n") == 1 and err.startswith("eigenvue-tui: error: "), err
    assert "Traceback" not in err
    return err


def trace(capsys, *argv: str) -> list[dict]:
    code, out, err = main(capsys, *argv, "--trace")
    assert code == 0 and err == "", err
    return [json.loads(line) for line in out.splitlines()]


def preset_file(tmp_path: Path, name: str = "lesson", **data) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("folder", ["/nonexistent", "/etc/passwd"])
def test_list_refuses_a_presets_dir_that_is_not_a_folder(capsys, folder):
    err = refused(capsys, "--list", "--presets-dir", folder)
    assert f"--presets-dir {folder}: not a directory" in err


@pytest.mark.parametrize("redirect, problem", [("> /dev/full", "No space left on device"),
                                               (">&-", "stdout is closed")])
def test_help_that_cannot_be_written_is_one_line_and_status_1(redirect, problem):
    result = subprocess.run(f"{sys.executable} -m eigenvue_tui --help {redirect}", shell=True,
                            capture_output=True, text=True, cwd=REPO, timeout=30)
    assert result.returncode == 1, result
    assert result.stderr.count("\n") == 1 and problem in result.stderr, result.stderr
    assert result.stderr.startswith("eigenvue-tui: error: cannot write the output")


def test_help_still_prints(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--help"])
    out, err = capsys.readouterr()
    assert exit_.value.code == 0 and err == ""
    assert out.startswith("usage: eigenvue-tui") and "--presets-dir" in out


@pytest.mark.parametrize("op", ["maxpool", "avgpool"])
def test_a_kernel_given_to_a_pool_is_refused(capsys, op):
    err = refused(capsys, "default", "--op", op, "--pool", "2", "--kernel", "[[1]]", "--trace")
    assert "default.json" in err and f"{op} takes no kernel" in err


@pytest.mark.parametrize("argv, words", [
    (["--input", "[[1]]", "--kernel", "[[1]]", "--size", "5", "--trace"],
     "--size and --rgb apply to a picture, not inline grids"),
    (["--input", "[[1]]", "--kernel", "[[1]]", "--rgb", "--trace"],
     "--size and --rgb apply to a picture, not inline grids"),
    (["--kernels", "--trace"], "--kernels and --trace do not go together"),
    (["--list", "--kernels"], "--list and --kernels do not go together"),
    (["--list", "--step", "3"], "--list and --step do not go together"),
    (["--version", "--list"], "--version and --list do not go together"),
    (["--kernels", "--presets-dir", "."], "--kernels and --presets-dir do not go together"),
    (["--list", "foo"], "--list takes no SOURCE ('foo' given)"),
])
def test_ignored_flags_are_refused(capsys, argv, words):
    assert words in refused(capsys, *argv)


def test_a_screenshot_with_list_is_refused_and_nothing_is_written(capsys, tmp_path):
    svg = tmp_path / "x.svg"
    assert "--list and --screenshot do not go together" in refused(
        capsys, "--screenshot", str(svg), "--list")
    assert not svg.exists()


def test_list_keeps_its_presets_dir(capsys, tmp_path):
    preset_file(tmp_path, "mine", input=[[1]], kernel=[[1]])
    code, out, err = main(capsys, "--list", "--presets-dir", str(tmp_path))
    assert code == 0 and err == "" and "mine" in out


def test_an_empty_source_is_an_unknown_preset(capsys):
    assert "'': unknown preset" in refused(capsys, "", "--trace")


# -- the flags are in the problem before it is checked -------------------------------


def test_a_pictures_kernel_is_the_one_given(capsys, tmp_path):
    """The picture's own 3×3 edge kernel never meets the 1×1 input: --kernel replaces it."""
    from PIL import Image

    path = tmp_path / "photo.png"
    Image.new("L", (4, 4), 10).save(path)
    records = trace(capsys, str(path), "--size", "1x1", "--kernel", "[[2]]")
    assert records[-1]["output"] == [[20]]


def test_padding_makes_room_for_a_files_kernel(capsys, tmp_path):
    flagged = preset_file(tmp_path, "flagged", input=[[1]], kernel=[[1, 1], [1, 1]])
    inside = preset_file(tmp_path, "inside", input=[[1]], kernel=[[1, 1], [1, 1]], padding=1)
    assert trace(capsys, str(flagged), "--padding", "1") == trace(capsys, str(inside))


def test_padding_makes_room_for_a_kernel_flag(capsys, tmp_path):
    path = preset_file(tmp_path, input=[[1, 2], [3, 4]], kernel=[[1]])
    records = trace(capsys, str(path), "--kernel", "[[0,0,0],[0,1,0],[0,0,0]]",
                    "--padding", "1")
    assert records[-1]["output"] == [[1, 2], [3, 4]]


def test_same_padding_makes_room_for_a_files_kernel(capsys, tmp_path):
    path = preset_file(tmp_path, input=[[5]], kernel=[[2, 0], [0, 0]])
    assert trace(capsys, str(path), "--padding", "same")[-1]["output"] == [[10]]


def test_a_problem_the_flags_do_not_mend_names_the_file_and_the_flags(capsys, tmp_path):
    path = preset_file(tmp_path, input=[[1]], kernel=[[1, 1], [1, 1]])
    err = refused(capsys, str(path), "--stride", "2")
    assert f"{path} with --stride: kernel 2×2 is larger than input 1×1" in err


def test_a_file_broken_on_its_own_names_only_the_file(capsys, tmp_path):
    path = preset_file(tmp_path, input=[[1]], kernel=[[1]], strid=2)
    assert f"{path}: unknown key 'strid'" in refused(capsys, str(path), "--padding", "1")


def test_input_and_kernel_replace_the_channels_together(capsys):
    """rgb-channels' 3-channel kernel used to meet the new 2-D input before --kernel came."""
    records = trace(capsys, "rgb-channels", "--input", "[[1,2],[3,4]]", "--kernel", "[[1]]")
    assert records[-1]["output"] == [[1, 2], [3, 4]]


def test_a_ragged_kernel_on_channels_is_one_line(capsys):
    assert "kernel" in refused(capsys, "rgb-channels", "--kernel", "[[1,2],[3]]", "--trace")


@pytest.mark.parametrize("op", ['"nope"', "[1]"])
def test_a_files_bad_operation_with_op_flags_is_one_line(capsys, tmp_path, op):
    path = tmp_path / "bad-op.json"
    path.write_text(f'{{"input": [[1, 2], [3, 4]], "kernel": [[1]], "op": {op}}}')
    err = refused(capsys, str(path), "--op", "maxpool", "--pool", "2", "--trace")
    assert f"{path}: op {json.loads(op)!r} is not one of" in err


def test_new_grids_with_another_op_are_checked_as_that_op(capsys):
    """A 1×1 input with the default's 2×2 kernel is a transposed convolution, never a conv:
    checked as the file's own conv first, it was refused."""
    from scipy.signal import convolve2d

    records = trace(capsys, "default", "--input", "[[3]]", "--op", "transposed")
    kernel = json.loads((REPO / "presets" / "default.json").read_text())["kernel"]
    assert records[-1]["output"] == convolve2d([[3]], kernel, mode="full").tolist()


def test_a_pool_file_takes_a_kernel_for_a_conv(capsys):
    """``maxpool --op conv --kernel K``: the error for a missing kernel named this remedy,
    which was then refused."""
    from scipy.signal import correlate2d

    data = json.loads((REPO / "presets" / "maxpool.json").read_text())
    records = trace(capsys, "maxpool", "--op", "conv", "--kernel", "[[1, 0], [0, -1]]")
    want = correlate2d(data["input"], [[1, 0], [0, -1]], mode="valid")
    assert records[-1]["output"] == want.tolist()
    assert "conv needs a kernel" in refused(capsys, "maxpool", "--op", "conv", "--trace")


def test_another_op_starts_on_the_grid_view(capsys):
    """As the app's o: the im2col preset switched to a pool is a pool on its grid view."""
    records = trace(capsys, "im2col", "--op", "maxpool", "--pool", "1")
    assert records[0]["phase"] == "init" and "weight_shape" not in records[0]
    assert "weight_shape" in trace(capsys, "im2col")[0]
    assert "is for conv only" in refused(capsys, "im2col", "--op", "maxpool", "--pool", "1",
                                         "--view", "im2col", "--trace")
