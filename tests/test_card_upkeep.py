"""Card state kept incrementally equals a full rebuild from events, on randomised
histories: ratings in and out of order, late manager ratings on the same drilling day as
self-ratings, undos, a rename through ``replaces``, retention and fuzz changes."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drillcoach.config import Config
from drillcoach.content import Criterion, Library, Rubric, load_library
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store
from helpers import FakeClock

RUBRIC = Rubric("r", "Rubric", (Criterion("c", "Criterion"),))
EASTERN = timezone(timedelta(hours=-5))  # day boundaries away from UTC midnight
START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def write_library(folder: Path, renamed: bool) -> Library:
    drills = [
        {"id": "b", "kind": "objection", "skill": "closing", "title": "B", "prompt": "B?",
         "key_points": ["One"]},
        {"id": "c", "kind": "objection", "skill": "closing", "title": "C", "prompt": "C?",
         "key_points": ["One"]},
        {"id": "a2" if renamed else "a", "kind": "objection", "skill": "closing", "title": "A",
         "prompt": "A?", "key_points": ["One"], **({"replaces": ["a"]} if renamed else {})},
    ]  # fmt: skip
    pack = {"format": 1, "pack": {"id": "p", "title": "P", "version": "1", "description": "P"}}
    (folder / "p.toml").write_text(tomli_w.dumps({**pack, "drill": drills}), encoding="utf-8")
    library = load_library([(folder, "folder")])
    assert library.problems == []
    return library


self_rating = st.tuples(
    st.just("self"), st.integers(0, 2), st.integers(1, 4), st.integers(1, 60 * 24 * 9)
)
manager_rating = st.tuples(
    st.just("manager"), st.integers(0, 2), st.integers(1, 5), st.integers(-60 * 24 * 6, 60)
)
undo = st.tuples(st.just("undo"), st.just(0), st.just(0), st.just(0))
retention = st.tuples(st.just("retention"), st.integers(0, 3), st.just(0), st.just(0))
fuzz = st.tuples(st.just("fuzz"), st.just(0), st.just(0), st.just(0))
rename = st.tuples(st.just("rename"), st.just(0), st.just(0), st.just(0))
operations = st.lists(
    st.one_of(self_rating, self_rating, manager_rating, undo, retention, fuzz, rename),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_kept_cards_equal_a_rebuild(plan: list[tuple[str, int, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "packs").mkdir()
        library = write_library(root / "packs", renamed=False)
        store = Store(root / "drillcoach.db")
        clock = FakeClock(START)
        config = replace(Config(), member="sam", fuzz=True, day_starts_at=4)

        def scheduler() -> DrillScheduler:
            return DrillScheduler(store, library, config, clock=clock, tz=EASTERN)

        current = scheduler()
        try:
            for kind, which, value, minutes in plan:
                drills = list(library.drills())
                if kind == "self":
                    clock.advance(minutes=minutes)
                    current.record_self(drills[which], value)
                elif kind == "manager":
                    at = clock.now + timedelta(minutes=minutes)  # often in the past: late
                    current.record_manager(
                        by="alex", rubric=RUBRIC, scores={"c": value}, drill=drills[which], at=at
                    )
                elif kind == "undo":
                    current.undo_last()
                elif kind == "retention":
                    config = replace(config, desired_retention=(0.8, 0.85, 0.9, 0.95)[which])
                    current = scheduler()
                elif kind == "fuzz":
                    config = replace(config, fuzz=not config.fuzz)
                    current = scheduler()
                elif kind == "rename":
                    library = write_library(root / "packs", renamed=True)
                    current = scheduler()
                current.queue()  # reading brings cards up to date with settings and library
                assert current.cards.check() == []
        finally:
            store.close()


@settings(max_examples=400, deadline=None)
@given(
    stability=st.one_of(
        st.floats(0.01, 40_000, allow_nan=False),
        st.integers(1, 400).map(lambda n: n / 2),  # halves of a day, where rounding differs
    ),
    drawn=st.floats(0.0, 1.0, exclude_max=True),
    retention=st.sampled_from((0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99)),
    fuzz=st.booleans(),
)
def test_due_arithmetic_equals_fsrs(
    stability: float, drawn: float, retention: float, fuzz: bool
) -> None:
    """The one UPDATE that moves due dates computes what fsrs's own ``_next_interval`` and
    ``_get_fuzzed_interval`` give for the same stability and the same random draw."""
    import sqlite3
    from unittest.mock import patch  # fsrs's random(), not a file or git

    import fsrs

    from drillcoach.scheduling.memory import Memory

    memory = Memory(desired_retention=retention, fuzz=fuzz)
    days = memory.fsrs._next_interval(stability=stability)
    if fuzz:
        with patch.object(fsrs.scheduler, "random", lambda: drawn):
            days = memory.fsrs._get_fuzzed_interval(interval=timedelta(days=days)).days
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE cards (rep, drill, phase, stability, last_review, fuzz, due, "
        "PRIMARY KEY (rep, drill))"
    )
    db.execute("INSERT INTO cards VALUES ('sam', 'a/b', 2, ?, 0, ?, 0)", (stability, drawn))
    sql, params = memory.interval_sql()
    [(computed,)] = db.execute(f"SELECT days FROM ({sql})", {**params, "rep": "sam"}).fetchall()
    assert computed == days
