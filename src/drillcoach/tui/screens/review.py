"""One answer a rep sent for review: what they answered beside the model answer (above it
on a narrow terminal) and the key points they ticked; r rates it on the drill's rubric,
and the rating answers the request."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from drillcoach.content import Drill
from drillcoach.content.models import word_count
from drillcoach.errors import UserError
from drillcoach.events import ManagerRating, ReviewRequest
from drillcoach.scheduling.rules import RATING_NAMES, as_rating
from drillcoach.services import Services
from drillcoach.team.feedback import target
from drillcoach.team.workspace import Member, Membership
from drillcoach.text import request_when, words_text
from drillcoach.tui.screens.rating import RatingScreen
from drillcoach.tui.widgets.plain import Plain

WIDE = 100  # columns from which the two answers stand side by side


def model_text(drill: Drill) -> str:
    """The model answer; for a role-play, each buyer line with its model reply."""
    if drill.model_answer:
        return drill.model_answer
    if drill.turns:
        return "\n".join(f"Buyer: {t.buyer}\nModel: {t.model or '-'}" for t in drill.turns)
    return "(this drill has no model answer)"


class ReviewScreen(Screen[ManagerRating | None]):
    """Closes with the rating that answers the request, or None."""

    CSS_PATH = "review.tcss"
    HELP_TEXT = (
        "An answer your rep sent for review: theirs beside the model answer, and the key "
        "points they ticked themselves. Press r to rate it on the drill's rubric and add a "
        "note; it reaches the rep at your next sync and leaves your inbox."
    )
    BINDINGS = [
        Binding("r", "rate", "Rate this answer", tooltip="Rate the answer on the drill's rubric"),
        Binding("escape", "back", "Back", tooltip="Back to the team; the answer keeps waiting"),
    ]

    def __init__(self, services: Services, mine: Membership, request: ReviewRequest) -> None:
        super().__init__()
        self.services = services
        self.mine = mine
        self.request = request
        self.drill = services.library.drill(request.drill_uid)
        self.rep: Member = mine.team.members.get(request.rep) or Member(request.rep, request.rep,
                                                                         "rep")  # fmt: skip

    def compose(self) -> ComposeResult:
        request = self.request
        title = self.drill.title if self.drill else request.drill_uid
        yield Plain(f"{self.rep.name} asked for your review · {title}", id="heading")
        own = f" · rated it {RATING_NAMES[as_rating(request.rating)]}" if request.rating else ""
        yield Plain(f"Sent {request_when(request.at, self.services.tz)}{own}", id="sent")
        with VerticalScroll(id="review"):
            with Container(id="pair"):
                how = "typed" if request.mode == "typed" else "spoken: their notes"
                theirs = Plain(request.answer, id="theirs")
                theirs.border_title = f"{self.rep.name}'s answer ({how})"
                limit = self.drill.word_limit if self.drill else None
                if limit:
                    theirs.border_subtitle = words_text(word_count(request.answer), limit)
                yield theirs
                if self.drill is not None:
                    model = Plain(model_text(self.drill), id="model")
                    model.border_title = "Model answer"
                    if self.drill.word_limit and self.drill.model_answer:
                        words = word_count(self.drill.model_answer)
                        model.border_subtitle = words_text(words, self.drill.word_limit)
                    yield model
            if self.drill is None:
                yield Static(
                    "This drill is not in your library: sync, or load its pack, to rate it.",
                    id="missing",
                )
            else:
                points = self.drill.key_points
                hit = set(request.key_points_hit)
                yield Static(
                    f"Key points they ticked: {len(hit & set(range(len(points))))} of "
                    f"{len(points)}",
                    id="kp-title",
                )
                for index, point in enumerate(points):
                    ticked = index in hit
                    yield Plain(f"[{'x' if ticked else ' '}] {point}",
                                classes="point -hit" if ticked else "point")  # fmt: skip
        yield Footer()

    def on_mount(self) -> None:
        self._fit()
        self.query_one("#review").focus()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        self.query_one("#pair").set_class(self.app.size.width >= WIDE, "-wide")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rate":
            return self.drill is not None
        return True

    def action_rate(self) -> None:
        try:
            goal = target(self.services.library, drill_uid=self.request.drill_uid, skill=None)
        except UserError as error:
            self.notify(str(error).removeprefix("--drill: "), severity="warning", timeout=5)
            return
        form = RatingScreen(self.services, self.mine, self.rep, goal, request=self.request)
        self.app.push_screen(form, self._rated)

    def _rated(self, rating: ManagerRating | None) -> None:
        if rating is not None:
            self.dismiss(rating)

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        if self.drill is not None:
            yield SystemCommand("Rate this answer", "Score it on the drill's rubric",
                                self.action_rate)  # fmt: skip
        yield SystemCommand("Back to the team", "The answer keeps waiting", self.action_back)
