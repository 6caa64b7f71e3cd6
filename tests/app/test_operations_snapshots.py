"""Screenshots of the operation screen, each operation mid-way (accepted SVG baselines).

Plain ``def`` tests (``snap_compare`` runs its own loop). The baselines were looked
at as PNG before they were accepted; refresh with ``--snapshot-update`` after an
intended change, and look again.
"""

from __future__ import annotations

from functools import partial

from textual.pilot import Pilot

from eigenvue_tui.app import ConvolutionApp
from eigenvue_tui.presets import resolve
from eigenvue_tui.screens.operation import OperationScreen

SIZE = (120, 40)


async def _drawn(pilot: Pilot, keys: tuple[str, ...] = (), mode: str | None = None) -> None:
    """Wait for the operation screen's grids, press ``keys``, wait for ``mode`` too."""
    app = pilot.app
    for key in ("", *keys):
        if key:
            await pilot.press(key)
        for _ in range(200):
            screen = app.screen
            if isinstance(screen, OperationScreen) and screen.view_model is not None \
                    and (key != "e" or screen.mode == mode):
                break
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        await pilot.pause()


def app_at(name: str, step: int) -> ConvolutionApp:
    return ConvolutionApp(resolve(name), start_step=step)


def test_transposed_stride_2_mid_way(snap_compare):
    """Input cell (1,1) scattering its kernel: the footprint window on the 6×6 output."""
    assert snap_compare(app_at("transposed-stride-2", 40), terminal_size=SIZE,
                        run_before=_drawn)


def test_transposed_as_a_direct_convolution(snap_compare):
    """e: the stretched, padded input with the rotated kernel, a few output cells in."""
    assert snap_compare(app_at("transposed-stride-2", 0), terminal_size=SIZE,
                        run_before=partial(_drawn, keys=("e",), mode="direct"),
                        press=["right"] * 40)


def test_maxpool_ceil_mode_mid_way(snap_compare):
    """The last, partial window: its cells past the input are -inf padding."""
    assert snap_compare(app_at("maxpool-ceil-mode", 14), terminal_size=SIZE,
                        run_before=_drawn)


def test_avgpool_padding_mid_way(snap_compare):
    """A window over the zero padding, the running sum in the output cell."""
    assert snap_compare(app_at("avgpool-padding", 20), terminal_size=SIZE,
                        run_before=_drawn)


def test_grad_input_mid_way(snap_compare):
    """dY cell (1,0) scattering the kernel into dX."""
    assert snap_compare(app_at("grad-input", 15), terminal_size=SIZE, run_before=_drawn)


def test_grad_weight_mid_way(snap_compare):
    """dW[0][1]: the input cells that weight touched, times dY."""
    assert snap_compare(app_at("grad-weight", 16), terminal_size=SIZE, run_before=_drawn)


def test_im2col_mid_way(snap_compare):
    """The seed default as W · unfold: column 2, its third term."""
    assert snap_compare(app_at("im2col", 15), terminal_size=SIZE, run_before=_drawn)


def test_transposed_padding_at_80x24(snap_compare):
    """The smallest supported terminal: every panel, the code line and the keys shown."""
    assert snap_compare(app_at("transposed-padding", 12), terminal_size=(80, 24),
                        run_before=_drawn)
