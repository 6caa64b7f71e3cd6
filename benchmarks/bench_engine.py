"""Engine: building ``Steps`` and random step access, against a bare numpy prefix sum.

The reference does the least a random access must do: slice the window, multiply
by the kernel, prefix-sum, read one number. The engine also builds the ``Step``.
"""

from __future__ import annotations

import gc
import random
import time

import numpy as np

from .common import SEED, Report, median, percentile, spec_of

NAME = "engine"


def reference_access(padded: np.ndarray, weights: np.ndarray, out_h: int, out_w: int,
                     kh: int, kw: int, index: int) -> float:
    """Step index → the running sum at that MAC, with nothing else."""
    block = weights[0].size + 2
    position, offset = divmod(index - 1, block)
    f, rest = divmod(position, out_h * out_w)
    row, col = divmod(rest, out_w)
    m = min(max(offset - 1, 0), block - 3)
    window = padded[:, row : row + kh, col : col + kw]
    return np.cumsum(window * weights[f]).item(m)


def run(report: Report, quick: bool) -> None:
    from eigenvue_tui.engine import Steps

    accesses = 5_000 if quick else 20_000
    for case in ("512²⊛9²", "1024²⊛31²"):
        spec = spec_of(case)
        builds = []
        s = None
        for _ in range(3 if quick else 5):
            gc.collect()
            t0 = time.perf_counter()
            s = Steps(spec)
            builds.append(time.perf_counter() - t0)
        assert s is not None
        lazy = hasattr(s, "compute_sums")
        report.add(NAME, case, "construct Steps(spec), median", median(builds) * 1000, "ms",
                   target="O(H·W): no sums", check=None,
                   note="pads the input only" if lazy else "includes every output sum")

        rng = random.Random(SEED)
        indices = [rng.randrange(1, s.last) for _ in range(accesses)]
        padded = s.padded_input
        weights = np.ascontiguousarray(spec.kernel)
        args = (padded, weights, spec.out_height, spec.out_width, spec.kernel_height,
                spec.kernel_width)
        for i in indices[:500]:  # warm the caches for both
            s[i]
            reference_access(*args, i)
        clock = time.perf_counter_ns
        engine_times, reference_times = [], []
        for i in indices:
            t0 = clock()
            s[i]
            t1 = clock()
            reference_access(*args, i)
            t2 = clock()
            engine_times.append((t1 - t0) / 1000)
            reference_times.append((t2 - t1) / 1000)
        mean = sum(engine_times) / len(engine_times)
        reference = sum(reference_times) / len(reference_times)
        report.add(NAME, case, f"random s[i] mean, n={accesses:,}", mean, "µs",
                   reference=reference, reference_name="numpy prefix sum",
                   target="< 15 µs at 31²" if "31" in case else "",
                   check=mean < 15 if "31" in case else None,
                   note=f"median {median(engine_times):.1f} µs, p95 "
                        f"{percentile(engine_times, 95):.1f} µs (reference: median "
                        f"{median(reference_times):.1f}, p95 "
                        f"{percentile(reference_times, 95):.1f}); a busy machine's "
                        "preemptions land in the mean")
