"""Every update the screens send (screens/line_updates.py) shows exactly what Textual's
own render of the same screen shows, on every span it updates, and nothing is left
unsent: the updates, replayed on a terminal, paint what the screen shows."""

from __future__ import annotations

import numpy as np
import pytest
from textual._compositor import Compositor
from textual.strip import Strip

from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import Preset, resolve
from eigenvue_tui.screens.line_updates import LineCompositor
from eigenvue_tui.spec import make_spec

SIZE = (120, 40)


async def settle(app: ConvolutionApp, pilot) -> None:
    """Until the app is idle: messages handled, workers done, the screen painted."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def themed_app(name: str, theme: str | None) -> ConvolutionApp:
    app = ConvolutionApp(resolve(name))
    if theme is not None:
        app.theme = theme
    return app


def cells(strip: Strip) -> list[tuple[str, object]]:
    """A strip as (character, style) per cell, however its segments are split."""
    return [(char, segment.style) for segment in strip for char in segment.text]


def textual_render(compositor: Compositor) -> list[Strip]:
    """The screen as Textual's own compositor renders it, not as LineCompositor does."""
    chops = Compositor._render_chops(compositor, compositor.size.region, lambda y: True)
    return [Strip.join(chop.values()) for chop in chops]


class Checked:
    """Wraps the screens' updates: each partial update against a full render, and the
    terminal they paint (every update applied in turn) against what the screen shows."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.updates = 0
        self.spans = 0
        self.wrong: list[str] = []
        self.stale: list[str] = []
        self.settles = 0
        self.fulls = 0
        self.terminal: dict[int, list[list[tuple[str, object]]]] = {}  # per compositor
        partial = LineCompositor.render_partial_update
        full = LineCompositor.render_full_update

        def checked(compositor: LineCompositor):
            update = partial(compositor)
            if update is not None:
                self.compare(compositor, update)
            return update

        def painted(compositor: LineCompositor, *args, **kwargs):
            want = [cells(strip) for strip in textual_render(compositor)]
            update = full(compositor, *args, **kwargs)
            sent = [cells(Strip.join(line)) for line in update.strips]
            self.fulls += 1
            if sent != want:
                self.wrong.append(f"full update {self.fulls} differs from Textual's render")
            # The whole terminal now shows this screen; any other's picture is gone.
            self.terminal = {id(compositor): sent}
            return update

        monkeypatch.setattr(LineCompositor, "render_partial_update", checked)
        monkeypatch.setattr(LineCompositor, "render_full_update", painted)

    def compare(self, compositor: LineCompositor, update) -> None:
        self.updates += 1
        full = textual_render(compositor)
        terminal = self.terminal.get(id(compositor))
        for y, x1, x2 in update.spans:
            self.spans += 1
            want = cells(full[y])
            for (cut, piece), end in zip(update.chops[y].items(), update.chop_ends[y],
                                         strict=True):
                if end <= x1 or cut >= x2:
                    continue  # outside the span: never sent
                if piece is None:
                    self.wrong.append(f"line {y}: nothing for {cut}–{end} in span {x1}–{x2}")
                    continue
                if cells(piece) != want[cut:end]:
                    self.wrong.append(f"line {y} {cut}–{end}: {piece.text!r} != "
                                      f"{''.join(c for c, _ in want[cut:end])!r}")
                if terminal is not None:
                    terminal[y][cut:end] = cells(piece)[: end - cut]

    def settled(self, app: ConvolutionApp) -> None:
        """Once the app is idle (every requested repaint sent), the terminal shows what
        the screen does: no change was left unsent."""
        compositor = app.screen._compositor
        terminal = self.terminal.get(id(compositor))
        if terminal is None:
            return
        self.settles += 1
        for widget in app.screen.walk_children(with_self=True):
            widget._styles_cache.clear()  # drawn afresh, not from lines cached unrefreshed
        for y, strip in enumerate(textual_render(compositor)):
            if terminal[y] != cells(strip):
                first = next(x for x, (a, b) in
                             enumerate(zip(terminal[y], cells(strip), strict=True)) if a != b)
                self.stale.append(
                    f"line {y} from column {first} not repainted: shows "
                    f"{''.join(c for c, _ in terminal[y][first:first + 20])!r}, should show "
                    f"{''.join(c for c, _ in cells(strip)[first:first + 20])!r}")


async def drive(app: ConvolutionApp, keys: list[str], checked: Checked, sizes=()) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)
            checked.settled(app)
        for size in sizes:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("right", "down")
            await pilot.pause()
            checked.settled(app)


STEPPING = ["right"] * 6 + ["down", "down", "pagedown", "end", "home", "left", "up"]


@pytest.mark.parametrize(("preset", "keys"), [
    ("default", [*STEPPING, "s", "right", "z", "right", "d", "f", "v", "right", "v",
                 "right", "right_square_bracket", "right", "0", "c", "right", "enter",
                 "escape", "question_mark", "escape"]),
    ("rgb-channels", [*STEPPING, "v", "down", "v", "down", "z", "right"]),
    ("two-filters", [*STEPPING, "end", "home"]),
    ("handwritten-digit", [*STEPPING, "v", "right", "left_square_bracket", "right"]),
    ("maxpool", ["right", "right", "right", "end", "home", "o", "right", "right"]),
    ("transposed", ["right", "right", "e", "right", "e", "end"]),
])
async def test_every_partial_update_matches_a_full_render(monkeypatch, preset, keys):
    checked = Checked(monkeypatch)
    await drive(ConvolutionApp(resolve(preset)), keys, checked, sizes=[(80, 24), (200, 60)])
    assert checked.wrong == []
    assert checked.stale == []
    assert checked.settles >= len(keys) and checked.fulls >= 3  # start and two resizes
    assert checked.updates > len(keys) // 2 and checked.spans > checked.updates


async def test_scrolling_the_feature_maps_after_a_layout_repaints_what_moved(monkeypatch):
    """Eight maps overflow the output panel, so stepping to another map scrolls it, right
    after an option key's layout: the scroll repaints what moved, and only that."""
    rng = np.random.default_rng(7)
    spec = make_spec(rng.integers(-4, 5, (2, 9, 9)).tolist(),
                     rng.integers(-2, 3, (8, 2, 3, 3)).tolist())
    preset = Preset("eight-maps", "Eight maps", "", spec)
    checked = Checked(monkeypatch)
    await drive(ConvolutionApp(preset), ["end", "home", "s", "end", "z", "home", "down",
                                         "end", "v", "end"], checked, sizes=[(80, 24)])
    assert checked.wrong == []
    assert checked.stale == []
    assert checked.settles >= 10
    assert checked.updates > 5


async def test_a_scrolled_grid_repaints_its_highlight_where_it_shows(monkeypatch):
    """On a grid scrolled to its far corner, a step that moves the highlight without
    scrolling repaints the lines in view (not lines offset by the scroll twice)."""
    rng = np.random.default_rng(11)
    spec = make_spec(rng.integers(-9, 10, (60, 60)).tolist(),
                     rng.integers(-2, 3, (3, 3)).tolist())
    checked = Checked(monkeypatch)
    await drive(ConvolutionApp(Preset("scrolled", "Scrolled", "", spec)),
                ["end", "left", "left", "left", "up", "left", "left", "c", "left", "up",
                 "escape", "home", "right", "down"], checked)
    assert checked.wrong == []
    assert checked.stale == []
    assert checked.settles >= 14


async def test_a_step_repaints_only_the_rows_it_changed(monkeypatch):
    """→ moves the listing's current line and changes a few watched values: those rows
    are painted again, not the whole listing and watch list; an option key lays the
    screen out and paints it once."""
    from textual.widget import Widget

    from eigenvue_tui.widgets.code import CodeView, WatchList

    painted: dict[str, int] = {}
    layouts: list[int] = []
    real_lines, real_reflow = Widget.render_lines, LineCompositor.reflow

    def render_lines(self, crop):
        if isinstance(self, (CodeView, WatchList)):
            painted[self.id] = painted.get(self.id, 0) + crop.height
        return real_lines(self, crop)

    def reflow(self, *args, **kwargs):
        layouts.append(1)
        return real_reflow(self, *args, **kwargs)

    monkeypatch.setattr(Widget, "render_lines", render_lines)
    monkeypatch.setattr(LineCompositor, "reflow", reflow)
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        code, watch = app.screen.query_one(CodeView), app.screen.query_one(WatchList)
        assert code.size.height > 8 and watch.size.height > 8
        for _ in range(3):
            painted.clear()
            await pilot.press("right")
            await pilot.pause()
            assert painted.get("code", 0) <= 2  # the old and the new current line
            assert 0 < painted.get("watch", 0) < watch.size.height
        layouts.clear()
        await pilot.press("s")
        await settle(app, pilot)
        assert len(layouts) == 1



async def test_a_layout_after_a_scroll_repaints_what_a_lazy_map_already_moved(monkeypatch):
    """A scroll-only layout (a grid following the window) leaves Textual's full map to be
    rebuilt when next asked for. Asked for between a style change and the layout (a
    widget's region read while the board re-plans its panels, as stride 2 does at 80×24
    in a terminal), the rebuilt map already held the new widths, so the layout found
    nothing moved and the panel's new columns were never sent."""
    checked = Checked(monkeypatch)
    async with ConvolutionApp(resolve("default")).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        for _ in range(3):
            await pilot.press("right")
            await pilot.pause()
        compositor = app.screen._compositor
        assert compositor._full_map_invalidated  # the scroll left it so
        panel = app.screen.query_one("#output-panel")
        panel.styles.width = panel.outer_size.width + 6
        panel._check_refresh()  # its idle: the layout asked for, the arrangements cleared
        # A widget outside the scroll's visible map (a toast being mounted) is looked up
        # in the full map, which rebuilds it from the new styles before the layout runs.
        assert compositor.full_map[panel].region.width == panel.styles.width.cells
        await pilot.pause()
        checked.settled(app)
    assert checked.stale == []
    assert checked.settles == 1


async def test_an_option_that_leaves_the_input_alone_does_not_repaint_it(monkeypatch):
    """Stride 2 at step 0 on a problem larger than its panels: the input grid shows the
    same cells with no highlight before and after, so none of its lines is painted again
    (it was set anew and repainted whole); padding, which changes the input, repaints it."""
    from textual.widget import Widget

    rng = np.random.default_rng(5)
    spec = make_spec(rng.integers(-9, 10, (90, 90)).tolist(),
                     rng.integers(-2, 3, (3, 3)).tolist())
    painted: list[int] = []
    real_lines = Widget.render_lines

    def render_lines(self, crop):
        if self.id == "input-grid-0":
            painted.append(crop.height)
        return real_lines(self, crop)

    monkeypatch.setattr(Widget, "render_lines", render_lines)
    app = ConvolutionApp(Preset("wide", "Wide", "", spec))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        grid = app.screen.query_one("#input-grid-0")
        region = grid.region
        for key, repainted in (("s", False), ("z", True)):
            painted.clear()
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert grid.region == region  # the panel kept its place and size
            assert (sum(painted) >= grid.size.height) is repainted, (key, painted)


async def test_a_layout_and_a_repaint_in_one_frame_paint_the_screen_once(monkeypatch):
    """A dialog closing asks the screen beneath for a repaint and a layout at once:
    Textual 8.2.8 painted what the layout moved and then the whole screen again. The
    one full paint sent is checked against Textual's own render."""
    checked = Checked(monkeypatch)
    kinds: list[bool] = []
    real_update = LineCompositor.render_update

    def render_update(self, full=False, screen_stack=None, simplify=False):
        kinds.append(full or self.full_next)
        return real_update(self, full, screen_stack, simplify)

    monkeypatch.setattr(LineCompositor, "render_update", render_update)
    async with ConvolutionApp(resolve("default")).run_test(size=SIZE) as pilot:
        app = pilot.app
        await settle(app, pilot)
        kinds.clear()
        app.screen.refresh(repaint=True, layout=True)
        await pilot.pause()
        assert kinds == [True]
        checked.settled(app)
    assert checked.wrong == [] and checked.stale == []


async def test_a_preset_chosen_in_the_picker_is_shown_before_it_closes(monkeypatch):
    """Enter reads the file while the picker still shows (it says so) and the screen
    beneath takes the new problem, so every frame painted once the picker has closed
    shows it (before, the old problem was painted once more first); every update sent
    on the way is checked against Textual's render. The new problem is not painted
    dimmed under the picker about to close (that paint cost as much as the real one)."""
    from textual.renderables.background_screen import BackgroundScreen
    from textual.widgets import OptionList

    from eigenvue_tui.screens.picker import PresetPicker

    closing: list[tuple[str, object]] = []
    frames: list[str] = []
    dimmed: list[int] = []
    real_dismiss, real_update = PresetPicker.dismiss, LineCompositor.render_update
    real_tint = BackgroundScreen.process_segments.__func__

    def tint(cls, segments, color):
        dimmed.append(1)
        return real_tint(cls, segments, color)

    monkeypatch.setattr(BackgroundScreen, "process_segments", classmethod(tint))

    def dismiss(self, result=None):
        closing.append((str(self.query_one(".dialog-hint").render()), result))
        return real_dismiss(self, result)

    def render_update(self, *args, **kwargs):
        if closing and app.screen is app.screen_stack[0]:
            frames.append(app.screen.preset.name)
        return real_update(self, *args, **kwargs)

    monkeypatch.setattr(PresetPicker, "dismiss", dismiss)
    checked = Checked(monkeypatch)
    monkeypatch.setattr(LineCompositor, "render_update", render_update)
    app = ConvolutionApp(resolve("default"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        while not app.screen.query(OptionList):
            await pilot.pause()
        options = app.screen.query_one(OptionList)
        options.highlighted = [o.id for o in options.options].index("two-filters")
        await pilot.pause()
        assert dimmed  # the open picker paints the screen beneath dimmed
        dimmed.clear()
        await pilot.press("enter")
        while not closing or app.screen.preset.name != "two-filters":
            await settle(app, pilot)
        checked.settled(app)
        assert dimmed == []
        want = resolve("two-filters").spec.kernel
        assert app.screen.steps.spec.kernel.tolist() == want.tolist()
    assert closing == [("Loading two-filters…", None)]  # nothing left for the screen
    assert frames and set(frames) == {"two-filters"}
    assert checked.wrong == [] and checked.stale == []
    assert checked.fulls >= 2


def styled_cells(app: ConvolutionApp) -> list[list[tuple[str, object]]]:
    return [cells(strip) for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize(("name", "theme", "size"), [
    ("default", None, SIZE), ("rgb-channels", "textual-light", (80, 24)),
    ("maxpool", None, SIZE), ("edge-detection", "ansi-light", (200, 60)),
])
async def test_the_first_frame_needs_no_restyle_of_the_screen(name, theme, size):
    """The first show skips Textual's restyle of every widget on the screen (LineScreen):
    the widgets were styled as they mounted. A full restyle afterwards changes nothing."""
    app = themed_app(name, theme)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        first = styled_cells(app)
        app.screen.update_node_styles(animate=False)
        app.screen.refresh(layout=True)
        await pilot.pause()
        assert styled_cells(app) == first


def rendered_in_updates(monkeypatch: pytest.MonkeyPatch, kind: type) -> list[str]:
    """The widgets of ``kind`` rendered for the partial updates sent (not for Checked's
    full render to compare them with); install before ``Checked``, which wraps the
    update in turn."""
    from textual.widget import Widget

    painted: list[str] = []
    sending = [False]
    real_lines, real_partial = Widget.render_lines, LineCompositor.render_partial_update

    def render_lines(self, crop):
        if sending[0] and isinstance(self, kind):
            painted.append(self.id)
        return real_lines(self, crop)

    def partial(self):
        sending[0] = True
        try:
            return real_partial(self)
        finally:
            sending[0] = False

    monkeypatch.setattr(Widget, "render_lines", render_lines)
    monkeypatch.setattr(LineCompositor, "render_partial_update", partial)
    return painted


def rows_drawn(monkeypatch: pytest.MonkeyPatch, kind: type | tuple[type, ...]) -> list[int]:
    """For each text a widget of ``kind`` turns into strips, the rows of it drawn (its
    blank rows, which a row drawn at its own place is preceded by, left out)."""
    from textual.visual import Visual

    drawn: list[int] = []
    real_to_strips = Visual.to_strips

    def to_strips(widget, visual, *args, **kwargs):
        if isinstance(widget, kind):
            drawn.append(sum(1 for line in visual.plain.split("\n") if line))
        return real_to_strips(widget, visual, *args, **kwargs)

    monkeypatch.setattr(Visual, "to_strips", staticmethod(to_strips))
    return drawn


@pytest.mark.parametrize("which", ["title", "subtitle"])
async def test_a_new_title_repaints_its_border_row_and_not_the_grids_inside(monkeypatch,
                                                                            which):
    """The output's title changes a few times a second while the background sums run,
    and the products title on every step: only the border row it sits in is painted
    again (Textual's setter repaints the panel and every grid in it), and the update
    sent matches Textual's full render of the screen."""
    from eigenvue_tui.widgets.grid import GridView
    from eigenvue_tui.widgets.titles import set_titles

    painted = rendered_in_updates(monkeypatch, GridView)
    checked = Checked(monkeypatch)
    async with ConvolutionApp(resolve("two-filters")).run_test(size=SIZE) as pilot:
        app = pilot.app
        await settle(app, pilot)
        panel = app.screen.query_one("#output-panel")
        painted.clear()
        set_titles(panel, **{which: "a title of its own"})
        await pilot.pause()
        assert painted == []
        row = panel.region.y + (0 if which == "title" else panel.region.height - 1)
        assert "a title of its own" in textual_render(app.screen._compositor)[row].text
        checked.settled(app)
    assert checked.wrong == [] and checked.stale == []
    assert checked.updates >= 1


async def test_a_scrollbar_repaint_renders_no_line_of_the_grid_beside_it(monkeypatch):
    """A grid's scrollbar is repainted after every new problem (its thumb is decided once
    the panels have their size): only the scrollbar's column is sent, so the grid's
    lines beside it are not rendered again."""
    rng = np.random.default_rng(3)
    spec = make_spec(rng.integers(-9, 10, (60, 60)).tolist(),
                     rng.integers(-2, 3, (3, 3)).tolist())
    from eigenvue_tui.widgets.grid import GridView

    painted = rendered_in_updates(monkeypatch, GridView)
    checked = Checked(monkeypatch)
    async with ConvolutionApp(Preset("tall", "Tall", "", spec)).run_test(size=SIZE) as pilot:
        app = pilot.app
        await settle(app, pilot)
        grid = app.screen.query_one("#input-grid-0")
        assert grid.show_vertical_scrollbar
        painted.clear()
        grid.vertical_scrollbar.refresh()
        await pilot.pause()
        assert painted == []
        checked.settled(app)
    assert checked.wrong == [] and checked.stale == []
    assert checked.updates >= 1


@pytest.mark.parametrize(("name", "theme"), [("rgb-channels", None),
                                             ("two-filters", "textual-light")])
async def test_a_box_draws_the_rows_between_its_borders_once(monkeypatch, name, theme):
    """The board, its panels and the code row render one row between their borders and
    repeat it (their own content is blank): what they draw, over any crop, is what
    Textual's own render draws, for three rendered rows whatever their height."""
    from textual._styles_cache import StylesCache
    from textual.geometry import Region
    from textual.widget import Widget

    from eigenvue_tui.widgets.boxes import SameMiddleRows

    rendered: list[int] = []
    real_line = StylesCache.render_line

    def render_line(self, styles, y, *args):
        rendered.append(y)
        return real_line(self, styles, y, *args)

    app = themed_app(name, theme)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        boxes = [w for w in app.screen.walk_children() if isinstance(w, SameMiddleRows)]
        assert len(boxes) >= 7 and any(box.styles.border.top[0] for box in boxes)
        monkeypatch.setattr(StylesCache, "render_line", render_line)
        for box in boxes:
            width, height = box.outer_size
            assert height > 6
            for crop in (Region(0, 0, width, height), Region(1, 2, width - 3, height - 4),
                         Region(0, height - 3, width, 3), Region(0, 0, width, 1)):
                box._styles_cache.clear()
                rendered.clear()
                ours = [cells(strip) for strip in box.render_lines(crop)]
                assert len(ours) == crop.height and len(rendered) <= 3
                box._styles_cache.clear()
                assert ours == [cells(strip) for strip in Widget.render_lines(box, crop)]


async def test_the_listing_and_watch_rows_draw_as_their_whole_text_does(monkeypatch):
    """The code and watch rows are drawn one by one and kept until they change: after
    steps, an option key, a theme change and a resize, every row is what Textual's own
    render of the whole text gives, and a step draws only the rows it changed."""
    from textual.geometry import Offset
    from textual.selection import Selection
    from textual.visual import Visual, visualize

    from eigenvue_tui.widgets.code import CodeView, WatchList

    real_to_strips = Visual.to_strips
    drawn = rows_drawn(monkeypatch, (CodeView, WatchList))

    def check(app) -> None:
        for widget in (app.screen.query_one(CodeView), app.screen.query_one(WatchList)):
            width, height = widget.size
            whole = real_to_strips(widget, visualize(widget, widget.render()), width, height,
                                   widget.visual_style)
            whole += [Strip.blank(width, widget.rich_style)] * (height - len(whole))
            assert [cells(widget.render_line(y)) for y in range(height)] == \
                [cells(strip) for strip in whole]

    async with ConvolutionApp(resolve("default")).run_test(size=SIZE) as pilot:
        app = pilot.app
        await settle(app, pilot)
        for keys in (["right"] * 5, ["s", "right"], ["d", "end"]):
            for key in keys:
                drawn.clear()
                await pilot.press(key)
                await settle(app, pilot)
                if key == "right":
                    # the old and new current line, the watched values that changed:
                    assert drawn and sum(drawn) <= 10  # not 2 × 15
            check(app)
        app.theme = "textual-light"
        await settle(app, pilot)
        check(app)
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        check(app)
        code = app.screen.query_one(CodeView)
        app.screen.selections = {code: Selection(Offset(3, 2), Offset(9, 5))}
        await settle(app, pilot)
        assert code.text_selection is not None
        check(app)  # the selection drawn over rows 2–5 as over the whole text


async def test_the_key_bar_draws_again_only_when_its_keys_change(monkeypatch):
    """The bindings are signalled as changed whenever a dialog opens or closes, mostly to
    the same keys: the key bar's text is drawn again only when what it shows differs (a
    new theme's colours, say), and it still shows its keys."""
    from eigenvue_tui.widgets.keybar import KeyBar

    drawn = rows_drawn(monkeypatch, KeyBar)
    checked = Checked(monkeypatch)
    async with ConvolutionApp(resolve("default")).run_test(size=SIZE) as pilot:
        app = pilot.app
        await settle(app, pilot)
        bar = app.screen.query_one(KeyBar)
        before = textual_render(app.screen._compositor)[bar.region.y].text
        assert "Stride" in before and "Quit" in before
        drawn.clear()
        for key in ("question_mark", "escape", "p", "escape"):
            await pilot.press(key)
            for _ in range(3):  # the picker's catalogue read is cancelled as it closes
                await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert drawn == []
        assert textual_render(app.screen._compositor)[bar.region.y].text == before
        app.theme = "textual-light"
        await settle(app, pilot)
        assert drawn  # its colours changed
        checked.settled(app)
    assert checked.wrong == [] and checked.stale == []
