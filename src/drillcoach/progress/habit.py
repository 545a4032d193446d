"""The drilling habit: practice days, the streak, and days drilled this week."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from drillcoach.scheduling.days import Days


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


def consistency(self_rating_times: Iterable[datetime], days: Days, now: datetime) -> Consistency:
    """The habit from when a rep rated themselves, as of ``now``."""
    return consistency_of(practice_days(self_rating_times, days), days.day_of(now))


def consistency_of(practised: set[date], today: date) -> Consistency:
    """The habit from the drilling days practised (at least this week's and the streak's)."""
    return Consistency(
        streak=streak(practised, today),
        days_this_week=days_this_week(practised, today),
        practised_today=today in practised,
    )


def longest_streak(practised: Iterable[date]) -> int:
    """The most drilling days in a row, ever."""
    best = run = 0
    previous: date | None = None
    for day in sorted(set(practised)):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best
