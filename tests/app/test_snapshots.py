"""Screenshots of the explorer compared with accepted SVG baselines (tests/__snapshots__).

Plain ``def`` tests: ``snap_compare`` runs its own event loop. After an intended
change to the look, view the report, then refresh the baselines with
``pytest tests/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from textual.pilot import Pilot

from eigenvue_tui.screens.picker import PresetPicker

SIZE = (120, 40)


async def _open_picker(pilot: Pilot) -> None:
    await pilot.press("p")
    for _ in range(100):
        if isinstance(pilot.app.screen, PresetPicker):
            break
        await pilot.pause(0.02)
    await pilot.pause()


def test_default_at_step_0(snap_compare, make_app):
    """The seed default before any step: output all pending, line 6 marked."""
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_default_mid_way(snap_compare, make_app):
    """Step 20, a multiply-add of output[1][0]: window, current cell and partial sum."""
    assert snap_compare(make_app(start_step=20), terminal_size=SIZE)


def test_default_mid_way_by_keys(snap_compare, make_app):
    """Four cells written with ↓, then → to the fifth cell's second multiply-add."""
    assert snap_compare(
        make_app(), terminal_size=SIZE, press=["down"] * 4 + ["right"] * 3
    )


def test_default_at_the_end(snap_compare, make_app):
    """End: every output cell written, line 15 marked, Step 55 / 55."""
    assert snap_compare(make_app(), terminal_size=SIZE, press=["end"])


def test_preset_picker(snap_compare, make_app):
    """The p picker over the explorer, the current preset highlighted."""
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_open_picker)


def test_same_padding_mid_way(snap_compare, make_app):
    """Same padding with a 2×2 kernel: the padded row/column (bottom/right) drawn apart."""
    assert snap_compare(make_app("same-padding", start_step=140), terminal_size=SIZE)


def test_stride_two_mid_way(snap_compare, make_app):
    """Stride 2: the window jumps two columns; sH, sW and the ⌊…/2⌋ size formula shown."""
    assert snap_compare(make_app("stride-2", start_step=9), terminal_size=SIZE)


def test_dilation_two_mid_way(snap_compare, make_app):
    """Dilation 2: the 3×3 kernel's 5×5 footprint with its gaps."""
    assert snap_compare(make_app("dilation-2", start_step=16), terminal_size=SIZE)


def test_rgb_channels_mid_way(snap_compare, make_app):
    """Three input channels: channel 1 and kernel[1] on display, the for ch loop marked."""
    assert snap_compare(make_app("rgb-channels", start_step=16), terminal_size=SIZE)


def test_two_filters_second_map(snap_compare, make_app):
    """Two filters: the first feature map written, the second being computed."""
    assert snap_compare(make_app("two-filters", start_step=200), terminal_size=SIZE)
