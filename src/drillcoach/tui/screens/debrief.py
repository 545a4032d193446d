"""Debriefing a call while it is fresh: the facts, what went well and what to change, the
buyer's own words, a 1-5 self-rating of each skill used, the next step and the film's
moments worth watching again. ctrl+s checks it (the same checks as ``drillcoach
debrief``) and saves it; then each objection heard can become a drill."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static, TextArea

from drillcoach.coaching.debrief_text import CALL_TYPE_WORDS, OUTCOME_WORDS, saved_line
from drillcoach.coaching.debriefs import (
    MAX_ACCOUNT,
    DebriefError,
    DebriefForm,
    check_debrief,
    share_hint_once,
)
from drillcoach.content.models import Criterion
from drillcoach.events import CALL_OUTCOMES, CALL_TYPES, MAX_NOTE
from drillcoach.services import Services
from drillcoach.tui.widgets.problem import ProblemLine
from drillcoach.tui.widgets.scores import ScoreList
from drillcoach.tui.writes import attempt

HOW_TO_DEBRIEF = (
    "Debrief an important call while it is fresh: the facts first, then what went well and "
    "what you would do differently, the objections in the buyer's own words (one a line: "
    "each can become a drill), a 1 to 5 rating of each skill you used (up/down to a skill, "
    "type the digit; backspace clears), the next step, and a link to the recording with "
    "the moments worth watching again ('12:40 price pushback', one a line). tab moves "
    "between the parts, ctrl+s saves, ctrl+l lists your past debriefs, escape leaves."
)

# the widget that holds each field a DebriefError names
FIELD_WIDGETS = {
    "account": "#account",
    "date": "#date",
    "type": "#type",
    "outcome": "#outcome",
    "went-well": "#went-well",
    "improve": "#improve",
    "objection": "#objections",
    "skill": "#skills",
    "next": "#next",
    "recording": "#recording",
    "moment": "#moments",
}


class SkillList(ScoreList):
    """The skills of the library, each rated 1-5 or left out; tab leaves the list (it
    does not walk thirteen skills)."""

    BINDINGS = [
        Binding("tab", "app.focus_next", "Next", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous", show=False),
    ]


class DebriefScreen(Screen[None]):
    CSS_PATH = "debrief.tcss"
    HELP_TEXT = HOW_TO_DEBRIEF
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Check and save the debrief"),
        Binding("ctrl+l", "past", "Past debriefs", tooltip="Your debriefs, and the reviews"),
        Binding("escape", "leave", "Leave", tooltip="Leave (twice, when something is typed)"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.warned = False  # escape pressed once over unsaved text

    def _today(self) -> date:
        """The rep's local date: a call is dated by the calendar, not the drilling day."""
        return self.services.scheduler.days.date_of(self.services.clock())

    def compose(self) -> ComposeResult:
        yield Static("Debrief a call", id="heading")
        with VerticalScroll(id="form"):
            yield Label("Account", classes="question")
            yield Input(
                id="account",
                max_length=MAX_ACCOUNT,
                compact=True,
                placeholder="who the call was with",
            )
            with Horizontal(id="facts"):
                with Vertical(classes="fact"):
                    yield Label("Date", classes="question")
                    yield Input(self._today().isoformat(), id="date", max_length=10, compact=True)
                with Vertical(classes="fact"):
                    yield Label("Call type", classes="question")
                    yield Select(
                        [(CALL_TYPE_WORDS[t], t) for t in CALL_TYPES],
                        id="type",
                        prompt="choose",
                        compact=True,
                    )
                with Vertical(classes="fact"):
                    yield Label("Outcome", classes="question")
                    yield Select(
                        [(OUTCOME_WORDS[o], o) for o in CALL_OUTCOMES],
                        id="outcome",
                        prompt="choose",
                        compact=True,
                    )
            yield Label("What went well", classes="question")
            yield TextArea(id="went-well", compact=True, classes="text")
            yield Label("What you'd do differently", classes="question")
            yield TextArea(id="improve", compact=True, classes="text")
            yield Label("Objections, in the buyer's own words (one a line)", classes="question")
            yield TextArea(
                id="objections",
                compact=True,
                classes="text",
                placeholder='"We already have a tool for that."',
            )
            yield Label("Skills you used: up/down, then 1-5", classes="question")
            skills = [Criterion(s.id, s.title) for s in self.services.library.skills.values()]
            yield SkillList(skills, id="skills")
            yield Label("Next step", classes="question")
            yield Input(
                id="next",
                max_length=MAX_NOTE,
                compact=True,
                placeholder="what was agreed, when, who",
            )
            yield Label("Link to the recording", classes="question")
            yield Input(
                id="recording", max_length=MAX_NOTE, compact=True, placeholder="https://..."
            )
            yield Label("Moments worth watching again (one a line)", classes="question")
            yield TextArea(
                id="moments", compact=True, classes="text", placeholder="12:40 price pushback"
            )
        yield ProblemLine()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#account", Input).focus()

    def tell(self, problem: str) -> None:
        """Why the debrief was not saved, in the line above the footer."""
        self.query_one(ProblemLine).tell(problem)

    def form(self) -> DebriefForm:
        def text(selector: str) -> str:
            return self.query_one(selector, TextArea).text

        def choice(selector: str) -> str:
            value = self.query_one(selector, Select).value
            return value if isinstance(value, str) else ""

        scores = self.query_one(SkillList).scores
        return DebriefForm(
            account=self.query_one("#account", Input).value,
            call_date=self.query_one("#date", Input).value,
            call_type=choice("#type"),
            outcome=choice("#outcome"),
            went_well=text("#went-well"),
            to_improve=text("#improve"),
            objections=tuple(text("#objections").splitlines()),
            skills=tuple(f"{skill}={score}" for skill, score in scores.items() if score),
            next_step=self.query_one("#next", Input).value,
            recording=self.query_one("#recording", Input).value,
            moments=tuple(text("#moments").splitlines()),
        )

    def _typed(self) -> bool:
        form = self.form()
        return any(
            (
                form.account,
                form.call_type,
                form.outcome,
                form.went_well,
                form.to_improve,
                form.objections,
                form.skills,
                form.next_step,
                form.recording,
                form.moments,
            )
        )

    def action_save(self) -> None:
        services = self.services
        try:
            debrief = check_debrief(
                self.form(), services.library, services.config.member, services.clock(),
                self._today(),
            )  # fmt: skip
        except DebriefError as error:
            self.tell(f"Not saved: {error}")
            self.query_one(FIELD_WIDGETS.get(error.field, "#account"), Widget).focus()
            return
        if attempt(lambda: services.store.add(debrief), self.tell) is None:
            return  # the machine refused: what was typed stays for another try
        self.notify(saved_line(debrief), timeout=6)
        hint = share_hint_once(services.store, services.config)
        if hint:
            self.notify(hint, timeout=10)
        if debrief.objections:
            from drillcoach.tui.screens.objections import ObjectionsScreen

            self.app.switch_screen(ObjectionsScreen(services, debrief))
        else:
            self.dismiss(None)

    def action_past(self) -> None:
        from drillcoach.tui.screens.debriefs import DebriefListScreen

        self.app.push_screen(DebriefListScreen(self.services))

    def action_leave(self) -> None:
        if self._typed() and not self.warned:
            self.warned = True
            self.notify(
                "Not saved yet: escape again leaves without it, ctrl+s saves.",
                severity="warning",
                timeout=5,
            )
            return
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Save debrief", "Check and save the debrief", self.action_save)
        yield SystemCommand("Past debriefs", "Your debriefs, and the reviews", self.action_past)
        yield SystemCommand("Leave", "Leave the debrief", self.action_leave)
