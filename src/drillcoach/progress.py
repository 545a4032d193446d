"""Progress as plain data: practice days, streaks, and what a session added up to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from drillcoach.scheduler import RATING_NAMES, Days, DrillScheduler, Rated


def practice_days(times: Iterable[datetime], days: Days) -> set[date]:
    return {days.day_of(moment) for moment in times}


def streak(practised: set[date], today: date) -> int:
    """Consecutive drilling days up to today; a streak still counts until today ends."""
    day = today if today in practised else today - timedelta(days=1)
    count = 0
    while day in practised:
        count += 1
        day -= timedelta(days=1)
    return count


def days_this_week(practised: set[date], today: date) -> int:
    """Days drilled since Monday of this week, today included."""
    monday = today - timedelta(days=today.weekday())
    return sum(1 for day in practised if monday <= day <= today)


@dataclass(frozen=True)
class Consistency:
    streak: int
    days_this_week: int
    practised_today: bool


def consistency(scheduler: DrillScheduler) -> Consistency:
    practised = practice_days(scheduler.store.review_times(scheduler.rep), scheduler.days)
    today = scheduler.days.day_of(scheduler.clock())
    return Consistency(
        streak=streak(practised, today),
        days_this_week=days_this_week(practised, today),
        practised_today=today in practised,
    )


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


def summarize_session(
    scheduler: DrillScheduler, rated: Sequence[Rated], started_at: datetime
) -> SessionSummary:
    counts = Counter(RATING_NAMES[r.review.rating] for r in rated)
    answered = sum((r.review.duration_ms or 0) for r in rated) // 1000
    return SessionSummary(
        drills=len({r.review.drill_uid for r in rated}),
        ratings={name: counts.get(name, 0) for name in RATING_NAMES.values()},
        seconds=max(0, int((scheduler.clock() - started_at).total_seconds())),
        answer_seconds=answered,
        key_points_hit=sum(len(r.review.key_points_hit) for r in rated),
        key_points_total=sum(r.review.key_points_total or 0 for r in rated),
        streak=consistency(scheduler).streak,
        due_tomorrow=scheduler.due_tomorrow(),
    )
