"""What the buyer said, made useful: after a debrief, each objection heard in turn, with
the drill it already is (brought forward to today) or the three closest to copy key
points and an answer from, or the rep's own words; a drill made here goes into the rep's
field pack and comes first among their new drills."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from drillcoach.coaching.closest import Offer, closeness_words, offer_for
from drillcoach.coaching.fieldpack import (
    bring_forward,
    drill_from_objection,
    drill_written_line,
    forward_line,
)
from drillcoach.content import Drill
from drillcoach.events import Debrief
from drillcoach.services import Services
from drillcoach.tui.widgets.plain import Plain
from drillcoach.tui.widgets.problem import ProblemLine
from drillcoach.tui.writes import attempt

HOW_IT_WORKS = (
    "Each objection the buyer raised can become a drill of your field pack, so you answer "
    "it better the next time you hear it. When it is a drill you already have, bring that "
    "one forward: it is first in today's queue. Otherwise write the key points (what a "
    "good answer does, one a line) and a better answer, or start from one of the three "
    "closest drills and make it yours. enter picks, ctrl+s makes the drill, escape goes "
    "back, and from the list leaves (what is made is saved)."
)


class ObjectionsScreen(Screen[None]):
    CSS_PATH = "objections.tcss"
    HELP_TEXT = HOW_IT_WORKS
    BINDINGS = [
        Binding(
            "ctrl+s",
            "make",
            "Make the drill",
            priority=True,
            tooltip="Write the drill into your field pack",
        ),
        Binding("escape", "back", "Back", tooltip="Back to the choices"),
        Binding("escape", "done", "Done", tooltip="Leave: what you made is saved"),
    ]

    def __init__(self, services: Services, debrief: Debrief) -> None:
        super().__init__()
        self.services = services
        self.debrief = debrief
        self.index = 0
        first = debrief.objections[0] if debrief.objections else ""
        self.offer: Offer = offer_for(services.library, first)
        self.copy_from: Drill | None = None
        self.writing = False

    def compose(self) -> ComposeResult:
        yield Static("", id="heading")
        yield Plain("", id="words")
        yield Plain("", id="match")
        yield OptionList(id="choices")
        yield Static("up/down and enter: pick one", id="hint")
        with Vertical(id="editor"):
            yield Label("Key points: what a good answer does (one a line)", classes="question")
            yield TextArea(id="key-points", compact=True)
            yield Label("A better answer (what you would say next time)", classes="question")
            yield TextArea(id="answer", compact=True)
        yield ProblemLine()
        yield Footer()

    def on_mount(self) -> None:
        if not self.debrief.objections:
            self.dismiss(None)  # nothing heard, nothing to make
            return
        self._show()

    @property
    def objection(self) -> str:
        return self.debrief.objections[self.index]

    # --- what shows

    def _show(self) -> None:
        total = len(self.debrief.objections)
        self.query_one("#heading", Static).update(
            f"What you heard on the call with {self.debrief.account}, {self.index + 1} of {total}"
        )
        self.query_one("#words", Plain).update(f'"{self.objection}"')
        match = self.offer.match
        line = self.query_one("#match", Plain)
        line.display = match is not None
        if match is not None:
            pack = self.services.library.packs[match.pack_id].title
            line.update(f'You have this one: "{match.title}" ({pack}).')
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        if match is not None:
            choices.add_option(Option(f'Bring "{match.title}" forward to today', id="forward"))
        choices.add_option(Option("Write my own key points and a better answer", id="write"))
        for number, (drill, score) in enumerate(self.offer.closest):
            words = f'Start from "{drill.title}" ({closeness_words(score)})'
            choices.add_option(Option(words, id=f"copy-{number}"))
        choices.add_option(Option("Skip this one", id="skip"))
        choices.highlighted = 0
        self._writing(False)

    def _writing(self, writing: bool) -> None:
        self.writing = writing
        self.query_one("#choices").display = not writing
        self.query_one("#hint").display = not writing
        self.query_one("#editor").display = writing
        self.query_one(ProblemLine).clear()
        if writing:
            self.query_one("#key-points", TextArea).focus()
        else:
            self.query_one("#choices", OptionList).focus()
        self.refresh_bindings()

    def tell(self, problem: str) -> None:
        self.query_one(ProblemLine).tell(problem)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("make", "back"):
            return self.writing
        if action == "done":
            return not self.writing
        return True

    # --- choosing

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice == "skip":
            self._next()
        elif choice == "forward" and self.offer.match is not None:
            match = self.offer.match
            if attempt(lambda: bring_forward(self.services, match), self.notify_error):
                self.notify(forward_line(match), timeout=5)
                self._next()
        elif choice == "write":
            self._edit(None)
        elif choice.startswith("copy-"):
            self._edit(self.offer.closest[int(choice.removeprefix("copy-"))][0])

    def _edit(self, drill: Drill | None) -> None:
        self.copy_from = drill
        points = "\n".join(drill.key_points) if drill else ""
        self.query_one("#key-points", TextArea).load_text(points)
        self.query_one("#answer", TextArea).load_text(drill.model_answer if drill else "")
        self._writing(True)

    def notify_error(self, problem: str) -> None:
        self.notify(problem, severity="error", timeout=8)

    def _next(self) -> None:
        if self.index + 1 >= len(self.debrief.objections):
            self.dismiss(None)
            return
        self.index += 1
        self.offer = offer_for(self.services.library, self.objection)
        self._show()

    # --- actions

    def action_make(self) -> None:
        if not self.writing:
            return
        points = self.query_one("#key-points", TextArea).text.splitlines()
        answer = self.query_one("#answer", TextArea).text
        written = attempt(
            lambda: drill_from_objection(
                self.services,
                self.objection,
                key_points=points,
                answer=answer,
                copy_from=self.copy_from,
                debrief=self.debrief,
            ),
            self.tell,
        )
        if written is None:
            return  # what was typed stays for another try
        self.notify(drill_written_line(written), timeout=6)
        self._next()

    def action_back(self) -> None:
        self._writing(False)

    def action_done(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        if self.writing:
            yield SystemCommand("Make the drill", "Write it into your field pack", self.action_make)
            yield SystemCommand("Back", "Back to the choices", self.action_back)
        else:
            yield SystemCommand("Skip this objection", "On to the next one", self._next)
            yield SystemCommand("Done", "Leave: what you made is saved", self.action_done)
