"""What one session added up to, from the self-ratings it recorded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from drillcoach.events import SelfRating
from drillcoach.scheduling.rules import RATING_NAMES


@dataclass(frozen=True)
class SessionSummary:
    drills: int  # distinct drills rated
    ratings: dict[str, int]  # "Again" .. "Easy" -> count
    seconds: int  # wall-clock time of the session
    answer_seconds: int  # time spent answering, summed
    key_points_hit: int
    key_points_total: int
    streak: int
    due_tomorrow: int
    above_checklist: int = 0  # self-ratings above what their ticked key points suggested


def summarize_session(
    rated: Sequence[SelfRating],
    *,
    started_at: datetime,
    ended_at: datetime,
    streak: int,
    due_tomorrow: int,
) -> SessionSummary:
    from drillcoach.progress.skills import ratings_above_checklist  # it says words: text.py

    counts = Counter(RATING_NAMES[event.rating] for event in rated)
    return SessionSummary(
        drills=len({event.drill_uid for event in rated}),
        ratings={name: counts.get(name, 0) for name in RATING_NAMES.values()},
        seconds=max(0, int((ended_at - started_at).total_seconds())),
        answer_seconds=sum(event.duration_ms or 0 for event in rated) // 1000,
        key_points_hit=sum(len(event.key_points_hit) for event in rated),
        key_points_total=sum(event.key_points_total or 0 for event in rated),
        streak=streak,
        due_tomorrow=due_tomorrow,
        above_checklist=ratings_above_checklist(rated),
    )
