"""Writing a new version of the vision in the TUI: each question with the current answer
in its box; ctrl+s checks it (the same checks as ``drillcoach vision edit``) and saves it
as a new version, committed before the form closes. Closes with the version saved, or
None."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from drillcoach.coaching.vision import (
    HORIZONS,
    HORIZONS_EXPECTED,
    QUESTION_BY_KEY,
    QUESTIONS,
    FormError,
    current_vision,
    make_vision,
    number_from_text,
    same_vision,
)
from drillcoach.events import MAX_NOTE, Vision
from drillcoach.services import Services
from drillcoach.tui.widgets.problem import ProblemLine
from drillcoach.tui.writes import attempt

NUMBERS = ("desire", "willingness")
INTRO = (
    "Where you want to be, in your own words: at least one of 2, 3 or 5 years. Then how "
    "much you want it, and three questions that keep those numbers honest."
)


class VisionFormScreen(Screen[Vision | None]):
    CSS_PATH = "vision_form.tcss"
    HELP_TEXT = (
        "Write where you want to be in 2, 3 and 5 years (one is enough), why it matters to "
        "you, and rate your desire to develop and your willingness to do what it takes from "
        "1 to 10. The last three questions keep those two numbers honest. tab moves between "
        "the boxes, ctrl+s saves a new version (the earlier ones stay), escape leaves "
        "without saving."
    )
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Save it as a new version"),
        Binding("escape", "cancel", "Cancel", tooltip="Leave without saving"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.rep = services.config.member
        self.current = current_vision(services.store, self.rep)

    def _value(self, key: str) -> str:
        return str(getattr(self.current, key)) if self.current is not None else ""

    def _box(self, key: str) -> Input:
        question = QUESTION_BY_KEY[key]
        if question.number:
            return Input(self._value(key), placeholder="1-10", id=key, type="integer",
                         max_length=2, classes="number", compact=True)  # fmt: skip
        return Input(self._value(key), id=key, max_length=MAX_NOTE, compact=True)

    def compose(self) -> ComposeResult:
        yield Static("Your vision", id="heading")
        with VerticalScroll(id="form"):
            yield Static(INTRO, id="intro")
            for question in QUESTIONS:
                if question.key in NUMBERS:
                    continue
                if question.key == "done_lately":
                    for key in NUMBERS:
                        with Horizontal(classes="number-row"):
                            yield Static(QUESTION_BY_KEY[key].ask, classes="question")
                            yield self._box(key)
                yield Static(question.ask, classes="question")
                yield self._box(question.key)
        yield ProblemLine()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(f"#{QUESTIONS[0].key}", Input).focus()

    def tell(self, problem: str) -> None:
        self.query_one(ProblemLine).tell(problem)

    def action_save(self) -> None:
        values: dict[str, object] = {}
        for question in QUESTIONS:
            text = self.query_one(f"#{question.key}", Input).value
            values[question.key] = number_from_text(text) if question.number else text
        try:
            vision = make_vision(self.rep, self.services.clock(), values)
        except FormError as error:
            key = error.key if error.key in QUESTION_BY_KEY else HORIZONS[0][0]
            if error.expected == HORIZONS_EXPECTED:
                self.tell(f"Not saved: {HORIZONS_EXPECTED}.")
            else:
                self.tell(f"Not saved: {QUESTION_BY_KEY[key].label}: {error.expected}.")
            self.query_one(f"#{key}", Input).focus()
            return
        if same_vision(vision, self.current):
            self.notify("No change: your vision stays as it was.", timeout=4)
            self.dismiss(None)
            return
        if attempt(lambda: self.services.store.add(vision), self.tell) is None:
            return  # what was typed stays for another try
        self.notify("Saved: a new version of your vision.", timeout=4)
        self.dismiss(vision)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Save vision", "Save it as a new version", self.action_save)
        yield SystemCommand("Cancel", "Leave without saving", self.action_cancel)
