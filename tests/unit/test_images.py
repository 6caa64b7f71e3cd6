"""Pictures as inputs (issue 7 §1): the grid is exactly Pillow's numbers; broken pictures
are one line naming the file.

Expected values come from Pillow's own ``convert`` + ``resize(BOX)`` called here, and the
expected sizes are written out by hand; the convolution is checked with scipy.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, features
from scipy.signal import correlate2d

from eigenvue_tui import cli
from eigenvue_tui.images import image_preset, parse_size, target_size
from eigenvue_tui.presets import PresetError, builtin_dir, catalogue, resolve

EDGE = np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])


def picture(width: int, height: int, seed: int = 0) -> Image.Image:
    """A noisy RGB picture with a bright square, so resizing has something to average."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
    pixels[height // 4 : height // 2, width // 4 : width // 2] = 250
    return Image.fromarray(pixels, "RGB")


def pillow_grid(path, size_wh: tuple[int, int], mode: str = "L") -> np.ndarray:
    with Image.open(path) as image:
        array = np.asarray(image.convert(mode).resize(size_wh, Image.Resampling.BOX))
    return array.transpose(2, 0, 1) if mode == "RGB" else array


def main(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# (width, height, --size) → the (width, height) Pillow must be asked for, worked out by hand.
SIZES = {
    "landscape": (640, 480, "32", (32, 24)),
    "portrait": (480, 640, "32", (24, 32)),
    "square": (50, 50, "16", (16, 16)),
    "rounding-down": (100, 33, "10", (10, 3)),
    "rounding-up": (100, 37, "10", (10, 4)),
    "thin": (300, 30, "32", (32, 3)),
    "upscale": (5, 4, "32", (32, 26)),
    "exact-hxw": (640, 480, "24x40", (40, 24)),
    "exact-times-sign": (64, 64, "5×7", (7, 5)),
}


@pytest.mark.parametrize("case", SIZES, ids=list(SIZES))
def test_grey_is_pillows_numbers(tmp_path, case):
    width, height, size, expected_wh = SIZES[case]
    path = tmp_path / "photo.png"
    picture(width, height).save(path)
    preset = image_preset(path, parse_size(size))
    want = pillow_grid(path, expected_wh)
    assert preset.spec.input_rank == 2
    assert preset.spec.input[0].shape == want.shape == expected_wh[::-1]
    assert np.array_equal(preset.spec.input[0], want)
    assert preset.title == f"photo.png {expected_wh[1]}×{expected_wh[0]}"


@pytest.mark.parametrize("case", ["landscape", "portrait", "exact-hxw"])
def test_rgb_is_pillows_three_channels(tmp_path, case):
    width, height, size, expected_wh = SIZES[case]
    path = tmp_path / "photo.png"
    picture(width, height, seed=3).save(path)
    preset = image_preset(path, parse_size(size), rgb=True)
    want = pillow_grid(path, expected_wh, "RGB")
    assert preset.spec.channels == 3 and preset.spec.has_channels
    assert np.array_equal(preset.spec.input, want)
    # the edge kernel, the same slice for R, G and B
    assert np.array_equal(preset.spec.kernel[0], np.stack([EDGE] * 3))


def test_a_side_never_rounds_to_zero():
    assert target_size(300, 2, 32) == (32, 1)
    assert target_size(2, 300, 32) == (1, 32)


def test_default_size_is_32_on_the_longer_side(tmp_path):
    path = tmp_path / "wide.png"
    picture(96, 48).save(path)
    assert resolve(str(path)).spec.input.shape == (1, 16, 32)


FORMATS = ["PNG", "JPEG", "BMP", "GIF", "TIFF"] + (["WEBP"] if features.check("webp") else [])


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_by_content_even_with_a_wrong_extension(tmp_path, capsys, fmt):
    path = tmp_path / "not-what-it-says.json"
    picture(40, 30, seed=5).save(path, format=fmt)
    code, out, err = main(capsys, str(path), "--size", "12", "--trace")
    assert code == 0, err
    grid = pillow_grid(path, (12, 9))
    done = json.loads(out.splitlines()[-1])
    assert done["output"] == correlate2d(grid.astype(int), EDGE, mode="valid").tolist()


def test_gif_uses_the_first_frame(tmp_path):
    frames = [Image.new("L", (8, 8), 10), Image.new("L", (8, 8), 200)]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    grid = image_preset(path, 8).spec.input[0]
    assert np.array_equal(grid, pillow_grid(path, (8, 8)))
    assert set(np.unique(grid)) == {10}


def test_json_preset_is_still_json_whatever_its_name(tmp_path):
    path = tmp_path / "looks-like.png"
    path.write_text('{"input": [[1, 2], [3, 4]], "kernel": [[1]]}', encoding="utf-8")
    assert resolve(str(path)).spec.input.tolist() == [[[1, 2], [3, 4]]]


def test_options_apply_to_pictures(tmp_path, capsys):
    path = tmp_path / "p.png"
    picture(20, 20, seed=8).save(path)
    code, out, err = main(capsys, str(path), "--size", "10", "--stride", "2", "--kernel",
                          "sobel-x", "--trace")
    assert code == 0, err
    sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    want = correlate2d(pillow_grid(path, (10, 10)).astype(int), sobel, mode="valid")[::2, ::2]
    assert json.loads(out.splitlines()[-1])["output"] == want.tolist()


def one_line(capsys, *argv: str) -> str:
    code, out, err = main(capsys, *argv)
    assert code == 2 and out == "", (code, err)
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def broken_files(tmp_path) -> dict[str, tuple[object, str]]:
    good = tmp_path / "good.png"
    picture(64, 64).save(good)
    data = good.read_bytes()
    cases = {
        "not-an-image": (b"hello, I am text\n" * 4, "not a picture"),
        "truncated": (data[: len(data) // 2], "broken picture"),
        "zero-bytes": (b"", "empty"),
        "header-only": (data[:40], "not a picture"),
    }
    return {
        name: (tmp_path / f"{name}.png", problem, content)
        for name, (content, problem) in cases.items()
    }


@pytest.mark.parametrize("case", ["not-an-image", "truncated", "zero-bytes", "header-only"])
def test_bad_pictures_are_one_line(tmp_path, capsys, case):
    path, problem, content = broken_files(tmp_path)[case]
    path.write_bytes(content)
    err = one_line(capsys, str(path))
    assert str(path) in err and problem in err, err


def test_zero_sized_picture(tmp_path, capsys):
    """Pillow will not write a 0×0 PNG, so one is made by zeroing a 1×1 PNG's IHDR size."""
    path = tmp_path / "zero.png"
    good = tmp_path / "one.png"
    Image.new("L", (1, 1)).save(good)
    data = bytearray(good.read_bytes())
    data[16:24] = bytes(8)  # IHDR width and height = 0
    path.write_bytes(bytes(data))
    err = one_line(capsys, str(path))
    assert str(path) in err, err


@pytest.mark.parametrize("pixels_over", [1.5, 3])
def test_decompression_bomb(tmp_path, capsys, monkeypatch, pixels_over):
    """Over Pillow's MAX_IMAGE_PIXELS (a warning) or twice it (an error): refused either way."""
    path = tmp_path / "bomb.png"
    Image.new("L", (100, 100)).save(path)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", int(100 * 100 / pixels_over))
    err = one_line(capsys, str(path))
    assert str(path) in err and "too large" in err, err


def test_unreadable_paths(tmp_path, capsys):
    missing = tmp_path / "missing.png"
    assert "no such file" in one_line(capsys, str(missing))
    folder = tmp_path / "folder.png"
    folder.mkdir()
    assert "directory" in one_line(capsys, str(folder))
    under_a_file = tmp_path / "good.png"
    picture(4, 4).save(under_a_file)
    err = one_line(capsys, str(under_a_file / "child.png"))
    assert "child.png" in err, err


@pytest.mark.parametrize("size", ["0", "abc", "2x3x4", "2000", "-4", "4x"])
def test_bad_size(tmp_path, capsys, size):
    path = tmp_path / "p.png"
    picture(8, 8).save(path)
    assert "--size" in one_line(capsys, str(path), f"--size={size}")


def test_size_and_rgb_need_a_picture(capsys):
    assert "picture" in one_line(capsys, "default", "--size", "8")
    assert "picture" in one_line(capsys, "default", "--rgb")


@pytest.mark.parametrize(("name", "stored_wh", "shown_wh"),
                         [("camera", (64, 64), (32, 32)), ("facade", (64, 48), (32, 24))])
def test_shipped_pictures_are_presets(name, stored_wh, shown_wh):
    path = builtin_dir() / f"{name}.png"
    with Image.open(path) as image:
        assert image.size == stored_wh
    entry = next(e for e in catalogue() if e.name == name)
    assert entry.error is None, entry.error
    assert np.array_equal(resolve(name).spec.input[0], pillow_grid(path, shown_wh))


def test_broken_picture_in_the_catalogue_is_reported(tmp_path):
    (tmp_path / "broken.png").write_bytes(b"nope")
    entry = next(e for e in catalogue((tmp_path,)) if e.name == "broken")
    assert entry.error and "not a picture" in entry.error
    with pytest.raises(PresetError):
        resolve("broken", (tmp_path,))
