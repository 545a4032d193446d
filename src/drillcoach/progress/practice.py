"""The rep's practice over time, from their ratings: the habit (streaks, days drilled per
week, the calendar), the volume per week, and true retention."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from drillcoach.progress.habit import longest_streak, streak
from drillcoach.progress.history import Counted, Own
from drillcoach.progress.model import (
    CALENDAR_DAYS,
    RETENTION_DAYS,
    WEEKS,
    Habit,
    Retention,
    Week,
)
from drillcoach.scheduling.rules import AGAIN, GOOD, HARD


def monday_of(day: int) -> int:
    """The Monday of the week holding ``day`` (both as date.toordinal(): 1 is a Monday)."""
    return day - (day - 1) % 7


def drills_per_day(own: Iterable[Own]) -> Counter[int]:
    """Drills rated per drilling day (as date.toordinal()), each drill once a day."""
    return Counter(day for day, _ in {(line.day, line.drill_uid) for line in own})


def habit(own: Sequence[Own], today: date, kept: tuple[int, int] | None) -> Habit:
    """Streaks (a day counts from the rollover hour: ``Own.day`` is the drilling day), the
    last WEEKS weeks, the calendar of the last CALENDAR_DAYS days, commitments kept."""
    per_day = drills_per_day(own)
    practised = {date.fromordinal(day) for day in per_day}
    return Habit(
        current_streak=streak(practised, today),
        longest_streak=longest_streak(practised),
        weeks=weeks(own, per_day, today),
        calendar=calendar(per_day, today),
        commitments_kept=kept,
    )


def weeks(own: Sequence[Own], per_day: Mapping[int, int], today: date) -> tuple[Week, ...]:
    """The last WEEKS weeks, Monday to Sunday, oldest first: days drilled, drills rated
    (each drill once a day), minutes answering (the ratings' durations, to the nearest
    minute)."""
    this_week = monday_of(today.toordinal())
    first = this_week - 7 * (WEEKS - 1)
    answering: Counter[int] = Counter()
    for line in own:
        if line.day >= first:
            answering[monday_of(line.day)] += line.duration_ms
    found = []
    for start in range(first, this_week + 1, 7):
        drilled = [per_day[day] for day in range(start, start + 7) if day in per_day]
        found.append(
            Week(
                start=date.fromordinal(start),
                days=len(drilled),
                drills=sum(drilled),
                minutes=round(answering[start] / 60_000),
            )
        )
    return tuple(found)


def calendar(per_day: Mapping[int, int], today: date) -> tuple[tuple[date, int], ...]:
    """Drills rated on each of the last CALENDAR_DAYS drilling days, oldest first."""
    last = today.toordinal()
    return tuple(
        (date.fromordinal(day), per_day.get(day, 0))
        for day in range(last - CALENDAR_DAYS + 1, last + 1)
    )


def in_review_after(in_review: bool, rating: int) -> bool:
    """Whether a drill is in review state after a counting rating, from whether it was
    before: with drillcoach's one learning and one relearning step (scheduling/memory.py),
    a new or (re)learning drill graduates on Good or Easy, a drill in review lapses on
    Again: fsrs's phases, followed without replaying it."""
    return rating != AGAIN if in_review else rating >= GOOD


def true_retention(
    by_drill: Mapping[str, Sequence[Counted]],
    today: date,
    desired: float,
    carried: Mapping[str, bool] | None = None,
) -> Retention:
    """Of the reviews of drills in review state over the last RETENTION_DAYS drilling
    days, the share rated Hard or better. A review is a drill's first counting rating of
    a drilling day (so its previous one was on an earlier day), and the drill was in
    review state before it: graduated and not lapsed since (``in_review_after``, followed
    along its counting ratings; checked against fsrs in the tests). The manager's rating
    is the one that counts on a day they rated the drill. ``carried``: per drill, whether
    it was in review state before its first rating of ``by_drill`` (a history read from a
    day on: see progress/team_facts.py); a drill not in it starts new."""
    last = today.toordinal()
    since = last - RETENTION_DAYS + 1
    reviews = passed = 0
    for uid, ratings in by_drill.items():
        in_review = carried.get(uid, False) if carried else False
        previous_day = 0
        for counted in ratings:
            if in_review and counted.day != previous_day and since <= counted.day <= last:
                reviews += 1
                passed += counted.rating >= HARD
            in_review = in_review_after(in_review, counted.rating)
            previous_day = counted.day
    return Retention(
        true_retention=passed / reviews if reviews else None, reviews=reviews, desired=desired
    )
