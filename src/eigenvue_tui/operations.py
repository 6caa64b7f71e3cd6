"""The operations the engine steps through, by name: validate a problem, build its steps.

``conv`` is the seed's convolution (``spec.ConvSpec`` + ``engine.Steps``,
unchanged); the others live in their own modules. ``switch`` moves a problem
to another operation keeping its grids and the options both share, which is
what ``--op`` and the app's ``o`` key (``next_op``) do.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

from .engine import Steps
from .spec import ConvSpec, SpecError, make_spec

if TYPE_CHECKING:  # the other operations load when a problem needs them, not at start
    from .backward import GradSpec
    from .pooling import PoolSpec
    from .transposed import TransposedSpec

    Problem = ConvSpec | TransposedSpec | PoolSpec | GradSpec

CONV_OPTIONS = ("stride", "padding", "dilation", "flip", "bias", "activation")
OPTIONS: dict[str, tuple[str, ...]] = {
    "conv": CONV_OPTIONS,
    "transposed": ("stride", "padding", "dilation", "output_padding"),
    "maxpool": ("pool", "stride", "padding", "dilation", "ceil_mode"),
    "avgpool": ("pool", "stride", "padding", "ceil_mode", "count_include_pad",
                "divisor_override"),
    "grad-input": (*CONV_OPTIONS, "grad_output"),
    "grad-weight": (*CONV_OPTIONS, "grad_output"),
}
OPS = tuple(OPTIONS)
POOLS = ("maxpool", "avgpool")
GRADS = ("grad-input", "grad-weight")
ALL_OPTIONS = tuple(dict.fromkeys(k for keys in OPTIONS.values() for k in keys))
VIEWS = ("grid", "im2col")
DEFAULTS: dict[str, Any] = {
    "stride": [1, 1], "padding": "valid", "dilation": [1, 1], "flip": False, "bias": None,
    "activation": "none", "output_padding": [0, 0], "ceil_mode": False,
    "count_include_pad": True, "divisor_override": None, "grad_output": None,
}


def op_of(problem: Problem) -> str:
    return "conv" if isinstance(problem, ConvSpec) else problem.op


def check_op(op: Any) -> str:
    if not isinstance(op, str) or op not in OPTIONS:
        raise SpecError(f"op {op!r} is not one of {', '.join(OPS)}")
    return op


def make_problem(input: Any, kernel: Any = None, *, op: str = "conv",
                 **options: Any) -> Problem:
    """Validate grids and options for ``op``; raise ``SpecError`` with a one-line reason."""
    check_op(op)
    extra = [name for name in options if name not in OPTIONS[op]]
    if extra:
        raise SpecError(f"{op} does not take {extra[0]}")
    if op in POOLS:
        if kernel is not None:
            raise SpecError(f"{op} takes no kernel, only a window size (pool)")
        from . import pooling

        return pooling.make_pool(op, input, **options)
    if kernel is None:
        raise SpecError(f"{op} needs a kernel")
    if op == "transposed":
        from . import transposed

        return transposed.make_transposed(input, kernel, **options)
    if op in GRADS:
        from . import backward

        return backward.make_grad(op, input, kernel, **options)
    return make_spec(input, kernel, **options)


def build(problem: Problem) -> Any:
    """The lazy step sequence of any problem (``engine.Steps`` for ``conv``)."""
    op = op_of(problem)
    if op == "conv":
        return Steps(problem)
    if op == "transposed":
        from . import transposed

        return transposed.build(problem)
    if op in POOLS:
        from . import pooling

        return pooling.build(problem)
    from . import backward

    return backward.build(problem)


# Up to this many multiply-adds (about 50 ms) a change works out the output sums in its
# own thread before it is drawn: the new problem shows once, complete, with no "…" first.
SUMS_WITH_THE_CHANGE = 50_000_000


def with_quick_sums(steps: Any, limit: int | None = None) -> Any:
    """``steps``, with every output sum already known when that takes at most ``limit``
    multiply-adds (by default ``SUMS_WITH_THE_CHANGE``: in a change's thread)."""
    limit = SUMS_WITH_THE_CHANGE if limit is None else limit
    if (isinstance(steps, Steps) and not steps.sums_ready
            and steps.positions * steps.macs_per_position <= limit):
        steps.compute_sums()
    return steps


def steps(input: Any, kernel: Any = None, *, op: str = "conv", **options: Any) -> Any:
    """The steps of ``op`` on these grids (``len``, indexing, ``iter_from``, ``listing``)."""
    return build(make_problem(input, kernel, op=op, **options))


def switch(problem: Problem, op: str | None = None, **changes: Any) -> Problem:
    """``problem`` as operation ``op`` (default: its own) with ``changes`` applied.

    The grids and every non-default option the new operation takes are kept;
    moving to a pool drops the kernel, its window defaulting to the kernel's size.
    """
    old = op_of(problem)
    op = check_op(old if op is None else op)
    extra = [name for name in changes if name not in OPTIONS[op]]
    if extra:
        raise SpecError(f"{op} does not take {extra[0]}")
    input, kernel = problem.grids()
    kept = {k: v for k, v in problem.options().items()
            if k in OPTIONS[op] and (op == old or v != DEFAULTS.get(k))}
    if op in POOLS and kernel is not None:
        kept.setdefault("pool", list(problem.kernel.shape[-2:]))
        kernel = None
    return make_problem(input, kernel, op=op, **{**kept, **changes})


SOURCELESS = ("transposed", *POOLS)  # operations that do not carry a conv's options


def op_source(problem: Problem, kernel_source: Problem | None) -> Problem | None:
    """What ``next_op`` should go back to after ``problem``: the problem itself when it
    carries a convolution (conv, a gradient), else the source it came from (or itself
    when it came from nowhere and has a kernel)."""
    if op_of(problem) not in SOURCELESS:
        return problem
    if kernel_source is None and problem.kernel is not None:
        return problem
    return kernel_source


def next_op(problem: Problem, kernel_source: Problem | None = None,
            ) -> tuple[Problem, list[tuple[str, str]]]:
    """The next operation after ``problem``'s (in ``OPS`` order) that fits its grids, and
    the ones skipped on the way with the reason each did not fit.

    A pool has no kernel, and a transposed convolution no bias or ReLU: moving on
    from one to a convolution or a gradient takes the kernel and options of
    ``kernel_source`` (the conv or gradient they were made from, see ``op_source``)
    when its input is the same, so a full cycle comes back to the problem it left.
    """
    old = op_of(problem)
    start = OPS.index(old)
    skipped: list[tuple[str, str]] = []
    for offset in range(1, len(OPS)):
        op = OPS[(start + offset) % len(OPS)]
        base = problem
        if op not in POOLS and old in SOURCELESS and kernel_source is not None \
                and np.array_equal(kernel_source.input, problem.input):
            base = kernel_source
        try:
            return switch(base, op), skipped
        except SpecError as error:
            skipped.append((op, str(error)))
    reasons = "; ".join(f"{op}: {why}" for op, why in skipped)
    raise SpecError(f"no other operation fits these grids ({reasons})")


def write_records(steps: Any, out: TextIO, start: int = 0, view: str = "grid") -> None:
    """``--trace`` for every operation but plain conv (``trace.py`` has that fast path):
    one JSON line per step from ``start``; ``done`` also carries the output, and the
    im2col view adds each step's place in the matrix product."""
    from .im2col import Im2col

    extra = Im2col(steps).trace_fields if view == "im2col" else None
    for step in steps.iter_from(start):
        record = step.to_dict()
        if extra is not None:
            record.update(extra(step))
        if step.phase == "done":
            record["output"] = steps.output_list()
        out.write(json.dumps(record, separators=(",", ":")))
        out.write("\n")
