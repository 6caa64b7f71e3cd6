"""Every output sum (what the app loads in the background), against a numpy floor.

The floor is the least numpy work that gives the same bits: one shifted
multiply-add over the whole output per weight, in loop order, nothing else.
"""

from __future__ import annotations

import time

import numpy as np

from .common import PROBLEMS, Report, median, spec_of

NAME = "sums"


def floor(spec, padded: np.ndarray, weights: np.ndarray) -> np.ndarray:
    sh, sw = spec.stride
    dh, dw = spec.dilation
    oh, ow = spec.out_height, spec.out_width
    out = np.zeros((spec.filters, oh, ow), dtype=padded.dtype)
    for f in range(spec.filters):
        for ch in range(spec.channels):
            for kr in range(spec.kernel_height):
                for kc in range(spec.kernel_width):
                    patch = padded[ch, kr * dh : kr * dh + (oh - 1) * sh + 1 : sh,
                                   kc * dw : kc * dw + (ow - 1) * sw + 1 : sw]
                    out[f] += weights[f, ch, kr, kc] * patch
    return out


def run(report: Report, quick: bool) -> None:
    from eigenvue_tui.engine import Steps

    for case in PROBLEMS:
        spec = spec_of(case)
        ours, floors = [], []
        for _ in range(1 if quick or "1024" in case else 3):
            s = Steps(spec)
            t0 = time.perf_counter()
            if hasattr(s, "compute_sums"):
                s.compute_sums()
            else:  # before issue 11 the sums were part of the construction
                s = Steps(spec)
            sums = s.sums
            ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            want = floor(spec, s.padded_input, np.ascontiguousarray(spec.kernel))
            floors.append(time.perf_counter() - t0)
            if not np.array_equal(sums, want):
                raise AssertionError("the engine's sums differ from the floor's")
        report.add(NAME, case, "all output sums + running range", median(ours) * 1000, "ms",
                   reference=median(floors) * 1000, reference_name="ms numpy floor",
                   note="Steps.compute_sums (the app's background load); equal to the floor")
