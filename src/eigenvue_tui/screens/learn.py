"""The ``i`` screen: the seed's teaching text and its quiz, answered with a–d."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .. import learn


class LearnScreen(ModalScreen[None]):
    """Overview, key concepts, pitfalls, further reading, then the quiz."""

    BINDINGS = [
        Binding("escape,i,q", "dismiss", "Close", id="learn.close"),
        *(
            Binding(letter, f"answer('{letter}')", f"Answer {letter}", show=False,
                    id=f"learn.answer_{letter}")
            for letter, _ in learn.QUIZ.choices
        ),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="learn-box"):
            yield Static("Convolution (2D)", classes="dialog-title")
            yield Static(Text(learn.COMPLEXITY, style="italic"))
            yield Static(learn.OVERVIEW, classes="learn-text", markup=False)
            yield Static("Key concepts", classes="learn-heading")
            for title, body in learn.KEY_CONCEPTS:
                yield Static(self._item(title, body), classes="learn-text")
            yield Static("Common pitfalls", classes="learn-heading")
            for title, body in learn.PITFALLS:
                yield Static(self._item(title, body), classes="learn-text")
            yield Static("Further reading", classes="learn-heading")
            for entry in learn.FURTHER_READING:
                yield Static(Text(f"• {entry}"), classes="learn-text")
            yield Static("Quiz", classes="learn-heading")
            question = Text(learn.QUIZ.prompt + "\n")
            for letter, choice in learn.QUIZ.choices:
                question.append(f"\n  {letter.upper()}) {choice}")
            yield Static(question, classes="learn-text")
            yield Static(
                Text("Press a, b, c or d to answer."), id="quiz-result", classes="learn-text"
            )
            yield Static("Escape closes.", classes="dialog-hint")

    @staticmethod
    def _item(title: str, body: str) -> Text:
        text = Text()
        text.append(title, "bold")
        text.append(f" — {body}")
        return text

    def action_answer(self, letter: str) -> None:
        quiz = learn.QUIZ
        right = quiz.check(letter)
        text = Text()
        text.append(
            f"{letter.upper()}: {'Right!' if right else 'Not quite.'} ",
            "bold green" if right else "bold red",
        )
        if not right:
            text.append(f"The answer is {quiz.answer.upper()}. ")
        text.append(quiz.explanation)
        result = self.query_one("#quiz-result", Static)
        result.update(text)
        result.set_class(right, "-right")
        result.set_class(not right, "-wrong")
        result.scroll_visible(animate=False)
