"""Shipped presets load and compute what the oracle says; broken files name themselves."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import eigenvue_tui
import oracle
from eigenvue_tui.engine import Steps
from eigenvue_tui.operations import ALL_OPTIONS
from eigenvue_tui.presets import (
    OPTION_KEYS,
    PresetError,
    builtin_dir,
    catalogue,
    load_preset,
    parse_preset,
    preset_paths,
    resolve,
)

REPO_PRESETS = Path(__file__).resolve().parents[2] / "presets"

# The seed's two examples (../shared/seed/convolution-2d.txt), copied by hand.
SEED_DEFAULT_INPUT = [[1, 2, 3, 0], [4, 5, 6, 1], [7, 8, 9, 2], [0, 1, 2, 3]]
SEED_DEFAULT_KERNEL = [[1, 0], [0, -1]]
SEED_EDGE_INPUT = [
    [0, 0, 0, 0, 0],
    [0, 1, 1, 1, 0],
    [0, 1, 1, 1, 0],
    [0, 1, 1, 1, 0],
    [0, 0, 0, 0, 0],
]
SEED_EDGE_KERNEL = [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]

# Named by the issues (2 §3 and 3 "Presets") or by the team's agreed list.
REQUIRED = [
    "default", "edge-detection", "blur", "identity", "sobel-x", "sobel-y",
    "same-padding", "stride-2", "dilation-2", "flip", "rgb-channels", "two-filters",
    "bias-relu",
]

ALL_NAMES = [entry.name for entry in catalogue()]
# The JSON presets; the shipped pictures are checked against Pillow in test_images.py.
ENTRIES = [entry for entry in catalogue() if entry.path.suffix == ".json"]
NAMES = [entry.name for entry in ENTRIES]
# The conv presets (im2col is a view of conv); the other operations have their own tests.
CONV_ENTRIES = [entry for entry in ENTRIES if entry.op == "conv"]
CONV_NAMES = [entry.name for entry in CONV_ENTRIES]


def raw(name: str) -> dict:
    """The preset's JSON, read without the package's loader."""
    return json.loads(preset_paths()[name].read_text(encoding="utf-8"))


def oracle_options(data: dict) -> dict:
    return {key: data[key] for key in OPTION_KEYS if key in data}


def test_the_catalogue_is_the_presets_directory():
    on_disk = sorted(p.stem for p in builtin_dir().iterdir() if p.suffix in {".json", ".png"})
    assert on_disk, "no presets shipped"
    assert sorted(ALL_NAMES) == on_disk
    assert on_disk == sorted(p.stem for p in REPO_PRESETS.iterdir())
    assert [e.name for e in eigenvue_tui.presets()] == ALL_NAMES


@pytest.mark.parametrize("name", REQUIRED)
def test_required_presets_exist(name):
    assert name in NAMES


@pytest.mark.parametrize("word", ["sharpen", "gauss", "emboss"])
def test_issue_kernels_have_a_preset(word):
    assert any(word in name for name in NAMES), NAMES


@pytest.mark.parametrize("entry", ENTRIES, ids=NAMES)
def test_every_preset_loads(entry):
    assert entry.error is None, entry.error
    preset = load_preset(entry.path)
    assert preset.name == entry.name == entry.path.stem
    assert preset.title and isinstance(preset.title, str)
    assert preset.description and isinstance(preset.description, str)
    assert entry.size == preset.spec.describe_size()
    data = raw(entry.name)
    assert set(data) <= {"title", "description", "input", "kernel", "op", "view", "channel_names",
                         *ALL_OPTIONS}


@pytest.mark.parametrize("entry", CONV_ENTRIES, ids=CONV_NAMES)
def test_every_preset_output_equals_the_oracle(entry):
    data = raw(entry.name)
    options = oracle_options(data)
    seq = Steps(load_preset(entry.path).spec)
    want = oracle.conv2d(data["input"], data["kernel"], **options)
    problem = oracle.Problem(data["input"], data["kernel"], **options)
    assert oracle.close(seq.output_list(), problem.shaped(want))
    assert len(seq) == problem.n_steps
    assert oracle.close(problem.shaped(oracle.conv2d_einsum(data["input"], data["kernel"],
                                                            **options)), seq.output_list())


@pytest.mark.parametrize("entry", CONV_ENTRIES, ids=CONV_NAMES)
def test_every_preset_every_step_equals_the_oracle(entry):
    data = raw(entry.name)
    seq = Steps(load_preset(entry.path).spec)
    oracle.check_steps(seq, data["input"], data["kernel"], oracle_options(data))


def test_default_is_the_seed_default_exactly():
    data = raw("default")
    assert data["input"] == SEED_DEFAULT_INPUT
    assert data["kernel"] == SEED_DEFAULT_KERNEL
    assert not set(data) & set(OPTION_KEYS)
    spec = resolve("default").spec
    assert spec.is_seed_case and spec.integral
    assert spec.input[0].tolist() == SEED_DEFAULT_INPUT


def test_edge_detection_is_the_seed_example_exactly():
    data = raw("edge-detection")
    assert data["input"] == SEED_EDGE_INPUT
    assert data["kernel"] == SEED_EDGE_KERNEL
    assert not set(data) & set(OPTION_KEYS)
    assert resolve("edge-detection").spec.kernel[0, 0].tolist() == SEED_EDGE_KERNEL


def test_blur_is_the_default_input_with_quarter_weights():
    data = raw("blur")
    assert data["input"] == SEED_DEFAULT_INPUT
    assert data["kernel"] == [[0.25, 0.25], [0.25, 0.25]]


def test_identity_reproduces_its_input():
    data = raw("identity")
    assert np.asarray(data["input"]).shape == (3, 3)
    assert data["kernel"] == [[1]]
    assert Steps(resolve("identity").spec).output_list() == data["input"]


def test_catalogue_has_a_large_a_digit_and_a_non_square_preset():
    shapes = {n: (np.asarray(raw(n)["input"]).shape, np.asarray(raw(n)["kernel"]).shape)
              for n in CONV_NAMES}
    assert any(i[-2] >= 48 and i[-1] >= 48 for i, _ in shapes.values())
    assert any(i == (16, 16) for i, _ in shapes.values())
    assert any(i[-2] != i[-1] and k[-2] != k[-1] for i, k in shapes.values())


# -- the issue-3 teaching presets do what they teach ------------------------------


def test_same_padding_preset_is_asymmetric_and_keeps_size():
    spec = resolve("same-padding").spec
    assert spec.padding_label == "same"
    assert spec.kernel_height % 2 == 0 or spec.kernel_width % 2 == 0
    t, b, left, r = spec.padding
    assert (t, left) != (b, r)
    assert (spec.out_height, spec.out_width) == (spec.height, spec.width)


def test_stride_and_dilation_presets():
    assert 2 in resolve("stride-2").spec.stride
    assert 2 in resolve("dilation-2").spec.dilation


def test_flip_preset_differs_from_cross_correlation():
    data = raw("flip")
    assert data.get("flip") is True
    flipped = oracle.conv2d(data["input"], data["kernel"], flip=True)
    plain = oracle.conv2d(data["input"], data["kernel"])
    assert not np.array_equal(flipped, plain)
    assert Steps(resolve("flip").spec).output_list() == flipped[0].tolist()


def test_rgb_preset_has_three_channels_one_filter():
    spec = resolve("rgb-channels").spec
    assert spec.channels == 3 and spec.filters == 1 and spec.has_channels


def test_two_filters_preset_gives_two_feature_maps():
    spec = resolve("two-filters").spec
    assert spec.filters == 2 and spec.has_filters
    output = Steps(spec).output_list()
    assert len(output) == 2 and output[0] != output[1]


def test_bias_relu_preset_zeroes_some_negatives():
    data = raw("bias-relu")
    assert data.get("activation") == "relu" and data.get("bias") is not None
    sums = oracle.conv2d(data["input"], data["kernel"], bias=data["bias"])
    assert (sums < 0).any() and (sums > 0).any()
    seq = Steps(resolve("bias-relu").spec)
    writes = [t for t in seq if t.phase == "write"]
    assert any(t.sum < 0 and t.value == 0 for t in writes)


# -- broken preset files -----------------------------------------------------------

GOOD = {"title": "t", "description": "d", "input": [[1, 2], [3, 4]], "kernel": [[1]]}


def text_of(data: dict) -> str:
    return json.dumps(data)


BAD_FILES = {
    "malformed": ('{"input": [[1, 2], [3, 4]], "kernel": [[1]', "JSON"),
    "empty-file": ("", "JSON"),
    "missing-input": (text_of({"kernel": [[1]]}), "input"),
    "missing-kernel": (text_of({"input": [[1]]}), "kernel"),
    "unknown-key": (text_of({**GOOD, "kernal": [[1]]}), "kernal"),
    "ragged": (text_of({**GOOD, "input": [[1, 2], [3]]}), "input[1]"),
    "nan-token": ('{"input": [[1, NaN]], "kernel": [[1]]}', "finite"),
    "infinity-token": ('{"input": [[1, Infinity]], "kernel": [[1]]}', "finite"),
    "string-value": (text_of({**GOOD, "kernel": [["1"]]}), "not a number"),
    "boolean-value": (text_of({**GOOD, "kernel": [[True]]}), "not a number"),
    "kernel-larger": (text_of({**GOOD, "kernel": [[1, 1, 1]]}), "larger"),
    "top-level-list": ("[[1, 2], [3, 4]]", "object"),
    "top-level-number": ("3", "object"),
    "title-not-string": (text_of({**GOOD, "title": 3}), "title"),
    "bad-stride": (text_of({**GOOD, "stride": 0}), "stride"),
    "bad-padding": (text_of({**GOOD, "padding": "middle"}), "padding"),
}


def check_error(error: PresetError, path: Path, match: str) -> None:
    message = str(error)
    assert str(path) in message
    assert "\n" not in message
    assert match.lower() in message.lower(), message


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_preset_file(tmp_path, case):
    text, match = BAD_FILES[case]
    path = tmp_path / f"{case}.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PresetError) as caught:
        load_preset(path)
    check_error(caught.value, path, match)
    with pytest.raises(PresetError) as caught:
        resolve(str(path))
    check_error(caught.value, path, match)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"title": "caf\u00e9", "input": [[1]], "kernel": [[1]]}'.encode("latin-1"))
    with pytest.raises(PresetError) as caught:
        load_preset(path)
    check_error(caught.value, path, "UTF-8")


def test_directory(tmp_path):
    path = tmp_path / "folder.json"
    path.mkdir()
    with pytest.raises(PresetError) as caught:
        load_preset(path)
    check_error(caught.value, path, "directory")


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.json"
    with pytest.raises(PresetError) as caught:
        resolve(str(path))
    check_error(caught.value, path, "no such file")


def test_unknown_preset_name():
    with pytest.raises(PresetError) as caught:
        resolve("no-such-preset")
    assert "no-such-preset" in str(caught.value)
    assert "unknown preset" in str(caught.value)


def test_broken_file_in_extra_dir_is_listed_with_its_error(tmp_path):
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "mine.json").write_text(text_of(GOOD), encoding="utf-8")
    entries = {e.name: e for e in catalogue((tmp_path,))}
    assert entries["broken"].error and str(tmp_path / "broken.json") in entries["broken"].error
    assert entries["mine"].error is None and entries["mine"].title == "t"
    assert set(NAMES) <= set(entries)
    assert resolve("mine", (tmp_path,)).spec.input[0].tolist() == GOOD["input"]


def test_good_file_with_options_loads(tmp_path):
    data = {**GOOD, "input": np.arange(25).reshape(5, 5).tolist(), "kernel": [[1, 2], [3, 4]],
            "stride": [2, 1], "padding": "same", "dilation": 1, "flip": True, "bias": [1],
            "activation": "relu"}
    path = tmp_path / "options.json"
    path.write_text(text_of(data), encoding="utf-8")
    preset = load_preset(path)
    assert preset.name == "options" and preset.path == path
    options = oracle_options(data)
    want = oracle.Problem(data["input"], data["kernel"], **options).shaped(
        oracle.conv2d(data["input"], data["kernel"], **options))
    assert Steps(preset.spec).output_list() == want


@pytest.mark.parametrize("names, input, message", [
    (["a", "b"], [[1]], "has 2 names for 1 channel"),
    (["a"], [[[1]], [[2]], [[3]]], "has 1 name for 3 channels"),
])
def test_channel_names_of_the_wrong_count_read_as_english(names, input, message):
    kernel = [[[1]]] * len(input) if isinstance(input[0][0], list) else [[1]]
    with pytest.raises(PresetError) as caught:
        parse_preset({"input": input, "kernel": kernel, "channel_names": names}, "x", "x.json")
    assert str(caught.value) == f"x.json: 'channel_names' {message}"
