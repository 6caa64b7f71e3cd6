"""The PyTorch code that computes the problem on screen, to read and to copy.

Running it leaves ``out``, of shape ``(1, F, outH, outW)``, equal to the app's
output. Grids too large to paste are left for the reader to load.
"""

from __future__ import annotations

from .spec import ConvSpec

MAX_PASTED_NUMBERS = 4096


def _tensor(name: str, values: list, shape: tuple[int, ...], note: str) -> str:
    count = 1
    for side in shape:
        count *= side
    if count > MAX_PASTED_NUMBERS:
        dims = ", ".join(map(str, shape))
        return (
            f"{name} = torch.zeros({dims}, dtype=torch.float64)"
            f"  # {note}: load your {count} numbers here"
        )
    return f"{name} = torch.tensor({values}, dtype=torch.float64)  # {note}, shape {shape}"


def torch_code(spec: ConvSpec) -> str:
    """Python source: imports, the tensors, the ``conv2d`` call, the flip/padding/ReLU it needs."""
    top, bottom, left, right = spec.padding
    symmetric = top == bottom and left == right
    lines = ["import torch", "import torch.nn.functional as F", ""]
    lines.append(_tensor("x", [spec.input.tolist()], (1, *spec.input.shape), "input (N, C, H, W)"))
    lines.append(_tensor("w", spec.kernel.tolist(), spec.kernel.shape, "kernel (F, C, kH, kW)"))
    if spec.flip:
        lines.append("w = torch.flip(w, dims=(2, 3))  # true convolution: rotate each slice 180°")
    if not symmetric:
        lines.append(
            f"x = F.pad(x, ({left}, {right}, {top}, {bottom}))  # (left, right, top, bottom)"
        )
    bias = "None"
    if spec.bias is not None:
        bias = f"torch.tensor({list(spec.bias)}, dtype=torch.float64)"
    padding = (top, left) if symmetric else (0, 0)
    lines.append(
        f"out = F.conv2d(x, w, bias={bias}, stride={spec.stride}, padding={padding}, "
        f"dilation={spec.dilation})"
    )
    if spec.activation == "relu":
        lines.append("out = torch.relu(out)")
    lines.append(f"print(out.shape)  # torch.Size([1, {spec.filters}, {spec.out_height}, "
                 f"{spec.out_width}])")
    return "\n".join(lines)
