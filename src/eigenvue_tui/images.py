"""Pictures as inputs: any file Pillow recognises becomes a grid of its 0–255 values.

The numbers are exactly Pillow's: ``convert("L")`` (or ``"RGB"``), then a
``BOX`` resize so the longer side is ``size`` (aspect kept) or to an exact
``(H, W)``. Every way a picture can be broken ends as one ``PresetError``
line naming the file, never a traceback.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np

from .kernels import DEFAULT_IMAGE_KERNEL, fit_to_channels, named
from .presets import IMAGE_SUFFIXES, MAX_FILE_BYTES, Preset, PresetError, parse_preset
from .spec import MAX_INPUT_SIDE

DEFAULT_SIZE = 32
SNIFF_BYTES = 64
Size = int | tuple[int, int]


def parse_size(text: str) -> Size:
    """``32`` (the longer side) or ``24x32`` (height × width) → a size; ``ValueError`` if bad."""
    parts = text.lower().replace("×", "x").split("x")
    if len(parts) > 2:
        raise ValueError(f"--size {text}: give N or HxW")
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        raise ValueError(f"--size {text}: give N or HxW in whole numbers") from None
    for number in numbers:
        if not 1 <= number <= MAX_INPUT_SIDE:
            raise ValueError(f"--size {text}: each side must be 1 … {MAX_INPUT_SIDE}")
    return numbers[0] if len(numbers) == 1 else (numbers[0], numbers[1])


def target_size(width: int, height: int, size: Size) -> tuple[int, int]:
    """Pillow's ``(width, height)`` for ``size``: the longer side ``size``, ratio kept."""
    if isinstance(size, tuple):
        return size[1], size[0]
    if width >= height:
        return size, max(1, round(height * size / width))
    return max(1, round(width * size / height)), size


def is_image(path: Path) -> bool:
    """True for a file to read as a picture: not JSON by content, and an image by
    content or by name (so a broken ``.png`` is reported as a broken picture)."""
    try:
        with path.open("rb") as file:
            head = file.read(SNIFF_BYTES)
    except OSError:
        return path.suffix.lower() in IMAGE_SUFFIXES
    if head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"["):
        return False
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return True
    from PIL import Image  # here, not at the top: Pillow costs every start of the app

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Image.open(path).close()
    except Exception:  # Pillow raises many kinds for non-images; all mean "not a picture"
        return False
    return True


def read_pixels(path: Path, size: Size = DEFAULT_SIZE, rgb: bool = False) -> tuple[
    np.ndarray, tuple[int, int]
]:
    """The resized picture as ``[H][W]`` (or ``[3][H][W]`` with ``rgb``) and its original
    (width, height)."""
    from PIL import Image

    source = str(path)
    try:
        bytes_on_disk = path.stat().st_size
    except FileNotFoundError:
        raise PresetError(f"{source}: no such file") from None
    except OSError as error:
        raise PresetError(f"{source}: cannot read ({error.strerror})") from None
    if path.is_dir():
        raise PresetError(f"{source}: is a directory, not a picture")
    if bytes_on_disk == 0:
        raise PresetError(f"{source}: empty file (0 bytes), not a picture")
    if bytes_on_disk > MAX_FILE_BYTES:
        raise PresetError(
            f"{source}: file is {bytes_on_disk} bytes, over the {MAX_FILE_BYTES} limit"
        )
    try:
        with warnings.catch_warnings():
            # Over MAX_IMAGE_PIXELS Pillow only warns; a picture that big is refused too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                original = image.size
                if 0 in original:
                    raise PresetError(f"{source}: picture is {original[0]}×{original[1]} pixels")
                converted = image.convert("RGB" if rgb else "L")
            resized = converted.resize(target_size(*original, size), Image.Resampling.BOX)
    except PresetError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PresetError(
            f"{source}: picture too large to decode safely (over {Image.MAX_IMAGE_PIXELS:,}"
            " pixels: a decompression bomb?)"
        ) from None
    except PermissionError as error:
        raise PresetError(f"{source}: cannot read ({error.strerror})") from None
    except Image.UnidentifiedImageError:
        raise PresetError(f"{source}: not a picture Pillow can read") from None
    except Exception as error:  # decoders of broken files raise OSError, SyntaxError, ...
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise PresetError(f"{source}: broken picture ({reason})") from None
    pixels = np.asarray(resized, dtype=np.int64)
    if rgb:
        pixels = pixels.transpose(2, 0, 1)
    return pixels, original


def image_preset(
    path: Path, size: Size = DEFAULT_SIZE, rgb: bool = False, name: str | None = None
) -> Preset:
    """A preset whose input is the picture at ``path`` and whose kernel is ``edge``."""
    return parse_preset(image_data(path, size, rgb), name or path.stem, str(path), path)


def image_data(path: Path, size: Size = DEFAULT_SIZE, rgb: bool = False) -> dict[str, Any]:
    """The picture as a preset's JSON, not yet checked: the CLI puts its changes in first."""
    pixels, (width, height) = read_pixels(path, size, rgb)
    h, w = pixels.shape[-2:]
    mode = "RGB" if rgb else "greyscale"
    kernel = fit_to_channels(named(DEFAULT_IMAGE_KERNEL), 3 if rgb else None)
    data: dict[str, Any] = {
        "title": f"{path.name} {h}×{w}" + (" RGB" if rgb else ""),
        "description": f"{height}×{width} px picture, {mode}, box-resized to {h}×{w}",
        "input": pixels.tolist(),
        "kernel": kernel,
    }
    if rgb:
        data["channel_names"] = ["R", "G", "B"]
    return data
