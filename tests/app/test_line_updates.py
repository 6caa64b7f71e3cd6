"""Every partial update the screens send (screens/line_updates.py) shows exactly what
Textual's own full render of the same screen shows, on every span it updates."""

from __future__ import annotations

import pytest
from textual.strip import Strip

from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import resolve
from eigenvue_tui.screens.line_updates import LineCompositor

SIZE = (120, 40)


def cells(strip: Strip) -> list[tuple[str, object]]:
    """A strip as (character, style) per cell, however its segments are split."""
    return [(char, segment.style) for segment in strip for char in segment.text]


class Checked:
    """Wraps LineCompositor.render_partial_update: each update against a full render."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.updates = 0
        self.spans = 0
        self.wrong: list[str] = []
        partial = LineCompositor.render_partial_update

        def checked(compositor: LineCompositor):
            update = partial(compositor)
            if update is not None:
                self.compare(compositor, update)
            return update

        monkeypatch.setattr(LineCompositor, "render_partial_update", checked)

    def compare(self, compositor: LineCompositor, update) -> None:
        self.updates += 1
        full = compositor.render_strips()
        for y, x1, x2 in update.spans:
            self.spans += 1
            want = cells(full[y])
            for (cut, piece), end in zip(update.chops[y].items(), update.chop_ends[y],
                                         strict=True):
                if end <= x1 or cut >= x2:
                    continue  # outside the span: never sent
                if piece is None:
                    self.wrong.append(f"line {y}: nothing for {cut}–{end} in span {x1}–{x2}")
                elif cells(piece) != want[cut:end]:
                    self.wrong.append(f"line {y} {cut}–{end}: {piece.text!r} != "
                                      f"{''.join(c for c, _ in want[cut:end])!r}")


async def drive(app: ConvolutionApp, keys: list[str], sizes=()) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        for size in sizes:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("right", "down")
            await pilot.pause()


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
    await drive(ConvolutionApp(resolve(preset)), keys, sizes=[(80, 24), (200, 60)])
    assert checked.wrong == []
    assert checked.updates > len(keys) // 2 and checked.spans > checked.updates
