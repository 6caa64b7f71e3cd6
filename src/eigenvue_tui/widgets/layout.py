"""How wide each panel is: the grids' own cell geometry decides, not fixed fractions.

Each panel first gets a share of the width in proportion to the columns it
draws; then it shrinks to what its grids actually use at that size (a 2×2
kernel needs little), and what is left goes to the panels that can still grow.
"""

from __future__ import annotations

from dataclasses import dataclass

from .grid import GridView

CHROME_W, CHROME_H = 4, 2  # a panel's border and padding
TITLE_H = 1  # a plane, slice or feature map with its own title line


@dataclass(frozen=True)
class Layout:
    stacked: bool
    widths: dict[str, int]


def _used_width(grids: list[GridView], width: int, height: int, titled: bool) -> int:
    """Columns these grids use side by side when they share ``width`` × ``height``."""
    if not grids:
        return 0
    each = max(width // len(grids), 1)
    inner_h = max(height - (TITLE_H if titled else 0), 1)
    return sum(
        grid.geometry_for(each, inner_h).total_width + 1
        for grid in grids
    )


class _Panel:
    """One panel's grids and how they share its room (planes across, maps down)."""

    def __init__(self, name: str, rows: list[list[GridView]], weight: int) -> None:
        self.name = name
        self.rows = [row for row in rows if row]
        self.weight = max(weight, 1)

    def natural(self) -> int:
        return max(
            (sum(grid.natural_size().width + 1 for grid in row) for row in self.rows), default=1
        )

    def used(self, width: int, height: int) -> int:
        count = max(len(self.rows), 1)
        each_h = max(height // count, 1)
        titled = count > 1 or any(len(row) > 1 for row in self.rows)
        return max((_used_width(row, width, each_h, titled) for row in self.rows), default=1)


def plan(
    width: int, height: int, inputs: list[GridView], kernels: list[GridView], columns: int,
    products: GridView, outputs: list[GridView],
) -> Layout:
    kernel_rows = [kernels[i : i + columns] for i in range(0, len(kernels), columns)]
    panels = [
        _Panel("input-panel", [inputs], sum(g.cells.cols for g in inputs)),
        _Panel("kernel-panel", [*kernel_rows, [products]],
               max(len(kernel_rows[0]) if kernel_rows else 1, 1) * products.cells.cols),
        _Panel("output-panel", [[grid] for grid in outputs],
               max((g.cells.cols for g in outputs), default=1)),
    ]
    inner_h = max(height - CHROME_H, 1)
    naturals = [panel.natural() for panel in panels]
    stacked = sum(naturals) + CHROME_W * len(panels) > width
    if stacked:
        top_h = max(inner_h // 2, 1)
        kernel = panels[1].used(max(width // 3, naturals[1]), top_h) + CHROME_W
        kernel = min(kernel, max(width // 2, 16))
        return Layout(True, {
            "kernel-panel": kernel, "input-panel": max(width - kernel, 1), "output-panel": width,
        })
    room = width - CHROME_W * len(panels)
    total_weight = sum(panel.weight for panel in panels)
    shares = [max(n, room * p.weight // total_weight) for n, p in zip(naturals, panels,
                                                                        strict=True)]
    excess = sum(shares) - room
    if excess > 0:
        spare = [s - n for s, n in zip(shares, naturals, strict=True)]
        total_spare = sum(spare) or 1
        shares = [s - excess * sp // total_spare for s, sp in zip(shares, spare, strict=True)]
    used = [min(p.used(s, inner_h), s) for p, s in zip(panels, shares, strict=True)]
    left = room - sum(used)
    growing = [i for i, (u, s) in enumerate(zip(used, shares, strict=True)) if u >= s - 1]
    fitting = all(grid.zoom_delta == 0 for grid in [*inputs, *kernels, *outputs])
    if left > 0 and growing and fitting:  # zoomed by hand: the cells keep the asked size
        for i in growing:
            extra = left * panels[i].weight // sum(panels[j].weight for j in growing)
            used[i] = min(panels[i].used(used[i] + extra, inner_h), used[i] + extra)
    widths = {p.name: max(u, 1) + CHROME_W for p, u in zip(panels, used, strict=True)}
    return Layout(False, widths)
