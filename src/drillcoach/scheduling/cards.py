"""The one wrapper around ``fsrs``: a rep's card for each drill, rebuilt from its rating
events in time order and cached under a key of that history (DESIGN.md §3)."""

from __future__ import annotations

import hashlib
import random
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs

from drillcoach.content import Drill
from drillcoach.events import AnyRating, ManagerRating, Rating
from drillcoach.scheduling.days import Clock, Days
from drillcoach.scheduling.rules import AGAIN, LEECH_LAPSES, RATING_NAMES
from drillcoach.store import CachedCard, Store

LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)


@dataclass(frozen=True)
class CardState:
    """Where a rep stands with one drill, derived from its rating history."""

    uid: str
    card: fsrs.Card
    reviews: int = 0
    lapses: int = 0
    first_review: datetime | None = None

    @property
    def is_new(self) -> bool:
        return self.reviews == 0

    @property
    def is_leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES

    @property
    def in_learning(self) -> bool:
        return not self.is_new and self.card.state in (fsrs.State.Learning, fsrs.State.Relearning)

    @property
    def due(self) -> datetime:
        return self.card.due


class Cards:
    """FSRS cards of one rep's drills over the store's events, rebuilt only when their
    history (or a scheduling setting) changed."""

    def __init__(
        self,
        store: Store,
        rep: str,
        days: Days,
        clock: Clock,
        *,
        desired_retention: float,
        fuzz: bool,
        parameters: Sequence[float] | None = None,
    ) -> None:
        self.store = store
        self.rep = rep
        self.days = days
        self.clock = clock
        self.fsrs = fsrs.Scheduler(
            parameters=tuple(parameters) if parameters else fsrs.scheduler.DEFAULT_PARAMETERS,
            desired_retention=desired_retention,
            learning_steps=LEARNING_STEPS,
            relearning_steps=RELEARNING_STEPS,
            enable_fuzzing=fuzz,
        )
        signature = f"{self.fsrs.parameters}|{desired_retention}|{fuzz}|{days.start_hour}"
        signature += f"|{LEARNING_STEPS}|{RELEARNING_STEPS}|{days.tz}"
        self._signature = hashlib.sha1(signature.encode()).hexdigest()[:12]

    # --- fsrs, deterministically

    def _review(self, card: fsrs.Card, rating: Rating, at: datetime, seed: str) -> fsrs.Card:
        # fsrs fuzzes with the global random(); seeding it per (card, step) makes a rebuilt
        # card identical to the one first scheduled, and the previewed interval the real one.
        saved = random.getstate()
        random.seed(seed)
        try:
            reviewed, _ = self.fsrs.review_card(card, fsrs.Rating(rating), at.astimezone(UTC))
        finally:
            random.setstate(saved)
        return reviewed

    @staticmethod
    def new_card(uid: str, now: datetime) -> fsrs.Card:
        return fsrs.Card(card_id=zlib.crc32(uid.encode()) or 1, due=now)

    def counting(self, events: Sequence[AnyRating]) -> list[AnyRating]:
        """Events that schedule: on a drilling day with a manager rating of the drill,
        the self-ratings of that day are kept for calibration only."""
        manager_days = {self.days.day_of(e.at) for e in events if isinstance(e, ManagerRating)}
        return [
            event
            for event in events
            if isinstance(event, ManagerRating) or self.days.day_of(event.at) not in manager_days
        ]

    def build(self, uid: str, events: Sequence[AnyRating]) -> CardState:
        """The card after replaying ``events`` (any order) through fsrs."""
        counting = self.counting(sorted(events, key=lambda e: e.at))
        first = counting[0].at if counting else None
        card = self.new_card(uid, first or self.clock())
        lapses = 0
        for index, event in enumerate(counting):
            if card.state == fsrs.State.Review and event.rating == AGAIN:
                lapses += 1
            card = self._review(card, event.rating, event.at, f"{uid}:{index}")
        return CardState(uid, card, len(counting), lapses, first)

    # --- states, from the cache where the history is unchanged

    def _history_key(self, drill: Drill, keys: Mapping[str, tuple[int, int]]) -> str:
        parts = [f"{uid}={keys.get(uid, (0, 0))}" for uid in drill.history_uids()]
        return f"{self._signature}|{';'.join(parts)}"

    def states(self, drills: Iterable[Drill]) -> dict[str, CardState]:
        """Card states for ``drills``, rebuilt only where their history changed."""
        drills = list(drills)
        keys = self.store.history_keys(self.rep)
        cached = self.store.cached_cards(self.rep)
        now = self.clock()
        states: dict[str, CardState] = {}
        stale: list[tuple[Drill, str]] = []
        for drill in drills:
            key = self._history_key(drill, keys)
            if not any(uid in keys for uid in drill.history_uids()):
                states[drill.uid] = CardState(drill.uid, self.new_card(drill.uid, now))
                continue
            hit = cached.get(drill.uid)
            if hit is not None and hit.history_key == key:
                states[drill.uid] = CardState(
                    drill.uid,
                    fsrs.Card.from_dict(hit.card),  # type: ignore[arg-type]
                    hit.reviews,
                    hit.lapses,
                    hit.first_review,
                )
            else:
                stale.append((drill, key))
        if stale:
            states.update(self._rebuild(stale))
        return states

    def _rebuild(self, stale: Sequence[tuple[Drill, str]]) -> dict[str, CardState]:
        uids = [uid for drill, _ in stale for uid in drill.history_uids()]
        events: dict[str, list[AnyRating]] = {}
        for rating in self.store.ratings(self.rep, uids):
            events.setdefault(rating.drill_uid or "", []).append(rating)
        states: dict[str, CardState] = {}
        rebuilt = []
        for drill, key in stale:
            history = [e for uid in drill.history_uids() for e in events.get(uid, [])]
            state = self.build(drill.uid, history)
            states[drill.uid] = state
            rebuilt.append(
                CachedCard(
                    drill.uid,
                    key,
                    dict(state.card.to_dict()),
                    state.lapses,
                    state.reviews,
                    state.first_review,
                )
            )
        self.store.save_cards(self.rep, rebuilt)
        return states

    def state(self, drill: Drill) -> CardState:
        return self.states([drill])[drill.uid]

    def preview(self, state: CardState) -> dict[Rating, timedelta]:
        """The interval each rating would give now, for the rating buttons."""
        now = self.clock()
        card = state.card if not state.is_new else self.new_card(state.uid, now)
        seed = f"{state.uid}:{state.reviews}"
        return {rating: self._review(card, rating, now, seed).due - now for rating in RATING_NAMES}
