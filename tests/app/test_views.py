"""The three views, fit and zoom, and the screen at the sizes a class meets, by real keys."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.cells import luminance
from eigenvue_tui.engine import Phase
from eigenvue_tui.presets import catalogue, parse_preset, resolve
from eigenvue_tui.widgets.code import CodeView
from eigenvue_tui.widgets.grid import VIEWS, GridView

DECORATION = range(0x2500, 0x2580)  # box drawing: borders and rules


def screen_lines(app: ConvolutionApp) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def grid(app: ConvolutionApp, name: str) -> GridView:
    return app.screen_stack[0].query_one(name, GridView)


def status(app: ConvolutionApp) -> str:
    return str(app.screen_stack[0].query_one("#status").render())


async def test_v_cycles_the_views_and_the_status_names_each():
    app = ConvolutionApp(resolve("handwritten-digit"), start_step=40)
    async with app.run_test(size=(120, 40)) as pilot:
        for view in [*VIEWS[1:], VIEWS[0]]:
            await pilot.press("v")
            await pilot.pause()
            assert f"│ {view} │" in status(app)
            for widget in app.screen.query(GridView):
                assert widget.view == view


@pytest.mark.parametrize("preset", ["default", "maxpool"])
async def test_the_pixels_look_under_no_color_says_what_it_cannot_show(preset, monkeypatch):
    """Under NO_COLOR every pixel is the same block: the look says so, once, on arrival."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = ConvolutionApp(resolve(preset))
    async with app.run_test(size=(120, 40)) as pilot:
        for look in ("heat", "pixels", "numbers"):
            await pilot.press("v")
            await pilot.pause()
            said = [n.message for n in app._notifications if "NO_COLOR" in n.message]
            assert len(said) == (look != "heat"), (look, said)


async def test_pixels_follow_the_values_order():
    """Brighter cell, brighter colour: the picture keeps the values' order (Pillow-free oracle:
    the values themselves, ranked)."""
    app = ConvolutionApp(resolve("handwritten-digit"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "v")
        await pilot.pause()
        view = grid(app, "#input-grid-0")
        values = view.cells.values
        zoom = view.geometry.cell_w
        seen: dict[float, float] = {}
        for y in range(values.shape[0] * zoom // 2):
            strip = view.render_line(y)
            x = 0
            for segment in strip:
                if segment.text != "▀":
                    x += len(segment.text)
                    continue
                top, bottom = segment.style.color, segment.style.bgcolor
                for half, colour in ((0, top), (1, bottom)):
                    row, col = (2 * y + half) // zoom, x // zoom
                    if row < values.shape[0] and not view.cells.is_padding(row, col):
                        rgb = colour.get_truecolor()
                        seen.setdefault(float(values[row, col]), luminance(tuple(rgb)))
                x += 1
        ordered = [seen[v] for v in sorted(seen)]
        assert len(ordered) >= 5
        assert ordered == sorted(ordered)


async def test_a_big_grid_is_downsampled_and_says_so():
    x = np.arange(512 * 512).reshape(512, 512) % 251
    preset = parse_preset({"title": "big", "input": x.tolist(), "kernel": [[1, 0], [0, -1]]},
                          "big", "test")
    app = ConvolutionApp(preset)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "v")
        await pilot.pause()
        view = grid(app, "#input-grid-0")
        factor = view.geometry.factor
        assert factor > 1
        assert f"shown 1:{factor}" in str(app.screen.query_one("#input-panel").border_title)
        assert view.geometry.total_width <= view.size.width + 1


async def test_zoom_keys_change_the_cells_and_0_fits_again():
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = grid(app, "#input-grid-0")
        fit = view.geometry.signature
        await pilot.press("left_square_bracket")
        await pilot.pause()
        smaller = view.geometry.signature
        assert smaller[0] <= fit[0] and smaller[1] < fit[1]
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert view.geometry.signature[1] > fit[1]
        await pilot.press("0")
        await pilot.pause()
        assert view.geometry.signature == fit


async def test_zoom_keys_stop_at_the_limit_and_say_so():
    """Unbounded, each ``]`` made every cell wider: a held key (or ``--zoom 100000``)
    ate gigabytes drawing one screen."""
    from eigenvue_tui.view_model import ZOOM_LIMIT

    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen.query_one("#board")
        for key, limit in (("right_square_bracket", ZOOM_LIMIT),
                           ("left_square_bracket", -ZOOM_LIMIT)):
            await pilot.press(*[key] * (ZOOM_LIMIT + 3))
            await pilot.pause()
            assert board.zoom_delta == limit
            assert grid(app, "#input-grid-0").zoom_delta == limit
            assert "as far as it goes" in list(app._notifications)[-1].message
            await pilot.press("0")
            await pilot.pause()
        assert board.zoom_delta == 0


async def test_small_grids_get_big_cells_on_a_big_screen():
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        view = grid(app, "#input-grid-0")
        assert view.geometry.half_lines >= 8 and view.geometry.cell_w >= 10


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_no_more_than_a_quarter_of_the_lines_are_empty(size):
    app = ConvolutionApp(resolve("default"), start_step=20)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        empty = [
            line for line in lines
            if all(ch == " " or ord(ch) in DECORATION for ch in line)
        ]
        assert len(empty) <= len(lines) / 4, "\n".join(lines)


async def test_80x24_shows_help_and_quit_and_whole_keys():
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "? Help" in footer and "q Quit" in footer
        bindings = app.screen.active_bindings.values()
        descriptions = {b.description for _, b, _, _ in bindings if b.show}
        descriptions |= {app.get_key_display(b) for _, b, _, _ in bindings if b.show}
        words = footer.split()
        for word in words:
            if word.isalpha() and len(word) > 1:
                assert any(word in d.split() for d in descriptions), word


@pytest.mark.parametrize(
    "name",
    [e.name for e in catalogue(()) if not e.error and e.op == "conv" and e.view == "grid"],
)
async def test_80x24_never_cuts_the_current_code_line(name):
    """At every phase of every preset the whole current pseudocode line is on screen."""
    app = ConvolutionApp(resolve(name))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        steps = screen.steps
        listing = steps.listing
        mac = 2 if steps.positions else 0
        for index in sorted({0, 1, mac, steps.block, steps.last}):
            screen.step = index
            await pilot.pause()
            line = listing.lines[steps[index].line - 1].strip()
            panel = screen.query_one("#code-panel")
            region = panel.content_region
            lines = screen_lines(app)
            visible = [lines[y][region.x : region.right] for y in range(region.y, region.bottom)]
            text = "".join(ch for ch in " ".join(visible) if not 0x2580 <= ord(ch) < 0x25A0)
            shown = " ".join(text.replace("▶", " ").split())  # less the scrollbar
            assert " ".join(line.split()) in shown, (name, index, line, visible)
            assert screen.query_one(CodeView).region.width > 0


async def test_kernel_window_of_a_3x3_fits_on_the_digit_at_80x24():
    app = ConvolutionApp(resolve("handwritten-digit"), start_step=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = grid(app, "#input-grid-0")
        window = view.mark.window
        assert window is not None
        top, bottom = view.geometry.y_span(window.top, window.bottom)
        assert bottom - top <= view.size.height - view.geometry.header


async def test_products_are_shown_while_a_cell_is_summed():
    """Mid-way through a cell: multiplied weights show x·w, the rest are pending, and the
    running sum is marked Σ (not taken for the written value)."""
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        steps = screen.steps
        index = steps.reset_step(4) + 3  # the third multiply-add of output[1][1]
        screen.step = index
        await pilot.pause()
        step = steps[index]
        assert step.phase is Phase.MAC
        products = grid(app, "#products-grid")
        spec = steps.spec
        x = spec.input[0]
        k = spec.kernel[0, 0]
        want = [x[1 + kr, 1 + kc] * k[kr, kc] for kr in range(2) for kc in range(2)]
        assert products.cells.values.ravel().tolist() == want
        assert products.mark.filled == 3
        assert "Σ so far" in str(products.border_title)
        out = grid(app, "#output-grid-0")
        assert out.mark.partial is not None and out.mark.written is None


async def test_done_shows_the_whole_output_and_up_walks_back():
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("end")
        out = grid(app, "#output-grid-0")
        assert out.mark.filled == out.cells.rows * out.cells.cols
        await pilot.press("up")
        steps = app.screen.steps
        assert app.screen.step == steps.write_step(steps.positions - 1)
        assert grid(app, "#products-grid").mark.filled == steps.macs_per_position


async def test_channels_are_side_by_side_and_the_others_dimmed():
    app = ConvolutionApp(resolve("rgb-channels"), start_step=40)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        spec = app.screen.steps.spec
        planes = list(app.screen.query("#input-planes GridView").results(GridView))
        assert len(planes) == spec.channels
        channel = app.screen.steps[40].ch
        for ch, plane in enumerate(planes):
            assert plane.mark.dimmed == (ch != channel)
            assert f"(ch {ch})" in str(plane.border_title) or f"ch {ch}" in str(
                plane.border_title
            )



async def test_point_and_ask_marks_are_drawn_and_the_cursor_shows():
    """c puts the cursor on the input, Enter asks: the output cells that input cell feeds
    are marked on the output grid, and the cursor cell is drawn in {braces}."""
    app = ConvolutionApp(resolve("edge-detection"), start_step=5)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c", "right", "down", "enter")
        await pilot.pause()
        screen = app.screen
        links = screen.marks
        assert links is not None and links.output
        out = grid(app, "#output-grid-0")
        assert out.mark.marked == {(r, c) for _, r, c in links.output}
        view = grid(app, "#input-grid-0")
        assert view.mark.cursor == (1, 1)
        view.set_zoom(-50)
        line = "".join(segment.text for segment in view.render_line(1 + 1))
        assert "{" in line and "}" in line
        await pilot.press("escape")
        await pilot.pause()
        assert not out.mark.marked


@pytest.mark.parametrize(("kernel", "title"), [
    ((2, 3, 3, 3), "kernel 2×3×3×3"), ((3, 2, 2), "kernel 3×2×2"), ((2, 2), "kernel 2×2")])
async def test_planes_side_by_side_stay_apart_and_the_kernel_title_gives_its_shape(
    kernel, title
):
    """Three 8×8 channels at 120×40 do not fit whole: each shows its first columns. A
    plane's cut last column used to run into the next plane's row label (``8`` and ``0``
    read ``80``); a column now parts them. The kernel panel names the kernel's whole
    shape (a 2×3×3×3 kernel was titled ``kernel 3×3``)."""
    rng = np.random.default_rng(11)
    channels = 3 if len(kernel) > 2 else 1
    data = {"input": rng.integers(0, 10, (channels, 8, 8)).tolist() if channels > 1
            else rng.integers(0, 10, (8, 8)).tolist(),
            "kernel": rng.integers(-2, 3, kernel).tolist()}
    app = ConvolutionApp(parse_preset(data, "planes", "test"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen_stack[0]
        assert str(board.query_one("#kernel-panel").border_title) == title
        planes = [grid(app, f"#input-grid-{ch}") for ch in range(channels)]
        lines = screen_lines(app)
        for left, right in itertools.pairwise(planes):
            gap = left.region.right
            assert right.region.x == gap + 1
            assert {lines[y][gap] for y in range(left.region.y, left.region.bottom)} == {" "}


async def test_past_sixteen_planes_the_kernel_panel_shows_the_slice_being_read():
    """16 filters × 3 channels: one input plane and one kernel slice, the ones the step
    reads (16 slices side by side at 120×40 left room for their row labels only)."""
    rng = np.random.default_rng(12)
    kernel = rng.integers(-3, 4, (16, 3, 3, 3))
    data = {"input": rng.integers(0, 10, (3, 8, 8)).tolist(), "kernel": kernel.tolist()}
    app = ConvolutionApp(parse_preset(data, "many", "test"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen_stack[0]
        slices = list(screen.query("#kernel-slices GridView"))
        assert len(slices) == 1
        steps, checked = screen.steps, 0
        for target in (10, steps.last // 3, steps.last - 5):
            screen.step = target
            await pilot.pause()
            phase, position, mac = steps.locate(target)
            if phase is not Phase.MAC:
                continue
            f, _row, _col = steps.coords(position)
            ch = mac // 9
            np.testing.assert_array_equal(slices[0].cells.values, kernel[f, ch])
            lines = screen_lines(app)
            region = slices[0].region
            shown = " ".join(lines[y][region.x:region.right] for y in range(region.y,
                                                                              region.bottom))
            assert all(str(v) in shown for v in kernel[f, ch].ravel())
            checked += 1
        assert checked >= 2
        assert "showing [" in str(screen.query_one("#kernel-panel").border_title)


def _sixteen_maps() -> ConvolutionApp:
    rng = np.random.default_rng(3)
    data = {"title": "maps", "input": rng.integers(-9, 10, (3, 40, 40)).tolist(),
            "kernel": rng.integers(-2, 3, (16, 3, 3, 3)).tolist()}
    return ConvolutionApp(parse_preset(data, "maps", "test"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
@pytest.mark.parametrize("make", [lambda: ConvolutionApp(resolve("default")),
                                  lambda: ConvolutionApp(resolve("rgb-channels")),
                                  _sixteen_maps], ids=["default", "rgb-channels", "16-maps"])
async def test_the_first_frame_already_has_the_panels_the_problem_needs(monkeypatch, size, make):
    """The panels are planned for the terminal's size before the first layout: planned
    after it, 16 feature maps at 120×40 showed three panels across for a frame and then
    stacked the output below."""
    from eigenvue_tui.screens.line_updates import LineCompositor

    first: list[tuple[bool, dict[str, int]]] = []
    real_full = LineCompositor.render_full_update

    def panels(app) -> tuple[bool, dict[str, int]]:
        board = app.screen.query_one("#board")
        return board.stacked, {name: app.screen.query_one(f"#{name}").region.width
                               for name in ("input-panel", "kernel-panel", "output-panel")}

    def render_full_update(self, *args, **kwargs):
        if not first and app.screen.query("#board"):
            first.append(panels(app))
        return real_full(self, *args, **kwargs)

    monkeypatch.setattr(LineCompositor, "render_full_update", render_full_update)
    app = make()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert first == [panels(app)]
