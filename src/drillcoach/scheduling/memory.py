"""The one wrapper around ``fsrs``: one review of a card, a card replayed from its
counting ratings, a due date recomputed for another desired retention, and the
intervals the rating buttons show. Fuzz is seeded per (drill, review number), so a card
rebuilt from history, a previewed interval and a recomputed due equal what was stored."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from drillcoach.events import AnyRating, Rating
from drillcoach.scheduling.cardstate import CardState, Phase
from drillcoach.scheduling.rules import AGAIN, RATING_NAMES

if TYPE_CHECKING:
    from fsrs import Card as FsrsCard
    from fsrs import Scheduler as FsrsScheduler

LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)


@contextmanager
def _seeded(seed: str) -> Iterator[None]:
    # fsrs fuzzes with the global random(): seed it, and leave it as it was afterwards
    import random  # here: `drillcoach today` never draws a number

    saved = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(saved)


class Memory:
    """FSRS with drillcoach's steps, a desired retention and fuzz on or off."""

    def __init__(
        self,
        *,
        desired_retention: float,
        fuzz: bool,
        parameters: Sequence[float] | None = None,
    ) -> None:
        self.desired_retention = desired_retention
        self.fuzz = fuzz
        self.parameters = tuple(parameters) if parameters else None
        self._scheduler: FsrsScheduler | None = None
        # what card state depends on (a change means replaying history) ...
        memory = f"{self.parameters or 'default'}|{LEARNING_STEPS}|{RELEARNING_STEPS}"
        self.memory_signature = f"{zlib.crc32(memory.encode()):08x}"
        # ... and what only due dates depend on (a change means recomputing them)
        self.due_signature = f"{desired_retention}|{fuzz}"

    @property
    def fsrs(self) -> FsrsScheduler:
        """fsrs, imported on first use: `drillcoach today` reads cards without it."""
        if self._scheduler is None:
            import fsrs

            self._scheduler = fsrs.Scheduler(
                parameters=self.parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
                desired_retention=self.desired_retention,
                learning_steps=LEARNING_STEPS,
                relearning_steps=RELEARNING_STEPS,
                enable_fuzzing=self.fuzz,
            )
        return self._scheduler

    # --- fsrs cards and back

    def _card(self, state: CardState, now: datetime) -> FsrsCard:
        import fsrs

        card_id = zlib.crc32(state.uid.encode()) or 1
        if state.is_new:
            return fsrs.Card(card_id=card_id, due=now.astimezone(UTC))
        return fsrs.Card(
            card_id=card_id,
            state=fsrs.State(int(state.phase)),
            step=state.step,
            stability=state.stability,
            difficulty=state.difficulty,
            due=state.due.astimezone(UTC),
            last_review=state.last_review.astimezone(UTC) if state.last_review else None,
        )

    def _review(self, state: CardState, rating: Rating, at: datetime) -> FsrsCard:
        import fsrs

        at = at.astimezone(UTC)
        with _seeded(f"{state.uid}:{state.reviews}"):
            reviewed, _ = self.fsrs.review_card(self._card(state, at), fsrs.Rating(rating), at)
        return reviewed

    # --- what the rest of drillcoach asks

    def review(self, state: CardState, rating: Rating, at: datetime) -> CardState:
        """``state`` after one counting rating at ``at``."""
        card = self._review(state, rating, at)
        lapsed = state.phase == Phase.REVIEW and rating == AGAIN
        return CardState(
            uid=state.uid,
            due=card.due,
            phase=Phase(int(card.state)),
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            last_review=card.last_review,
            reviews=state.reviews + 1,
            lapses=state.lapses + lapsed,
            first_review=state.first_review or at.astimezone(UTC),
        )

    def replay(self, uid: str, counting: Sequence[AnyRating], now: datetime) -> CardState:
        """The card after ``counting`` ratings, in their order (a new card if none)."""
        state = CardState.new(uid, now)
        for event in counting:
            state = self.review(state, event.rating, event.at)
        return state

    def dues(self, cards: Sequence[tuple[str, float, int, int]]) -> list[tuple[str, int]]:
        """(uid, due in microseconds) of cards in review, given as (uid, stability, last
        review in microseconds, reviews), under this retention and fuzz. A card in review
        was last scheduled by ``next_interval(stability)``, fuzzed with the seed of that
        review; stability does not depend on retention, so nothing is replayed."""
        import random

        next_interval = self.fsrs._next_interval
        fuzzed = self.fsrs._get_fuzzed_interval
        day = 86_400_000_000
        found = []
        with _seeded(""):  # the global random state saved once for the lot
            for uid, stability, last_review, reviews in cards:
                days = next_interval(stability=stability)
                if self.fuzz:
                    random.seed(f"{uid}:{reviews - 1}")
                    days = fuzzed(interval=timedelta(days=days)).days
                found.append((uid, last_review + days * day))
        return found

    def preview(self, state: CardState, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give now, for the rating buttons."""
        return {rating: self._review(state, rating, now).due - now for rating in RATING_NAMES}
