"""Today's habit line asks the store one question per day that matters; it must agree
with the habit computed from every self-rating, on any history."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drillcoach.config import Config
from drillcoach.content import builtin_root, load_library
from drillcoach.events import SelfRating, Undo
from drillcoach.progress.habit import consistency
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store
from drillcoach.today import habit_of
from helpers import FakeClock

NOW = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)  # a Thursday
LIBRARY = load_library([(builtin_root() / "drills", "built-in")])
TZ = timezone(timedelta(hours=-5))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sets(st.integers(0, 30)),  # days before now with a session: streaks of any length
    st.lists(st.integers(0, 40 * 24 * 60), max_size=20),  # and ratings at any other time
    st.sets(st.integers(0, 59), max_size=10),  # which of them are undone
)
def test_probing_days_agrees_with_reading_every_rating(
    days: set[int], extra: list[int], undone: set[int]
) -> None:
    minutes = [day * 24 * 60 for day in sorted(days)] + extra
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "drillcoach.db")
        try:
            ratings = [
                SelfRating(id=f"r{n}", by="sam", at=NOW - timedelta(minutes=m),
                           drill_uid="a/b", skill="closing", rating=3)
                for n, m in enumerate(minutes)
            ]  # fmt: skip
            store.add_many(ratings)
            store.add_many(
                Undo(by="sam", at=NOW, of=f"r{n}") for n in sorted(undone) if n < len(ratings)
            )
            config = replace(Config(), member="sam", day_starts_at=4)
            scheduler = DrillScheduler(store, LIBRARY, config, clock=FakeClock(NOW), tz=TZ)
            every = store.self_rating_times("sam")
            assert habit_of(scheduler) == consistency(every, scheduler.days, NOW)
        finally:
            store.close()
