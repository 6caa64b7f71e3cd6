"""The ``i`` screen: convolution explained on the current problem, the PyTorch call, a quiz."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .. import learn
from ..engine import Steps
from ..learn_ops import op_sections
from ..quiz import Question
from ..torch_call import torch_code
from .steady import SteadyResize

LETTERS = "abcd"


class LearnScreen(SteadyResize, ModalScreen[None]):
    """Sections with this problem's numbers, further reading, the PyTorch call, then the quiz
    (one question at a time, a–d to answer, n for the next, a running score)."""

    BINDINGS = [
        Binding("escape,i,q", "dismiss", "Close", id="learn.close"),
        *(
            Binding(letter, f"answer({n})", f"Answer {letter}", show=False,
                    id=f"learn.answer_{letter}")
            for n, letter in enumerate(LETTERS)
        ),
        Binding("n", "next", "Next question", id="learn.next"),
        Binding("p", "copy", "Copy PyTorch call", id="learn.copy"),
    ]

    def __init__(self, steps: Steps, questions: list[Question]) -> None:
        super().__init__()
        self.steps = steps
        self.questions = questions
        self.index = 0
        self.asked = 0
        self.right = 0
        self.answered = False
        self.code = torch_code(steps.spec)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="learn-box"):
            yield Static("Convolution (2D), on this problem", classes="dialog-title")
            for heading, body in learn.sections(self.steps):
                yield Static(heading, classes="learn-heading", markup=False)
                yield Static(body, classes="learn-text", markup=False)
            yield Static("Beyond the forward pass (o cycles them)", classes="dialog-title")
            for heading, body in op_sections(self.steps.spec):
                yield Static(heading, classes="learn-heading", markup=False)
                yield Static(body, classes="learn-text", markup=False)
            yield Static("Further reading", classes="learn-heading")
            for title, url in learn.FURTHER_READING:
                entry = Text(f"• {title} ")
                entry.append(url, Style(link=url, underline=True))
                yield Static(entry, classes="learn-text")
            yield Static("The same in PyTorch (p copies it)", classes="learn-heading")
            yield Static(Text(self.code), id="torch-code", classes="learn-code")
            yield Static("Quiz", classes="learn-heading")
            yield Static(id="quiz-question", classes="learn-text")
            yield Static(id="quiz-result", classes="learn-text")
            yield Static(id="quiz-score", classes="learn-text")
            yield Static("a–d answers, n next question, p copies the code, Escape closes.",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self._show_question()

    @property
    def question(self) -> Question:
        return self.questions[self.index]

    def _show_question(self) -> None:
        question = self.question
        text = Text(f"Question {self.index + 1} of {len(self.questions)}: ", "bold")
        text.append(question.prompt + "\n", "not bold")
        for letter, choice in zip(LETTERS, question.choices, strict=True):
            text.append(f"\n  {letter.upper()}) {choice}")
        self.query_one("#quiz-question", Static).update(text)
        result = self.query_one("#quiz-result", Static)
        result.update(Text("Press a, b, c or d to answer."))
        result.remove_class("-right", "-wrong")
        self.answered = False
        self._show_score()

    def _show_score(self) -> None:
        self.query_one("#quiz-score", Static).update(
            Text(f"Score: {self.right} right of {self.asked} answered")
        )

    def action_answer(self, choice: int) -> None:
        if self.answered:
            self.notify("Press n for the next question.", timeout=2)
            return
        question = self.question
        right = question.check(choice)
        self.answered = True
        self.asked += 1
        self.right += right
        letter = LETTERS[choice].upper()
        text = Text()
        text.append(
            f"{letter}: {'Right!' if right else 'Not quite.'} ",
            "bold green" if right else "bold red",
        )
        if not right:
            answer = question.answer
            text.append(
                f"The answer is {LETTERS[answer].upper()}) {question.choices[answer]}. "
            )
        text.append(question.explanation)
        result = self.query_one("#quiz-result", Static)
        result.update(text)
        result.set_class(right, "-right")
        result.set_class(not right, "-wrong")
        self._show_score()
        self.query_one("#quiz-score").scroll_visible(animate=False)

    def action_next(self) -> None:
        self.index = (self.index + 1) % len(self.questions)
        self._show_question()
        self.query_one("#quiz-score").scroll_visible(animate=False)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.code)
        self.notify("PyTorch call copied to the clipboard", timeout=2)
