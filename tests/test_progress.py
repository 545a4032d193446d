"""Progress as plain data: practice days, streaks, this week, session summaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from drillcoach.content import Library
from drillcoach.progress.habit import (
    Consistency,
    consistency,
    days_this_week,
    practice_days,
    streak,
)
from drillcoach.progress.session import summarize_session
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import AGAIN, EASY, GOOD, HARD
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.scheduling.session import Session
from drillcoach.text import summary_closing
from helpers import DrillDoc, FakeClock, MakeLibrary, MakeScheduler, PackDoc, WritePack

MONDAY = date(2026, 3, 2)


def test_practice_days_use_the_drilling_day() -> None:
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
def test_streak(practised: set[date], today: date, expected: int) -> None:
    assert streak(practised, today) == expected


def test_days_this_week_start_on_monday() -> None:
    practised = {MONDAY - timedelta(days=1), MONDAY, MONDAY + timedelta(days=2)}
    assert days_this_week(practised, MONDAY) == 1
    assert days_this_week(practised, MONDAY + timedelta(days=2)) == 2
    assert days_this_week(practised, MONDAY + timedelta(days=6)) == 2
    assert days_this_week(practised, MONDAY + timedelta(days=7)) == 0


def habit(sched: DrillScheduler) -> Consistency:
    """The rep's consistency from their stored self-ratings, as of the scheduler's clock."""
    return consistency(sched.store.self_rating_times(sched.rep), sched.days, sched.clock())


def test_consistency_counts_self_ratings_per_drilling_day(
    make_scheduler: MakeScheduler, library: Library, clock: FakeClock
) -> None:
    sched = make_scheduler()
    first = library.packs["objections-core"].drills[0]
    assert habit(sched).streak == 0
    for _ in range(3):
        sched.record_self(first, GOOD)
        clock.advance(days=1)
    clock.advance(hours=-6, minutes=-30)  # 03:30 on Thursday: still Wednesday's drilling day
    sched.record_self(first, GOOD)
    result = habit(sched)
    assert (result.streak, result.days_this_week, result.practised_today) == (3, 3, True)
    clock.advance(hours=1)  # 04:30 Thursday: a new day, not drilled yet
    result = habit(sched)
    assert (result.streak, result.days_this_week, result.practised_today) == (3, 3, False)
    clock.advance(days=1)
    assert habit(sched).streak == 0


def test_summarize_session(
    make_scheduler: MakeScheduler,
    clock: FakeClock,
    write_pack: WritePack,
    make_library: MakeLibrary,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
) -> None:
    # 1 to 5 key points: summing another drill's checklist could never add up by chance
    points = ["One", "Two", "Three", "Four", "Five"]
    drills = [drill_doc(f"d{n}", key_points=points[:n]) for n in range(1, 6)]
    write_pack(pack_doc("sizes", drills=drills))
    sched = make_scheduler(library=make_library())
    session = Session.start(sched)
    assert [len(item.drill.key_points) for item in session.pending] == [1, 2, 3, 4, 5]
    started = clock.now
    for rating, hit, seconds in ((AGAIN, [0], 50), (GOOD, [0, 1], 30), (EASY, [], 20)):
        item = session.current
        assert item is not None
        clock.advance(seconds=seconds + 15)
        session.record(rating, Attempt(duration_ms=seconds * 1000, key_points_hit=tuple(hit)))
    clock.advance(minutes=10)
    session.record(HARD, Attempt(duration_ms=40_000))  # the drill rated Again is not first in line
    assert [rated.event.drill_uid for rated in session.rated] == [
        "sizes/d1", "sizes/d2", "sizes/d3", "sizes/d4"
    ]  # fmt: skip
    summary = summarize_session(
        [rated.event for rated in session.rated],
        started_at=started,
        ended_at=clock.now,
        streak=habit(sched).streak,
        due_tomorrow=sched.due_tomorrow(),
    )
    assert summary.drills == 4
    assert summary.ratings == {"Again": 1, "Hard": 1, "Good": 1, "Easy": 1}
    assert summary.seconds == 50 + 30 + 20 + 45 + 600
    assert summary.answer_seconds == 140
    assert summary.key_points_hit == 1 + 2 + 0 + 0
    assert summary.key_points_total == 1 + 2 + 3 + 4
    assert summary.streak == 1
    assert summary.due_tomorrow == 2  # the Again drill (learning) and the Hard one
    # the Easy with none of 3 ticked and the Hard with none of 4: the checklist said Again
    assert summary.above_checklist == 2
    assert summary_closing(summary) == (
        "1 drill(s) you rated Again will come back soon - that is the practice working. "
        "2 ratings above your checklist today: rating what you hit brings a drill back when "
        "you need it."
    )
    clean = replace(summary, ratings={**summary.ratings, "Again": 0}, above_checklist=0)
    assert summary_closing(clean).startswith("Clean session.")
