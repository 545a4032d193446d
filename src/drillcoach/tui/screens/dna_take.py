"""Taking the sales DNA check: one statement at a time, answered 1 to 5 with a key (or a
click on the scale); backspace goes back one; escape leaves without storing anything. It
closes with every answer, and the screen that opened it stores them."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from drillcoach.coaching.dna import HIGHEST, LOWEST, SCALE, Dna
from drillcoach.tui.widgets.plain import Plain


class DnaTakeScreen(Screen[dict[str, int] | None]):
    """Closes with an answer to every statement, or None when the rep leaves."""

    CSS_PATH = "dna_take.tcss"
    HELP_TEXT = (
        "Agree or disagree with each statement, from 1 (strongly disagree) to 5 (strongly "
        "agree): type the digit, or pick it on the scale with up/down and enter. Answer for "
        "the rep you are on an ordinary day, not the one you want to be. Backspace goes back "
        "one statement; escape leaves without storing anything."
    )
    BINDINGS = [
        Binding("1", "answer(1)", "Answer", key_display="1-5"),
        *(Binding(str(value), f"answer({value})", f"Answer {value}", show=False)
          for value in range(LOWEST + 1, HIGHEST + 1)),
        Binding("backspace", "back", "Back one"),
        Binding("escape", "leave", "Leave, not saved"),
    ]  # fmt: skip

    def __init__(self, dna: Dna) -> None:
        super().__init__()
        self.dna = dna
        self.answers: dict[str, int] = {}
        self.at = 0  # the statement on screen

    def compose(self) -> ComposeResult:
        with Vertical(id="take"):
            yield Static("", id="progress")
            yield Plain(self.dna.intro, id="intro")
            yield Plain("", id="statement")
            scale = OptionList(id="scale", markup=False)
            for value, word in enumerate(SCALE, LOWEST):
                scale.add_option(Option(f"{value}  {word[0].upper()}{word[1:]}", id=str(value)))
            yield scale
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self.query_one("#scale", OptionList).focus()

    def _show(self) -> None:
        statement = self.dna.statements[self.at]
        total = len(self.dna.statements)
        self.query_one("#progress", Static).update(
            f"{self.dna.title} · statement {self.at + 1} of {total}"
        )
        self.query_one("#intro").display = self.at == 0
        self.query_one("#statement", Plain).update(statement.text)
        scale = self.query_one("#scale", OptionList)
        earlier = self.answers.get(statement.id)
        scale.highlighted = (earlier or 3) - LOWEST

    def action_answer(self, value: int) -> None:
        self.answers[self.dna.statements[self.at].id] = value
        if self.at + 1 == len(self.dna.statements):
            self.dismiss(dict(self.answers))
            return
        self.at += 1
        self._show()

    @on(OptionList.OptionSelected, "#scale")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.action_answer(int(event.option.id or LOWEST))

    def action_back(self) -> None:
        if self.at:
            self.at -= 1
            self._show()

    def action_leave(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Back one statement", "Change the answer before", self.action_back)
        yield SystemCommand(
            "Leave the check", "Close it without storing any answer", self.action_leave
        )
