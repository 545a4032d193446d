"""Clocks that misbehave: drilling days across daylight-saving changes in the machine's
own time zone, and ratings stamped in the future by a clock that was later set back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from drillcoach.content import Library
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.rules import GOOD
from helpers import FakeClock, MakeScheduler


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")


@pytest.mark.usefixtures("new_york")
@pytest.mark.parametrize(
    ("hour", "day", "starts"),
    [
        # 8 March 2026: 02:00 never happens (clocks jump to 03:00): the day starts then
        (2, date(2026, 3, 8), datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        (4, date(2026, 3, 8), datetime(2026, 3, 8, 8, 0, tzinfo=UTC)),
        # 1 November 2026: 01:00 happens twice: the day starts at the first
        (1, date(2026, 11, 1), datetime(2026, 11, 1, 5, 0, tzinfo=UTC)),
        (2, date(2026, 11, 1), datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
    ],
)
def test_a_day_starts_where_the_local_clock_reaches_the_hour(
    hour: int, day: date, starts: datetime
) -> None:
    days = Days(hour)  # the machine's time zone, from TZ
    assert days.start_of(day) == starts
    assert days.day_of(starts) == day
    assert days.day_of(starts - timedelta(microseconds=1)) == day - timedelta(days=1)


def test_a_rating_from_the_future_does_not_freeze_the_drill(
    make_scheduler: MakeScheduler, library: Library, clock: FakeClock
) -> None:
    target = library.new_order()[0]  # among the day's new drills
    clock.advance(days=400)  # the clock was set a year ahead ...
    make_scheduler().record_self(target, GOOD)
    clock.advance(days=-400)  # ... and then put right
    sched = make_scheduler()
    state = sched.state(target)
    assert state.is_new  # the rating from the future does not count yet
    assert target.uid in [item.drill.uid for item in sched.queue().items]
    rated = sched.record_self(target, GOOD)
    assert rated.state.due < clock.now + timedelta(days=10)
    assert sched.cards.check() == []
    clock.advance(days=401)  # its time has come: both ratings count, in time order
    later = make_scheduler()
    assert later.state(target).reviews == 2
    assert later.cards.check() == []


def test_a_synced_rating_ahead_of_the_clock_waits_for_its_time(
    make_scheduler: MakeScheduler, library: Library, clock: FakeClock
) -> None:
    target = library.packs["objections-core"].drills[0]
    sched = make_scheduler()
    sched.record_self(target, GOOD)
    before = sched.state(target)
    rubric = library.rubrics["laer"]
    scores = {criterion.id: 4 for criterion in rubric.criteria}
    ahead = clock.now + timedelta(days=1)  # another machine's clock runs a day fast
    sched.record_manager(by="alex", rubric=rubric, scores=scores, drill=target, at=ahead)
    assert sched.state(target) == before
    assert sched.cards.check() == []
    clock.advance(days=2)
    assert make_scheduler().state(target).reviews == 2
