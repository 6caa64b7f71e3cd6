"""The live option keys (s, z, d, f, r): real keypresses, checked against the oracle."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import convolve2d

from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import resolve
from eigenvue_tui.widgets.grid import GridView
from oracle import conv2d

SIZE = (130, 42)


def explorer(app):
    return app.screen_stack[0]


def shown_output(app) -> np.ndarray:
    """The numbers the output grid(s) draw, read back from the rendered lines."""
    maps = []
    for grid in explorer(app).query("#output-panel GridView").results(GridView):
        grid.set_zoom(-50)  # one line a cell: the numbers as plain text, not big digits
        rows, cols = grid.grid_size
        values = []
        for row in range(rows):
            grid.scroll_to(0, max(row - 1, 0), animate=False, immediate=True)
            y = row - int(grid.scroll_offset.y) + 1
            text = grid.render_line(y).text.split()
            values.append([float(v.strip("[]")) for v in text[1 : cols + 1]])
        maps.append(values)
    return np.array(maps)


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def steps_count(out_hw: tuple[int, ...], macs: int, filters: int = 1) -> int:
    return 2 + filters * out_hw[-2] * out_hw[-1] * (macs + 2)


async def test_stride_key_changes_problem_and_matches_oracle():
    preset = resolve("default")
    app = ConvolutionApp(preset)
    x = preset.spec.input[0].tolist()
    k = preset.spec.kernel[0, 0].tolist()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        want = conv2d(x, k, stride=2)
        screen = explorer(app)
        assert screen.steps.spec.stride == (2, 2)
        assert len(screen.steps) == steps_count(want.shape, 4)
        assert "stride 2" in str(screen.query_one("#status").render())
        await pilot.press("end")
        await pilot.pause()
        np.testing.assert_allclose(shown_output(app)[0], want.reshape(want.shape[-2:]))
        await pilot.press("s", "s")
        await settle(app, pilot)
        assert screen.steps.spec.stride == (1, 1)


@pytest.mark.parametrize(
    ("presses", "word"), [(1, "same"), (2, "full"), (3, "valid")]
)
async def test_padding_key_cycles_and_pads_the_input(presses, word):
    preset = resolve("edge-detection")
    x = preset.spec.input[0].tolist()
    k = preset.spec.kernel[0, 0].tolist()
    app = ConvolutionApp(preset)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(presses):
            await pilot.press("z")
            await settle(app, pilot)
        screen = explorer(app)
        spec = screen.steps.spec
        assert spec.padding_label == word
        want = conv2d(x, k, padding=word)
        assert len(screen.steps) == steps_count(want.shape, 9)
        input_grid = screen.query_one("#input-grid-0", GridView)
        pads = spec.padding
        assert input_grid.grid_size == (5 + pads[0] + pads[1], 5 + pads[2] + pads[3])
        title = str(screen.query_one("#input-panel").border_title)
        assert ("pad top" in title) == (word != "valid")
        await pilot.press("end")
        await pilot.pause()
        np.testing.assert_allclose(shown_output(app)[0], want.reshape(want.shape[-2:]))


async def test_dilation_key_skips_values_that_do_not_fit():
    preset = resolve("edge-detection")  # 5×5 input, 3×3 kernel: dilation 3 needs 7×7
    app = ConvolutionApp(preset)
    async with app.run_test(size=SIZE) as pilot:
        screen = explorer(app)
        await pilot.press("d")
        await settle(app, pilot)
        assert screen.steps.spec.dilation == (2, 2)
        assert screen.steps.spec.out_height == 5 - 2 * (3 - 1)
        await pilot.press("d")
        await settle(app, pilot)
        assert screen.steps.spec.dilation == (1, 1)
        messages = [n.message for n in app._notifications]
        assert any("skipped 3:" in m for m in messages)


async def test_option_that_never_fits_keeps_state():
    """A 2×2 input with a 2×2 kernel: no dilation above 1 fits, so nothing changes."""
    from eigenvue_tui.presets import parse_preset

    preset = parse_preset({"input": [[1, 2], [3, 4]], "kernel": [[1, 0], [0, 1]]}, "tiny", "t")
    app = ConvolutionApp(preset, start_step=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = explorer(app)
        before = (screen.steps.spec, screen.step)
        await pilot.press("d")
        await settle(app, pilot)
        assert (screen.steps.spec, screen.step) == before
        assert any(n.severity == "warning" for n in app._notifications)


async def test_flip_key_gives_true_convolution():
    preset = resolve("non-square")
    x = np.array(preset.spec.input[0])
    k = np.array(preset.spec.kernel[0, 0])
    app = ConvolutionApp(preset)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await settle(app, pilot)
        screen = explorer(app)
        assert screen.steps.spec.flip
        assert "kernel[kH-1-kr][kW-1-kc]" in "\n".join(screen.steps.listing.lines)
        await pilot.press("end")
        await pilot.pause()
        np.testing.assert_allclose(shown_output(app)[0], convolve2d(x, k, mode="valid"))


async def test_relu_key_zeroes_negatives():
    preset = resolve("default")
    x = preset.spec.input[0].tolist()
    k = preset.spec.kernel[0, 0].tolist()
    app = ConvolutionApp(preset)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("end")
        await pilot.pause()
        want = conv2d(x, k, activation="relu")
        np.testing.assert_allclose(shown_output(app)[0], want.reshape(want.shape[-2:]))
        assert (shown_output(app) >= 0).all()


async def test_option_change_keeps_the_output_position():
    preset = resolve("edge-detection")
    spec = preset.spec
    block = spec.kernel_height * spec.kernel_width + 2
    position = 1 * spec.out_width + 1  # output cell (1, 1) of the 3×3 output
    start = 1 + position * block + 3  # its third MAC
    app = ConvolutionApp(preset, start_step=start)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z")  # same padding: a 5×5 output, cell (1, 1) still exists
        await settle(app, pilot)
        screen = explorer(app)
        step = screen.steps[screen.step]
        assert (step.phase, step.row, step.col, step.kr, step.kc) == ("mac", 1, 1, 0, 2)
        new_out_w = screen.steps.spec.out_width
        assert screen.step == 1 + (1 * new_out_w + 1) * block + 3


async def test_channels_show_current_slice_and_every_feature_map():
    preset = resolve("two-filters")
    spec = preset.spec
    app = ConvolutionApp(preset)
    async with app.run_test(size=SIZE) as pilot:
        screen = explorer(app)
        maps = screen.query("#output-panel GridView")
        assert len(maps) == spec.filters
        await pilot.press("end")
        await pilot.pause()
        want = conv2d(spec.input.tolist(), spec.kernel.tolist())
        np.testing.assert_allclose(shown_output(app), want)
        # a MAC of the second filter shows kernel[1][ch] in the kernel panel
        per_filter = spec.out_height * spec.out_width * (spec.channels * 9 + 2)
        screen.step = 1 + per_filter + 2
        await pilot.pause()
        second = screen.query_one("#kernel-grid-1-0", GridView)
        assert second.mark.current is not None and not second.mark.dimmed
        assert screen.query_one("#kernel-grid-0-0", GridView).mark.dimmed


async def test_grid_never_draws_a_cut_cell():
    """Scrolled to the middle of a cell, the grid starts at the next whole cell, labels too."""
    preset = resolve("large-scroll")
    app = ConvolutionApp(preset)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        grid = explorer(app).query_one("#input-grid-0", GridView)
        grid.set_zoom(-50)
        grid.scroll_to(grid.geometry.cell_w * 3 + 2, 0, animate=False, immediate=True)
        await pilot.pause()
        header = grid.render_line(0).text.split()
        first_row = grid.render_line(1).text.split()
        assert header[0] == "4"
        want = preset.spec.input[0, 0, 4 : 4 + len(first_row) - 1].tolist()
        assert [int(v) for v in first_row[1:]] == want[: len(first_row) - 1]


async def test_option_presses_in_quick_succession_all_apply():
    """Two presses before the first change is drawn still move the option two values on."""
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s", "f")
        await settle(app, pilot)
        spec = explorer(app).steps.spec
        assert spec.stride == (3, 3) and spec.flip


async def test_playing_continues_through_an_option_change():
    app = ConvolutionApp(resolve("handwritten-digit"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "z")
        await settle(app, pilot)
        screen = explorer(app)
        assert screen.playing and screen.steps.spec.padding_label == "same"
        before = screen.step
        for _ in range(50):  # play ticks twice a second at 1×; a loaded machine is slower
            await pilot.pause(0.1)
            if screen.step > before:
                break
        assert screen.step > before and screen.playing
