"""The rating form: a manager scores one rep's drill or skill (or an answer the rep sent
for review) on its rubric, criterion by criterion with the anchors in view, adds a note,
and saves. The rating is committed before the form closes."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Click
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from drillcoach.coaching.agreement import rating_fit
from drillcoach.content.models import Criterion
from drillcoach.events import LIVE_CONTEXTS, MAX_NOTE, ManagerRating, RatingContext, ReviewRequest
from drillcoach.services import Services
from drillcoach.team.feedback import Target, rate
from drillcoach.team.workspace import Member, Membership
from drillcoach.text import rating_saved_line
from drillcoach.tui.widgets.plain import Plain
from drillcoach.tui.widgets.problem import ProblemLine
from drillcoach.tui.widgets.scores import ScoreList
from drillcoach.tui.writes import attempt

CONTEXT_LABELS: dict[RatingContext, str] = {
    "roleplay": "role-play",
    "joint-call": "joint call",
    "call-review": "call review",
    "answer": "answer",
}
HOW_TO_RATE = (
    "Score each criterion from 1 to 5 on what you saw: the anchors say what a 1, a 3 and "
    "a 5 look like; a 2 or a 4 sits between them. Type the digit (it moves to the next "
    "criterion), up/down or tab move, backspace clears. A criterion marked 'live call' "
    "(pace, interruptions, talk share) can only be heard on a call or its recording: if "
    "you did not hear it, x scores it n/a, and the mean leaves it out; every other "
    "criterion needs a score. c says where you saw it (a "
    "role-play, a joint call or a call review), n goes to the note, ctrl+s saves. A "
    "rating of a drill reschedules that drill for the rep when they next sync; a rating "
    "of a skill makes it a focus skill in their queue."
)

# one line at 80 columns, so the anchors keep their room
LIVE_ONLY_NOTE = "Needs a live call: didn't hear it? x scores n/a, left out of the mean."


class ContextLine(Static):
    """Where the manager saw it; a click picks the next one, like c."""

    def on_click(self, event: Click) -> None:
        event.stop()
        screen = self.screen
        if isinstance(screen, RatingScreen):
            screen.action_context()


class RatingScreen(Screen[ManagerRating | None]):
    """Closes with the rating saved, or None when the manager cancels."""

    CSS_PATH = "rating.tcss"
    HELP_TEXT = HOW_TO_RATE
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True,
                tooltip="Save the rating (every criterion needs a score, or n/a if live)"),
        Binding("c", "context", "Context",
                tooltip="Where you saw it: role-play, joint call or call review"),
        Binding("n", "note", "Note", tooltip="Write a note for the rep"),
        Binding("escape", "leave_note", "Back to scores", priority=True,
                tooltip="Leave the note, back to the scores"),
        Binding("escape", "cancel", "Cancel", priority=True,
                tooltip="Close the form without saving"),
    ]  # fmt: skip

    def __init__(
        self,
        services: Services,
        mine: Membership,
        rep: Member,
        goal: Target,
        *,
        request: ReviewRequest | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.mine = mine
        self.rep = rep
        self.goal = goal
        self.request = request
        self.context: RatingContext = (
            "answer" if request is not None else "joint-call" if goal.drill is None else "roleplay"
        )
        self.saving = False
        self.what = goal.title

    def compose(self) -> ComposeResult:
        if self.request is not None:
            heading = f'Rate the answer {self.rep.name} sent on "{self.what}"'
        elif self.goal.drill is not None:
            heading = f'Rate {self.rep.name} on "{self.what}"'
        else:
            heading = f"Rate {self.rep.name}'s {self.what} (a skill)"
        yield Plain(heading, id="heading")
        yield Plain(self._rubric_text(), id="rubric")
        yield ContextLine(self._context_text(), id="context")
        skill = self.goal.drill.skill if self.goal.drill else str(self.goal.skill)
        fit, agreed = rating_fit(self.services.store, self.rep.id, self.rep.name, skill,
                                 self.services.library.skills)  # fmt: skip
        yield Plain(fit, id="fit", classes="-agreed" if agreed else "-outside")
        yield ScoreList(self.goal.rubric.criteria, id="scores")
        with VerticalScroll(id="anchors"):
            yield Static("", id="anchor-text")
        note = Input(placeholder="A note for the rep (optional); enter saves", id="note",
                     max_length=MAX_NOTE)  # fmt: skip
        yield note
        yield ProblemLine()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ScoreList).focus()

    # --- what shows

    def _rubric_text(self) -> str:
        rubric = self.goal.rubric
        if any(criterion.live_only for criterion in rubric.criteria):
            return f"Rubric: {rubric.title} - 1 to 5 each; x = n/a on live-call ones"
        return f"Rubric: {rubric.title} - score each criterion 1 to 5"

    def _context_text(self) -> Content:
        if self.context == "answer":
            return Content.assemble(
                ("Context: ", "$text-muted"), f"the answer {self.rep.name} sent for review"
            )
        parts: list[str | tuple[str, str]] = [("Context: ", "$text-muted")]
        for context in LIVE_CONTEXTS:
            chosen = context == self.context
            parts.append(("(x) " if chosen else "( ) ", "bold" if chosen else ""))
            parts.append((f"{CONTEXT_LABELS[context]}   ", "bold $accent" if chosen else ""))
        parts.append(("c changes", "$text-muted"))
        return Content.assemble(*parts)

    @on(ScoreList.Moved)
    def _moved(self, event: ScoreList.Moved) -> None:
        self._show_anchors(event.criterion)

    def _show_anchors(self, criterion: Criterion) -> None:
        scores = self.query_one(ScoreList).scores
        score = scores.get(criterion.id)
        parts: list[str | tuple[str, str]] = [(criterion.title, "bold")]
        if criterion.description:
            parts.append(f": {criterion.description}")
        if criterion.live_only:
            chosen = criterion.id in scores and score is None  # scored n/a
            parts.append(
                (f"\n{LIVE_ONLY_NOTE}", "bold $text-success" if chosen else "$text-warning")
            )
        for at, text in criterion.anchors:
            style = "bold $text-success" if at == score else ""
            parts.append((f"\n{at}  {text}", style))
        if not criterion.anchors:
            parts.append(("\n(this rubric gives no anchors for it)", "$text-muted"))
        self.query_one("#anchor-text", Static).update(Content.assemble(*parts))
        self.query_one("#anchors", VerticalScroll).scroll_home(animate=False)

    @on(ScoreList.Changed)
    def _scored(self) -> None:
        self.query_one(ProblemLine).clear()

    def tell(self, problem: str) -> None:
        """Why the rating was not saved, in the line above the footer."""
        self.query_one(ProblemLine).tell(problem)

    # --- which keys apply now

    def _in_note(self) -> bool:
        return isinstance(self.focused, Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "context":
            return self.request is None
        if action == "leave_note":
            return self._in_note()
        if action == "cancel":
            return not self._in_note()
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    # --- actions

    def action_context(self) -> None:
        if self.request is not None:
            return
        contexts = list(LIVE_CONTEXTS)
        index = contexts.index(self.context) if self.context in contexts else -1
        self.context = contexts[(index + 1) % len(contexts)]
        self.query_one("#context", ContextLine).update(self._context_text())

    def action_note(self) -> None:
        self.query_one("#note", Input).focus()

    def action_leave_note(self) -> None:
        self.query_one(ScoreList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#note")
    def action_save(self) -> None:
        if self.saving:
            return
        scores = self.query_one(ScoreList)
        missing = scores.missing()
        if missing:
            names = ", ".join(c.title for c in missing)
            either = "1 to 5 each, or x for n/a on a live-call one"
            if not any(c.live_only for c in missing):
                either = "1 to 5 each"
            self.tell(f"Not saved: no score yet for {names} ({either})")
            scores.point_at(missing[0].id)
            return
        note = self.query_one("#note", Input).value
        scheduler = self.services.scheduler_for(self.rep.id)
        self.saving = True
        try:
            rating = attempt(
                lambda: rate(scheduler, self.mine, self.goal, scores.scores,
                             context=self.context, note=note, request=self.request),
                self.tell,
            )  # fmt: skip
        finally:
            self.saving = False
        if rating is None:
            return  # the scores and the note stay for another try
        self.notify(rating_saved_line(self.rep.name, self.what, rating), timeout=5)
        self.dismiss(rating)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Save rating", "Save the scores and the note", self.action_save)
        if self.request is None:
            yield SystemCommand("Change context", "Role-play, joint call or call review",
                                self.action_context)  # fmt: skip
        yield SystemCommand("Note", "Write a note for the rep", self.action_note)
        yield SystemCommand("Cancel rating", "Close the form without saving", self.action_cancel)
