"""Recording what a rep and their manager do as events: self-ratings with the attempt,
manager ratings, undo, suspend, bury and bring forward. Each event is committed before a
call returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drillcoach.content import Drill, Library, Rubric, Scores
from drillcoach.errors import UserError
from drillcoach.events import (
    AnswerMode,
    DrillAction,
    ManagerRating,
    RatingContext,
    SelfRating,
    SetAsideAction,
    Undo,
    new_event_id,
)
from drillcoach.scheduling.cards import CardBook
from drillcoach.scheduling.cardstate import CardState
from drillcoach.scheduling.days import Clock, Days
from drillcoach.scheduling.rules import as_rating, check_scores, rating_from_scores, time_limit
from drillcoach.store import Store


@dataclass(frozen=True)
class Attempt:
    """How the rep answered a drill; stored with their self-rating."""

    duration_ms: int | None = None
    key_points_hit: tuple[int, ...] = ()
    suggested: int | None = None
    mode: AnswerMode = "typed"
    answer: str | None = None
    replies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rated:
    """What recording a self-rating returns: the stored event and the drill's new state."""

    event: SelfRating
    state: CardState


class Recorder:
    """Appends one rep's events to the store."""

    def __init__(
        self,
        store: Store,
        library: Library,
        cards: CardBook,
        rep: str,
        clock: Clock,
        days: Days,
        default_time_limit: int,
    ) -> None:
        self.store = store
        self.library = library
        self.cards = cards
        self.rep = rep
        self.clock = clock
        self.days = days
        self.default_time_limit = default_time_limit

    def record_self(self, drill: Drill, rating: int, attempt: Attempt = Attempt()) -> Rated:
        """Append the rep's self-rating (committed before this returns) and reschedule."""
        checked = as_rating(rating)
        bad = [i for i in attempt.key_points_hit if not 0 <= i < len(drill.key_points)]
        if bad:
            raise ValueError(f"key point index {bad[0]} out of range for {drill.uid}")
        event = SelfRating(
            by=self.rep,
            at=self.clock(),
            drill_uid=drill.uid,
            skill=drill.skill,
            rating=checked,
            suggested=as_rating(attempt.suggested) if attempt.suggested else None,
            duration_ms=attempt.duration_ms,
            time_limit=time_limit(drill, self.default_time_limit),
            key_points_hit=tuple(sorted(set(attempt.key_points_hit))),
            key_points_total=len(drill.key_points),
            mode=attempt.mode,
            answer=attempt.answer or None,
            replies=attempt.replies,
        )
        state = self.cards.record(event)
        assert state is not None  # a self-rating is always of a drill
        return Rated(event, state)

    def record_manager(
        self,
        *,
        by: str,
        rubric: Rubric,
        scores: Scores,
        drill: Drill | None = None,
        skill: str | None = None,
        context: RatingContext = "roleplay",
        note: str = "",
        at: datetime | None = None,
        event_id: str | None = None,
        request: str | None = None,
    ) -> ManagerRating:
        """Append a manager's rubric rating of a drill (it schedules) or of a skill
        (it feeds progress and makes that skill a focus skill). A score of None is n/a,
        left out of the event and its mean (check_scores)."""
        if (drill is None) == (skill is None):
            raise UserError("a manager rating is of one drill or of one skill")
        if skill is not None and skill not in self.library.skills:
            raise UserError(f"unknown skill '{skill}' (known: {', '.join(self.library.skills)})")
        checked = check_scores(rubric, scores)
        event = ManagerRating(
            id=event_id or new_event_id(),
            by=by,
            rep=self.rep,
            at=at or self.clock(),
            rubric=rubric.id,
            scores=checked,
            rating=rating_from_scores(checked),
            skill=drill.skill if drill else str(skill),
            drill_uid=drill.uid if drill else None,
            context=context,
            note=note,
            request=request,
        )
        self.cards.record(event)
        return event

    def undo_last(self) -> SelfRating | None:
        """Take back the rep's newest self-rating, whoever recorded it (a session takes
        back only its own: ``undo``)."""
        last = self.store.last_recorded_self_rating(self.rep)
        if last is None or not self.undo(last):
            return None
        return last

    def undo(self, rating: SelfRating) -> bool:
        """Take back this one self-rating, checked and written in one transaction: False
        when it is already taken back (another drillcoach on this home may have)."""
        if rating.rep != self.rep:
            raise ValueError(f"{rating.id} is {rating.rep}'s rating, not {self.rep}'s")
        return self.cards.undo(Undo(by=self.rep, at=self.clock(), of=rating.id), rating)

    def set_aside(self, drill: Drill, action: SetAsideAction) -> DrillAction:
        """Suspend or unsuspend a drill, bury it until the next drilling day starts, or
        bring it forward into today's queue (until it is rated)."""
        now = self.clock()
        until = self.days.next_start(now) if action == "bury" else None
        event = DrillAction(by=self.rep, at=now, drill_uid=drill.uid, action=action, until=until)
        self.store.add(event)
        return event
