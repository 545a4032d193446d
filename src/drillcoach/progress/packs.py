"""Per pack, how far the rep is and whether they are ready; and what lies ahead: drills
due each day of the next two weeks, leeches, minutes a day."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol

from drillcoach.content import Drill, Library
from drillcoach.events import Assignment, ManagerRating
from drillcoach.progress.model import AHEAD_DAYS, READY_DAYS, Ahead, PackProgress
from drillcoach.scheduling.cardstate import CardState, Phase
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.queue import REVEAL_AND_RATE_SECONDS
from drillcoach.scheduling.rules import expected_seconds, scores_mean


class Card(Protocol):
    """What a pack's progress reads of a card: a CardState, or a leaner value."""

    @property
    def phase(self) -> int: ...

    @property
    def stability(self) -> float | None: ...

    @property
    def is_mastered(self) -> bool: ...


def pack_progress(
    library: Library,
    pack_ids: Sequence[str],
    assigned: Mapping[str, Assignment],
    cards: Mapping[str, Card],
    managers: Sequence[ManagerRating],
    manager_days: Sequence[int],
    today: date,
    *,
    ready_stability: float,
    ready_score: float,
) -> tuple[PackProgress, ...]:
    """Each pack feeding the queue (assigned ones included), assigned ones first by due
    date: drills started and mastered of its total; its earliest due date, overdue when
    that has passed with drills left to master; ready when every drill is in review with
    a stability of ``ready_stability`` days or more and every role-play has a manager
    rating whose mean rubric score is ``ready_score`` or more in the last READY_DAYS
    drilling days."""
    since = today.toordinal() - READY_DAYS + 1
    best: dict[str, float] = {}  # role-play uid -> its best recent mean rubric score
    for rating, day in zip(managers, manager_days, strict=True):
        if rating.drill_uid is not None and day >= since:
            score = scores_mean(rating.scores)
            best[rating.drill_uid] = max(score, best.get(rating.drill_uid, score))
    order = sorted(
        (pack_id for pack_id in pack_ids if pack_id in library.packs),
        key=lambda pack_id: (pack_id not in assigned, _due(assigned, pack_id)),
    )  # stable: the library's order within each
    found = []
    for pack_id in order:
        pack = library.packs[pack_id]
        states = [cards[drill.uid] for drill in pack.drills if drill.uid in cards]
        mastered = sum(state.is_mastered for state in states)
        assignment = assigned.get(pack_id)
        due = assignment.due if assignment else None
        ready = bool(pack.drills) and all(
            _settled(cards.get(drill.uid), ready_stability)
            and (not drill.is_roleplay or best.get(drill.uid, 0.0) >= ready_score)
            for drill in pack.drills
        )
        found.append(
            PackProgress(
                pack=pack_id,
                title=pack.title,
                total=len(pack.drills),
                started=len(states),
                mastered=mastered,
                due=due,
                overdue=due is not None and due < today and mastered < len(pack.drills),
                ready=ready,
            )
        )
    return tuple(found)


def _due(assigned: Mapping[str, Assignment], pack_id: str) -> date:
    assignment = assigned.get(pack_id)
    return assignment.due if assignment else date.max


def _settled(state: Card | None, stability: float) -> bool:
    return (
        state is not None
        and state.phase == Phase.REVIEW
        and state.stability is not None
        and state.stability >= stability
    )


def ahead(
    library: Library,
    scope: Sequence[Drill],
    cards: Mapping[str, CardState],
    suspended: Collection[str],
    buried: Mapping[str, datetime],
    days: Days,
    today: date,
    *,
    new_per_day: int,
    default_time_limit: int,
) -> Ahead:
    """Of the drills in ``scope`` (the packs feeding the queue) not suspended: how many
    fall due on each of the next AHEAD_DAYS drilling days (today holds the overdue; a
    buried drill counts when its burial ends), the leeches (most lapses first), and the
    minutes a day those days take: each drill due answered once, plus a full day's new
    drills each day while any are left, each drill as long as Today reckons it
    (its time to answer, then reading and rating)."""
    first = today.toordinal()
    horizon = days.start_of(today + timedelta(days=AHEAD_DAYS))
    due_on: Counter[int] = Counter()
    seconds = 0
    for drill in scope:
        state = cards.get(drill.uid)
        if state is None or drill.uid in suspended:
            continue
        due = max(state.due, buried[drill.uid]) if drill.uid in buried else state.due
        if due >= horizon:
            continue
        due_on[max(first, days.day_of(due).toordinal())] += 1
        seconds += expected_seconds(drill, default_time_limit) + REVEAL_AND_RATE_SECONDS
    in_scope = {drill.uid for drill in scope}
    fresh = (
        drill
        for drill in library.new_order()
        if drill.uid in in_scope and drill.uid not in cards and drill.uid not in suspended
    )
    for _, drill in zip(range(new_per_day * AHEAD_DAYS), fresh, strict=False):
        seconds += expected_seconds(drill, default_time_limit) + REVEAL_AND_RATE_SECONDS
    leeches = sorted(
        (state for uid in in_scope - set(suspended) if (state := cards.get(uid)) is not None
         and state.is_leech),
        key=lambda state: (-state.lapses, state.uid),
    )  # fmt: skip
    return Ahead(
        due=tuple(
            (date.fromordinal(day), due_on.get(day, 0)) for day in range(first, first + AHEAD_DAYS)
        ),
        leeches=tuple(state.uid for state in leeches),
        minutes_per_day=math.ceil(seconds / AHEAD_DAYS / 60),
    )
