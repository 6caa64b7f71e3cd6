"""The pseudocode listing shown beside the grids, and the line each phase runs.

With every option at its default this is the seed's listing, line for line;
each option adds only the lines and terms it needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .spec import ConvSpec


@dataclass(frozen=True)
class Listing:
    """Lines of pseudocode (no numbers) and the 1-based line of each step phase."""

    lines: tuple[str, ...]
    init_line: int
    reset_line: int
    mac_line: int
    write_line: int
    done_line: int

    def numbered(self) -> list[str]:
        width = len(str(len(self.lines)))
        return [f"{i:>{width}}  {text}".rstrip() for i, text in enumerate(self.lines, 1)]


def listing_for(spec: ConvSpec) -> Listing:
    """Build the listing for the options in force in ``spec``."""
    stride = spec.stride != (1, 1)
    dilation = spec.dilation != (1, 1)
    padded = spec.padded
    channels = spec.has_channels
    filters = spec.has_filters

    params = ["input", "kernel"]
    if spec.bias is not None:
        params.append("bias")
    lines = [f"function convolve2D({', '.join(params)}):"]
    lines.append(f"  {'C, ' if channels else ''}H, W = dimensions(input)")
    k_dims = ("F, " if filters else "") + ("C, " if channels else "") + "kH, kW"
    lines.append(f"  {k_dims} = dimensions(kernel)")
    if stride:
        lines.append("  sH, sW = {}, {}   # stride".format(*spec.stride))
    if dilation:
        lines.append("  dH, dW = {}, {}   # dilation".format(*spec.dilation))
    if padded:
        lines.append("  pT, pB, pL, pR = {}, {}, {}, {}   # padding".format(*spec.padding))
        lines.append("  input = pad(input, pT, pB, pL, pR)   # zeros around the edges")
    lines.append(f"  outH = {_size_expr('H', 'pT + pB', 'dH', 'kH', 'sH', spec)}")
    lines.append(f"  outW = {_size_expr('W', 'pL + pR', 'dW', 'kW', 'sW', spec)}")
    init_line = len(lines) + 1
    lines.append(f"  output = zeros({'F, ' if filters else ''}outH, outW)")
    lines.append("")

    indent = "  "
    if filters:
        lines.append(f"{indent}for f in range(F):")
        indent += "  "
    lines.append(f"{indent}for row in range(outH):")
    lines.append(f"{indent}  for col in range(outW):")
    indent += "    "
    reset_line = len(lines) + 1
    start = "0" if spec.bias is None else ("bias[f]" if filters else "bias")
    lines.append(f"{indent}sum = {start}")
    inner = indent
    if channels:
        lines.append(f"{inner}for ch in range(C):")
        inner += "  "
    lines.append(f"{inner}for kr in range(kH):")
    lines.append(f"{inner}  for kc in range(kW):")
    row_term = ("row*sH" if stride else "row") + ("+kr*dH" if dilation else "+kr")
    col_term = ("col*sW" if stride else "col") + ("+kc*dW" if dilation else "+kc")
    ch_index = "[ch]" if channels else ""
    f_index = "[f]" if filters else ""
    weight = "[kH-1-kr][kW-1-kc]" if spec.flip else "[kr][kc]"
    mac_line = len(lines) + 1
    lines.append(
        f"{inner}    sum += input{ch_index}[{row_term}][{col_term}]"
        f" * kernel{f_index}{ch_index}{weight}"
    )
    write_line = len(lines) + 1
    value = "max(0, sum)" if spec.activation == "relu" else "sum"
    lines.append(f"{indent}output{f_index}[row][col] = {value}")
    done_line = len(lines) + 1
    lines.append("  return output")
    return Listing(tuple(lines), init_line, reset_line, mac_line, write_line, done_line)


def _size_expr(side: str, pads: str, dil: str, k: str, s: str, spec: ConvSpec) -> str:
    head = f"{side} + {pads}" if spec.padded else side
    dilated = spec.dilation != (1, 1)
    if not dilated and spec.stride == (1, 1):
        return f"{head} - {k} + 1"
    if spec.stride == (1, 1):
        return f"{head} - {dil}*({k}-1)"  # the span's + 1 and the count's + 1 cancel
    reach = f"{dil}*({k}-1) - 1" if dilated else k
    return f"({head} - {reach}) // {s} + 1"


def size_formula(spec: ConvSpec, axis: int) -> str:
    """The output-size formula with this problem's numbers substituted.

    For example ``outH = ⌊(5 + 1 + 1 − 2·(3−1) − 1) / 2⌋ + 1 = 2``; zero pads and
    terms that cancel are left out.
    """
    name = "outH" if axis == 0 else "outW"
    n = spec.height if axis == 0 else spec.width
    k = spec.kernel_height if axis == 0 else spec.kernel_width
    pads = spec.padding[:2] if axis == 0 else spec.padding[2:]
    s = spec.stride[axis]
    d = spec.dilation[axis]
    result = spec.out_height if axis == 0 else spec.out_width
    head = str(n) + "".join(f" + {p}" for p in pads if p)
    if s == 1 and d == 1:
        return f"{name} = {head} − {k} + 1 = {result}"
    if s == 1:
        return f"{name} = {head} − {d}·({k}−1) = {result}"
    reach = f"{d}·({k}−1) − 1" if d != 1 else f"{k}"
    return f"{name} = ⌊({head} − {reach}) / {s}⌋ + 1 = {result}"
