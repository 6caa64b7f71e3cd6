"""Practice mode: the student computes each output value before the app shows it.

The output size is asked first (at step 0), then every output cell at its
``write`` step, in loop order; stepping stops there until it is answered or
revealed. The score counts questions right at the first try. Pure: no Textual.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .engine import Steps
from .formatting import SIGNIFICANT_DIGITS, format_number
from .view_model import dot_product

REVEAL = "?"


@dataclass
class Verdict:
    """What an answer earned: right or not, and the words to show."""

    right: bool
    message: str


@dataclass
class Practice:
    """Where practice stands on one problem; the score carries over to the next."""

    steps: Steps
    asked: int = 0
    right: int = 0
    size_done: bool = False
    done: int = 0  # output cells answered or revealed, in loop order
    _tried: bool = field(default=False, repr=False)  # a wrong try on the current question

    def restart(self, steps: Steps) -> Practice:
        """The same score on a new problem, from its first question."""
        return Practice(steps, self.asked, self.right)

    @property
    def stop(self) -> int:
        """The last step the student may reach before answering."""
        if not self.size_done:
            return 0
        steps = self.steps
        return steps.write_step(self.done) if self.done < steps.positions else steps.last

    def asking(self, index: int) -> bool:
        """True when the step on screen is waiting for an answer."""
        return index == self.stop and (not self.size_done or self.done < self.steps.positions)

    def hidden(self, index: int) -> tuple[int, int, int] | None:
        """The output cell (f, row, col) drawn as ``?`` at this step, if any."""
        if self.size_done and self.asking(index):
            return self.steps.coords(self.done)
        return None

    @property
    def prompt(self) -> str:
        if not self.size_done:
            return "Output size? (rows×cols)"
        return f"{self._cell_name()} = ?"

    def _cell_name(self) -> str:
        f, row, col = self.steps.coords(self.done)
        return "output" + (f"[{f}]" if self.steps.spec.has_filters else "") + f"[{row}][{col}]"

    def answer(self, text: str) -> Verdict:
        """Check an answer (``?`` reveals); a right answer or a reveal moves on. An empty
        Enter is no answer: it asks again and scores nothing."""
        text = text.strip()
        if not text:
            wanted = "rows×cols" if not self.size_done else f"the value of {self._cell_name()}"
            return Verdict(False, f"Nothing typed: type {wanted}, then Enter (? reveals).")
        if text == REVEAL:
            return self._reveal()
        right = self._size_right(text) if not self.size_done else self._value_right(text)
        if not self._tried:
            self.asked += 1
            self.right += right
        if right:
            message = f"Right: {self._solution()}."
            self._next()
            return Verdict(True, message)
        self._tried = True
        return Verdict(False, f"Not quite. {self._hint()} Try again, or type ? to reveal.")

    def _reveal(self) -> Verdict:
        if not self._tried:
            self.asked += 1
        message = f"The answer: {self._solution()}."
        self._next()
        return Verdict(False, message)

    def _next(self) -> None:
        self._tried = False
        if not self.size_done:
            self.size_done = True
        else:
            self.done += 1

    def _size_right(self, text: str) -> bool:
        spec = self.steps.spec
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        sizes = [[spec.out_height, spec.out_width]]
        if spec.has_filters:
            sizes.append([spec.filters, spec.out_height, spec.out_width])
        return numbers in sizes

    def _value_right(self, text: str) -> bool:
        """Equal for integer problems; within half a unit of the last digit shown otherwise."""
        try:
            typed = float(text.replace("−", "-"))
        except ValueError:
            return False
        want = self.steps.cell_value(*self.steps.coords(self.done))
        if self.steps.spec.integral:
            return typed == want
        if format_number(typed) == format_number(want):
            return True
        if want == 0:
            return abs(typed) < 1e-12
        place = math.floor(math.log10(abs(want))) - (SIGNIFICANT_DIGITS - 1)
        return abs(typed - want) <= 0.5 * 10.0**place

    def _solution(self) -> str:
        spec = self.steps.spec
        if not self.size_done:
            return f"the output is {spec.out_height}×{spec.out_width}"
        step = self.steps[self.steps.write_step(self.done)]
        text = f"{self._cell_name()} = {dot_product(self.steps, step)} = {format_number(step.sum)}"
        if spec.activation == "relu":
            text += f", ReLU gives {format_number(step.value)}"
        return text

    def _hint(self) -> str:
        spec = self.steps.spec
        if not self.size_done:
            return (f"Rows: (H + pads − span) / stride + 1, rounded down; H = {spec.height}, "
                    f"W = {spec.width}, kernel {spec.kernel_height}×{spec.kernel_width}.")
        step = self.steps[self.steps.write_step(self.done)]
        relu = ", then ReLU" if spec.activation == "relu" else ""
        return f"{self._cell_name()} = {dot_product(self.steps, step)}{relu}."

    @property
    def score(self) -> str:
        return f"{self.right}/{self.asked} right first try"
