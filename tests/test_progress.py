"""Progress as plain data: practice days, streaks, this week, session summaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from drillcoach.progress import (
    consistency,
    days_this_week,
    practice_days,
    streak,
    summarize_session,
)
from drillcoach.scheduler import AGAIN, EASY, GOOD, HARD, Attempt, Days, Session

MONDAY = date(2026, 3, 2)


def test_practice_days_use_the_drilling_day():
    days = Days(4, UTC)
    times = [
        datetime(2026, 3, 2, 10, tzinfo=UTC),
        datetime(2026, 3, 3, 3, 30, tzinfo=UTC),  # still 2 March
        datetime(2026, 3, 3, 4, 0, tzinfo=UTC),
    ]
    assert practice_days(times, days) == {date(2026, 3, 2), date(2026, 3, 3)}


@pytest.mark.parametrize(
    ("practised", "today", "expected"),
    [
        (set(), MONDAY, 0),
        ({MONDAY}, MONDAY, 1),
        ({MONDAY - timedelta(days=n) for n in range(4)}, MONDAY, 4),
        # not yet practised today: yesterday's streak still stands
        ({MONDAY - timedelta(days=n) for n in range(1, 4)}, MONDAY, 3),
        # a gap of one day breaks it
        ({MONDAY, MONDAY - timedelta(days=2)}, MONDAY, 1),
        ({MONDAY - timedelta(days=2)}, MONDAY, 0),
    ],
)
def test_streak(practised, today, expected):
    assert streak(practised, today) == expected


def test_days_this_week_start_on_monday():
    practised = {MONDAY - timedelta(days=1), MONDAY, MONDAY + timedelta(days=2)}
    assert days_this_week(practised, MONDAY) == 1
    assert days_this_week(practised, MONDAY + timedelta(days=2)) == 2
    assert days_this_week(practised, MONDAY + timedelta(days=6)) == 2
    assert days_this_week(practised, MONDAY + timedelta(days=7)) == 0


def test_consistency_counts_self_ratings_per_drilling_day(make_scheduler, library, clock):
    sched = make_scheduler()
    first = library.packs["objections-core"].drills[0]
    assert consistency(sched).streak == 0
    for _ in range(3):
        sched.record_self(first, GOOD)
        clock.advance(days=1)
    clock.advance(hours=-6, minutes=-30)  # 03:30 on Thursday: still Wednesday's drilling day
    sched.record_self(first, GOOD)
    result = consistency(sched)
    assert (result.streak, result.days_this_week, result.practised_today) == (3, 3, True)
    clock.advance(hours=1)  # 04:30 Thursday: a new day, not drilled yet
    result = consistency(sched)
    assert (result.streak, result.days_this_week, result.practised_today) == (3, 3, False)
    clock.advance(days=1)
    assert consistency(sched).streak == 0


def test_summarize_session(make_scheduler, clock):
    sched = make_scheduler()
    session = Session.start(sched)
    items = list(session.pending)
    started = clock.now
    for rating, hit, seconds in ((AGAIN, [0], 50), (GOOD, [0, 1, 2], 30), (EASY, [], 20)):
        item = session.current
        assert item is not None
        clock.advance(seconds=seconds + 15)
        session.record(rating, Attempt(duration_ms=seconds * 1000, key_points_hit=tuple(hit)))
    clock.advance(minutes=10)
    session.record(HARD, Attempt(duration_ms=40_000))  # the drill rated Again is not first in line
    summary = summarize_session(sched, session.rated, started)
    assert summary.drills == 4
    assert summary.ratings == {"Again": 1, "Hard": 1, "Good": 1, "Easy": 1}
    assert summary.seconds == 50 + 30 + 20 + 45 + 600
    assert summary.answer_seconds == 140
    assert summary.key_points_hit == 4
    assert summary.key_points_total == sum(len(i.drill.key_points) for i in items[:4])
    assert summary.streak == 1
    assert summary.due_tomorrow == 2  # the Again drill (learning) and the Hard one
