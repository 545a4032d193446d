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


def fuzz_seed(uid: str, reviews: int) -> str:
    """What fsrs's fuzz is seeded with at review number ``reviews`` (0 for the first) of
    a card, so a replay, a preview and a kept draw all see the same number."""
    return f"{uid}:{reviews}"


def draw(uid: str, reviews: int) -> float:
    """The number fsrs's fuzz draws at review number ``reviews`` (0 for the first) of a
    card: the first random() after seeding with the card's seed, as ``_seeded`` does."""
    import random

    return random.Random(fuzz_seed(uid, reviews)).random()


def _half_even(column: str) -> str:
    """SQL rounding a non-negative ``column`` to the nearest integer, halves to even, as
    Python's round() does (SQLite's round() takes halves away from zero)."""
    whole = f"CAST({column} AS INTEGER)"
    return (
        f"(CASE WHEN {column} - {whole} > 0.5 THEN {whole} + 1 "
        f"WHEN {column} - {whole} < 0.5 THEN {whole} ELSE {whole} + {whole} % 2 END)"
    )


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
        self._unfuzzed: FsrsScheduler | None = None
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

    @property
    def unfuzzed(self) -> FsrsScheduler:
        """fsrs without fuzz: for the reviews of a replay before its last, whose due dates
        are not kept (fuzz moves only a due date, never the memory state fsrs steps from),
        so they need no seeding of the global random."""
        if not self.fuzz:
            return self.fsrs
        if self._unfuzzed is None:
            import fsrs

            self._unfuzzed = fsrs.Scheduler(
                parameters=self.parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
                desired_retention=self.desired_retention,
                learning_steps=LEARNING_STEPS,
                relearning_steps=RELEARNING_STEPS,
                enable_fuzzing=False,
            )
        return self._unfuzzed

    def _review(self, state: CardState, rating: Rating, at: datetime, last: bool) -> FsrsCard:
        import fsrs

        at = at.astimezone(UTC)
        card = self._card(state, at)
        if not (last and self.fuzz):
            return self.unfuzzed.review_card(card, fsrs.Rating(rating), at)[0]
        with _seeded(fuzz_seed(state.uid, state.reviews)):
            reviewed, _ = self.fsrs.review_card(card, fsrs.Rating(rating), at)
        return reviewed

    # --- what the rest of drillcoach asks

    def review(
        self, state: CardState, rating: Rating, at: datetime, *, last: bool = True
    ) -> CardState:
        """``state`` after one counting rating at ``at``; with the number its fuzz drew
        when ``last`` (a replay draws only for the review it ends with)."""
        card = self._review(state, rating, at, last)
        lapsed = state.phase == Phase.REVIEW and rating == AGAIN
        phase = Phase(int(card.state))
        drawn = draw(state.uid, state.reviews) if last and phase == Phase.REVIEW else None
        return CardState(
            uid=state.uid,
            due=card.due,
            phase=phase,
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            last_review=card.last_review,
            reviews=state.reviews + 1,
            lapses=state.lapses + lapsed,
            first_review=state.first_review or at.astimezone(UTC),
            fuzz=drawn,
        )

    def replay(self, uid: str, counting: Sequence[AnyRating], now: datetime) -> CardState:
        """The card after ``counting`` ratings, in their order (a new card if none)."""
        state = CardState.new(uid, now)
        for number, event in enumerate(counting, 1):
            state = self.review(state, event.rating, event.at, last=number == len(counting))
        return state

    def interval_sql(self) -> tuple[str, dict[str, float | int]]:
        """SQL for the days a review card's due date lies after its last review, from its
        columns ``stability`` and ``fuzz`` (the number its last review drew), with its
        parameters: fsrs's ``_next_interval`` and ``_get_fuzzed_interval`` as arithmetic,
        so a new desired retention or fuzz setting moves every due date in one UPDATE and
        replays nothing (stability does not depend on either). Python's round() rounds
        half to even, as fsrs does; the whole is checked against replays in the tests."""
        import fsrs

        scheduler = self.fsrs
        params: dict[str, float | int] = {
            "factor": scheduler._FACTOR,
            "power": (self.desired_retention ** (1 / scheduler._DECAY)) - 1,
            "longest": scheduler.maximum_interval,
        }
        # the interval before fuzz: round(stability / FACTOR * (R ** (1 / DECAY) - 1)),
        # at least one day, at most the longest
        layers = [
            "SELECT drill, fuzz, stability / :factor * :power AS x FROM cards WHERE rep = :rep "
            "AND phase = 2 AND stability IS NOT NULL AND last_review IS NOT NULL",
            f"SELECT drill, fuzz, min(max({_half_even('x')}, 1), :longest) AS days",
        ]
        if self.fuzz:
            spread = "1.0"  # fsrs's fuzz range: delta grows with the interval, by ranges
            for number, span in enumerate(fsrs.scheduler.FUZZ_RANGES):
                params[f"factor{number}"] = span["factor"]
                params[f"start{number}"] = span["start"]
                upto = "days"
                if span["end"] != float("inf"):
                    params[f"end{number}"] = span["end"]
                    upto = f"min(days, :end{number})"
                spread += f" + :factor{number} * max({upto} - :start{number}, 0.0)"
            high = f"min({_half_even('high')}, :longest)"
            fuzzed = "(fuzz * (hi - lo + 1) + lo)"
            layers += [
                f"SELECT drill, fuzz, days, days - ({spread}) AS low, days + ({spread}) AS high",
                f"SELECT drill, fuzz, days, min(max(2, {_half_even('low')}), {high}) AS lo, "
                f"{high} AS hi",
                "SELECT drill, CASE WHEN days < 2.5 THEN days "
                f"ELSE min({_half_even(fuzzed)}, :longest) END AS days",
            ]
        # each layer reads the one below as a subquery SQLite must not flatten (OFFSET):
        # flattened, every column would be its whole expression, repeated by each rounding
        sql = layers[0]
        for layer in layers[1:]:
            sql = f"{layer} FROM ({sql} LIMIT -1 OFFSET 0)"
        return sql, params

    def preview(self, state: CardState, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give now, for the rating buttons."""
        return {rating: self._review(state, rating, now, True).due - now for rating in RATING_NAMES}
