"""Behaviours of scheduling, the store and content that mutation testing (mutmut, see
[tool.mutmut] in pyproject.toml) showed no other test pins down: day boundaries at another
hour and in another time zone, limits with new and due drills mixed, score bounds,
duplicate events, fuzz that survives a restart, the card cache, the store's durability
settings, queries and backups, every required key and limit of content, focus skills,
assignments, manager ratings in full, sessions and leeches."""

from __future__ import annotations

import copy
import os
import re
import sqlite3
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import fsrs
import pytest
import tomli_w

from drillcoach.config import Config
from drillcoach.content import (
    CoachingSignal,
    Criterion,
    Drill,
    Library,
    Rubric,
    Skill,
    Turn,
    builtin_root,
    load_library,
    skeleton_pack,
    validate_files,
)
from drillcoach.content import library as library_module
from drillcoach.errors import UserError
from drillcoach.events import (
    Assignment,
    DrillAction,
    ManagerRating,
    SelfRating,
)
from drillcoach.scheduling.cardstate import Phase
from drillcoach.scheduling.days import Days, system_clock
from drillcoach.scheduling.queue import QueueItem
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import AGAIN, EASY, GOOD, check_scores, rating_from_scores
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.scheduling.session import Session
from drillcoach.store import SCHEMA_VERSION, CardTable, Store
from drillcoach.store.encoding import micros
from drillcoach.store.migrations import migrate, schema_version
from drillcoach.text import queue_tag
from helpers import (
    DrillDoc,
    FakeClock,
    MakeLibrary,
    MakeScheduler,
    OpenStore,
    PackDoc,
    WritePack,
)

Doc = dict[str, Any]
ProblemsOf = Callable[..., tuple[Path, list[str]]]  # problems_of(table, **changes)
NEW_YORK = timezone(timedelta(hours=-5), "EST")  # March 2026 before daylight saving time


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    """Day ``day`` of March 2026 at hour:minute UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def drill(library: Library, uid: str) -> Drill:
    found = library.drill(uid)
    assert found is not None, uid
    return found


def uids(items: Iterable[QueueItem]) -> list[str]:
    return [item.drill.uid for item in items]


def laer_scores(score: int) -> dict[str, int]:
    return {c: score for c in ("listen", "acknowledge", "explore", "respond", "confirm", "advance")}


@pytest.fixture
def mini(
    write_pack: WritePack,
    make_library: MakeLibrary,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
) -> Library:
    """alpha: a1..a4 (objection handling); beta: b1..b3 (discovery); gamma: g1, g2 (closing)."""
    write_pack(pack_doc("alpha", drills=[drill_doc(f"a{n}") for n in range(1, 5)]))
    write_pack(pack_doc("beta", drills=[drill_doc(f"b{n}", skill="discovery") for n in (1, 2, 3)]))
    write_pack(pack_doc("gamma", drills=[drill_doc(f"g{n}", skill="closing") for n in (1, 2)]))
    library = make_library()
    assert library.problems == []
    return library


@pytest.fixture
def sched(make_scheduler: MakeScheduler, mini: Library) -> DrillScheduler:
    return make_scheduler(library=mini)


# --- a day that starts at another hour


def test_day_starting_at_six_moves_the_new_drill_limit(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    sched = make_scheduler(library=mini, new_per_day=1, day_starts_at=6)
    clock.set(at(2, 23))
    sched.record_self(drill(mini, "alpha/a1"), GOOD)
    clock.set(at(3, 5, 59))  # a new day at 04:00, but not yet at 06:00
    assert sched.queue().new_count == 0
    clock.set(at(3, 6))
    assert uids(sched.queue().items) == ["beta/b1"]


def test_day_starting_at_six_moves_the_end_of_a_burial(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    sched = make_scheduler(library=mini, day_starts_at=6)
    clock.set(at(2, 22))
    assert sched.bury(drill(mini, "alpha/a1")).until == at(3, 6)
    clock.set(at(3, 5, 59))
    assert "alpha/a1" not in uids(sched.queue().items)
    clock.set(at(3, 6))
    assert uids(sched.queue().items)[0] == "alpha/a1"


# --- the review limit with new drills in the queue


def test_review_limit_holds_back_reviews_but_not_new_drills(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    sched = make_scheduler(library=mini, reviews_per_day=1, new_per_day=2)
    sched.record_self(drill(mini, "alpha/a1"), GOOD)
    sched.record_self(drill(mini, "alpha/a2"), GOOD)
    clock.set(at(10))
    queue = sched.queue()
    assert (queue.due_count, queue.more_due, queue.new_count) == (1, 1, 2)
    assert [(item.drill.uid, item.reason) for item in queue.items] == [
        ("alpha/a1", "due"),
        ("beta/b1", "new"),
        ("gamma/g1", "new"),
    ]
    sched.record_self(drill(mini, "beta/b1"), GOOD)  # a new drill: no review used up
    queue = sched.queue()
    assert (queue.due_count, queue.more_due, queue.new_count) == (1, 1, 1)
    sched.record_self(drill(mini, "alpha/a1"), GOOD)
    queue = sched.queue()
    assert (queue.due_count, queue.more_due, queue.new_count) == (0, 1, 1)
    assert uids(queue.items) == ["gamma/g1"]


# --- manager scores at the bounds


def test_manager_scores_of_five_are_valid(sched: DrillScheduler, mini: Library) -> None:
    rubric = sched.library.rubrics["laer"]
    assert check_scores(rubric, laer_scores(5)) == laer_scores(5)
    event = sched.record_manager(
        by="alex", rubric=rubric, scores=laer_scores(5), drill=drill(mini, "alpha/a1")
    )
    assert (event.scores, event.rating) == (laer_scores(5), EASY)


def test_a_manager_score_of_zero_is_refused(sched: DrillScheduler, mini: Library) -> None:
    rubric = sched.library.rubrics["laer"]
    scores = {**laer_scores(3), "explore": 0}
    message = re.escape("rubric 'laer': score for 'explore' must be 1 to 5, got 0")
    with pytest.raises(UserError, match=message):
        check_scores(rubric, scores)
    with pytest.raises(UserError, match=message):
        sched.record_manager(by="alex", rubric=rubric, scores=scores, drill=drill(mini, "alpha/a1"))
    assert sched.store.ratings("sam") == []


# --- the store


def self_rating(event_id: str, **fields: Any) -> SelfRating:
    values: dict[str, Any] = {"by": "sam", "at": at(2), "drill_uid": "alpha/a1", "skill": "x"}
    values.update(fields)
    return SelfRating(id=event_id, rating=GOOD, **values)


def test_duplicate_event_after_another_insert_is_still_ignored(store: Store) -> None:
    original = self_rating("first")
    between = self_rating("between", at=at(2, 11))
    assert store.add(original) is True
    assert store.add(between) is True
    assert store.add(replace(original, rating=AGAIN, at=at(2, 12))) is False
    assert store.add_many([between, self_rating("new", at=at(2, 13))]) == 1
    assert [(r.id, r.rating, r.at) for r in store.ratings("sam")] == [
        ("first", GOOD, at(2)),
        ("between", GOOD, at(2, 11)),
        ("new", GOOD, at(2, 13)),
    ]
    bury = DrillAction(by="sam", at=at(2), drill_uid="alpha/a1", action="bury", until=at(3, 4))
    assert store.add(bury) is True
    assert store.add(DrillAction(by="sam", at=at(2, 11), drill_uid="x/y", action="suspend"))
    assert store.add(replace(bury, action="suspend", until=None)) is False
    assert store.drill_actions("sam")["alpha/a1"] == bury


def test_store_syncs_fully_in_wal_mode(store: Store) -> None:
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_opening_an_older_database_backs_it_up_first(tmp_path: Path) -> None:
    path = tmp_path / "drillcoach.db"
    backups = tmp_path / "backups"
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        migrate(db, target=1)
        db.execute(
            "INSERT INTO reviews (event_id, rep, by, source, drill_uid, skill, at, rating, "
            "recorded_at) VALUES ('kept', 'sam', 'sam', 'self', 'a/b', 'closing', ?, 3, ?)",
            (at(2).isoformat(), at(2).isoformat()),
        )
    with Store(path, backups=backups) as store:
        assert [r.id for r in store.ratings("sam")] == ["kept"]
    [backup] = backups.iterdir()
    assert re.fullmatch(r"drillcoach-v1-\d{8}-\d{6}-\d{6}\.db", backup.name)
    with closing(sqlite3.connect(backup)) as old:
        assert old.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert schema_version(old) == 1
        assert old.execute("SELECT event_id FROM reviews").fetchall() == [("kept",)]
        assert "event_id" not in {row[1] for row in old.execute("PRAGMA table_info(undos)")}


def test_every_field_of_a_manager_rating_is_stored(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    rubric = sched.library.rubrics["discovery"]
    scores = {c.id: score for c, score in zip(rubric.criteria, (1, 2, 3, 2, 1), strict=True)}
    recorded = sched.record_manager(
        by="alex",
        rubric=rubric,
        scores=scores,
        drill=drill(mini, "beta/b2"),
        context="joint-call",
        note="Stacked three questions",
        at=at(1, 15),
        event_id="mgr-1",
    )
    [stored] = sched.store.manager_ratings("sam")
    for event in (recorded, stored):
        assert (event.id, event.by, event.rep, event.at, event.rubric) == (
            "mgr-1",
            "alex",
            "sam",
            at(1, 15),
            "discovery",
        )
        assert (event.scores, event.rating, event.skill, event.drill_uid) == (
            scores,
            AGAIN,
            "discovery",
            "beta/b2",
        )
        assert (event.context, event.note) == ("joint-call", "Stacked three questions")
    plain = ManagerRating(
        by="kim", rep="sam", at=at(2), rubric="laer", scores={"listen": 4}, rating=GOOD,
        skill="closing",
    )  # fmt: skip
    sched.store.add(plain)
    assert sched.store.manager_ratings("sam") == [stored, plain]


# --- fuzz


def test_fuzzed_cards_keep_their_due_dates_after_a_restart(
    make_scheduler: MakeScheduler,
    open_store: OpenStore,
    mini: Library,
    clock: FakeClock,
    drillcoach_home: Path,
) -> None:
    sched = make_scheduler(library=mini, fuzz=True)
    targets = [drill(mini, f"alpha/a{n}") for n in range(1, 5)]
    for days in (0, 3, 10):
        clock.advance(days=days)
        for target in targets:
            sched.record_self(target, GOOD)
    due = {target.uid: sched.state(target).due for target in targets}
    assert len(set(due.values())) > 1  # identical histories, each card its own fuzz
    with closing(sqlite3.connect(drillcoach_home / "drillcoach.db")) as db, db:
        db.execute("DELETE FROM cards")
    restarted = make_scheduler(library=mini, store=open_store(), fuzz=True)
    assert CardTable(restarted.store).all("sam") == []
    restarted.cards.rebuild()
    assert {target.uid: restarted.state(target).due for target in targets} == due
    unfuzzed = make_scheduler(library=mini, rep="kim", fuzz=False)
    clock.set(at(2))
    for days in (0, 3, 10):
        clock.advance(days=days)
        for target in targets:
            unfuzzed.record_self(target, GOOD)
    assert len({unfuzzed.state(target).due for target in targets}) == 1


# --- drilling days in the rep's time zone


def new_york_scheduler(
    store: Store, library: Library, config: Config, clock: FakeClock
) -> DrillScheduler:
    return DrillScheduler(store, library, config, clock=clock, tz=NEW_YORK)


@pytest.mark.parametrize("self_at", [at(3, 2), at(3, 8, 30)], ids=["21:00 EST", "03:30 EST"])
def test_manager_rating_outweighs_a_self_rating_of_the_same_local_drilling_day(
    store: Store, mini: Library, clock: FakeClock, test_config: Config, self_at: datetime
) -> None:
    sched = new_york_scheduler(store, mini, test_config, clock)
    target = drill(mini, "alpha/a1")
    clock.set(self_at)  # the next UTC date, still 2 March's drilling day in New York
    sched.record_self(target, EASY)
    sched.record_manager(by="alex", rubric=mini.rubrics["laer"], scores=laer_scores(2),
                         drill=target, at=at(2, 23))  # fmt: skip
    state = sched.state(target)
    assert (state.reviews, state.first_review) == (1, at(2, 23))


def test_self_rating_on_the_next_local_drilling_day_still_counts(
    store: Store, mini: Library, clock: FakeClock, test_config: Config
) -> None:
    sched = new_york_scheduler(store, mini, test_config, clock)
    target = drill(mini, "alpha/a1")
    clock.set(at(3, 9, 30))  # 04:30 in New York: 3 March's drilling day
    sched.record_self(target, GOOD)
    sched.record_manager(
        by="alex", rubric=mini.rubrics["laer"], scores=laer_scores(4), drill=target, at=at(3, 4, 30)
    )  # 23:30 on 2 March in New York
    assert sched.state(target).reviews == 2


# --- focus skills


def rate_skill(sched: DrillScheduler, skill: str, score: int, when: datetime) -> None:
    joint = sched.library.rubrics["joint-call"]
    sched.record_manager(by="alex", rubric=joint, scores={c.id: score for c in joint.criteria},
                         skill=skill, at=when, context="joint-call")  # fmt: skip


def test_a_manager_rating_of_a_drill_makes_no_focus_skill(sched: DrillScheduler) -> None:
    sched.record_manager(by="alex", rubric=sched.library.rubrics["laer"], scores=laer_scores(1),
                         drill=drill(sched.library, "gamma/g1"))  # fmt: skip
    assert sched.focus_skills() == []


def test_focus_takes_the_worst_rating_of_each_skill(
    sched: DrillScheduler, clock: FakeClock
) -> None:
    rate_skill(sched, "discovery", 2, at(1))  # Hard
    rate_skill(sched, "closing", 1, at(1, 11))  # Again
    rate_skill(sched, "closing", 5, at(1, 12))  # Easy, later: the Again still counts
    assert sched.focus_skills() == ["closing", "discovery"]


def test_focus_looks_back_sixty_days(sched: DrillScheduler, clock: FakeClock) -> None:
    rate_skill(sched, "closing", 2, clock.now - timedelta(days=59))
    rate_skill(sched, "discovery", 1, clock.now - timedelta(days=61))
    rate_skill(sched, "negotiation", 3, clock.now - timedelta(days=60))
    assert sched.focus_skills() == ["closing", "negotiation"]


# --- assignments


def test_an_assignment_to_an_unknown_pack_hides_no_other(
    sched: DrillScheduler, store: Store
) -> None:
    store.save_assignment(Assignment("lost", "alex", "no-such-pack", ("sam",), date(2026, 3, 5)))
    store.save_assignment(Assignment("close", "alex", "gamma", ("sam",), date(2026, 3, 20)))
    queue = sched.queue()
    assert [(a.assignment.id, a.title, a.new_left) for a in queue.assigned] == [
        ("close", "Pack gamma", 2)
    ]
    assert uids(queue.items)[:3] == ["gamma/g1", "gamma/g2", "alpha/a1"]
    assert [item.assignment.id if item.assignment else None for item in queue.items[:3]] == [
        "close",
        "close",
        None,
    ]


# --- sessions


def test_a_drill_rated_again_comes_back_with_intervals_from_its_new_state(
    sched: DrillScheduler, clock: FakeClock
) -> None:
    session = Session.start(sched)
    first = session.current
    assert first is not None
    rated = session.record(AGAIN)
    back = session.pending[-1]
    assert back.drill == first.drill and back.reason == "due"
    assert back.state == rated.state == sched.state(first.drill)
    assert sched.preview(back.state) == sched.preview(sched.state(first.drill))
    assert sched.preview(back.state) != sched.preview(first.state)


# --- leeches


def lapse(sched: DrillScheduler, target: Drill, clock: FakeClock) -> None:
    clock.set(sched.state(target).due + timedelta(hours=1))
    sched.record_self(target, AGAIN)
    clock.advance(minutes=10)
    sched.record_self(target, GOOD)  # relearnt: back to Review


def leech_view(sched: DrillScheduler, target: Drill, clock: FakeClock) -> tuple[bool, str, int]:
    """(is_leech, the tag it has in today's queue once due, how many leeches are listed)."""
    state = sched.state(target)
    clock.set(state.due + timedelta(hours=1))
    queue = sched.queue()
    [item] = [item for item in queue.items if item.drill.uid == target.uid]
    return state.is_leech, queue_tag(item), len(queue.leeches)


def test_a_leech_is_flagged_at_eight_lapses_not_seven(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    target = drill(mini, "beta/b2")
    sched.record_self(target, GOOD)
    for _ in range(7):
        lapse(sched, target, clock)
    assert sched.state(target).lapses == 7
    assert leech_view(sched, target, clock) == (False, "due", 0)
    lapse(sched, target, clock)
    assert sched.state(target).lapses == 8
    assert leech_view(sched, target, clock) == (True, "leech", 1)
    [leech] = sched.queue().leeches
    assert (leech.drill.uid, leech.reason, queue_tag(leech)) == ("beta/b2", "due", "leech")


# --- card states and the cache


def test_a_new_drill_is_due_now(sched: DrillScheduler, mini: Library, clock: FakeClock) -> None:
    state = sched.state(drill(mini, "alpha/a1"))
    assert (state.is_new, state.due, state.phase) == (True, clock.now, Phase.NEW)


def test_the_kept_card_is_what_is_read_until_a_rebuild(
    sched: DrillScheduler, mini: Library, clock: FakeClock, store: Store
) -> None:
    target = drill(mini, "alpha/a1")
    sched.record_self(target, GOOD)
    with store.transaction() as db:
        db.execute("UPDATE cards SET lapses = 5")  # what the card says is what is used
    assert sched.state(target).lapses == 5
    clock.advance(days=3)
    sched.record_self(target, GOOD)  # one step from the kept state: nothing replayed
    assert sched.state(target).lapses == 5
    assert [m.uid for m in sched.cards.check()] == ["alpha/a1"]
    sched.cards.rebuild()
    assert sched.state(target).lapses == 0


def test_custom_fsrs_parameters_change_the_intervals(
    store: Store, mini: Library, clock: FakeClock, test_config: Config
) -> None:
    weights = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    weights[2] = 20.0  # the initial stability after Good
    target = drill(mini, "alpha/a1")
    usual = DrillScheduler(store, mini, test_config, rep="kim", clock=clock, tz=UTC)
    tuned = DrillScheduler(store, mini, test_config, clock=clock, tz=UTC, parameters=weights)
    assert usual.record_self(target, GOOD).state.due - clock.now < timedelta(days=5)
    assert tuned.record_self(target, GOOD).state.due - clock.now >= timedelta(days=15)


# --- recording


def test_record_self_stores_skill_replies_and_the_default_time_limit(
    make_scheduler: MakeScheduler, mini: Library
) -> None:
    sched = make_scheduler(library=mini, default_time_limit=90)
    rated = sched.record_self(drill(mini, "beta/b1"), GOOD, Attempt(replies=("Hi", "Sure")))
    [stored] = sched.store.ratings("sam")
    assert stored == rated.event
    assert (stored.skill, stored.replies, stored.time_limit) == ("discovery", ("Hi", "Sure"), 90)


def test_manager_rating_defaults_to_a_roleplay_without_a_note(
    sched: DrillScheduler, mini: Library
) -> None:
    sched.record_manager(by="alex", rubric=mini.rubrics["laer"], scores=laer_scores(3),
                         drill=drill(mini, "alpha/a1"))  # fmt: skip
    [stored] = sched.store.manager_ratings("sam")
    assert (stored.context, stored.note) == ("roleplay", "")


def test_refused_manager_ratings_say_why_in_full(sched: DrillScheduler, mini: Library) -> None:
    rubric = mini.rubrics["laer"]
    with pytest.raises(UserError, match=r"^a manager rating is of one drill or of one skill$"):
        sched.record_manager(by="alex", rubric=rubric, scores=laer_scores(3))
    known = ", ".join(mini.skills)
    with pytest.raises(UserError) as caught:
        sched.record_manager(by="alex", rubric=rubric, scores=laer_scores(3), skill="juggling")
    assert str(caught.value) == f"unknown skill 'juggling' (known: {known})"
    with pytest.raises(UserError) as caught:
        check_scores(rubric, {**laer_scores(3), "charm": 5})
    assert str(caught.value) == (
        "rubric 'laer': no criterion 'charm' "
        "(criteria: acknowledge, advance, confirm, explore, listen, respond)"
    )
    with pytest.raises(ValueError, match=r"^a manager rating needs at least one score$"):
        rating_from_scores({})


def test_suspending_has_no_end_burying_ends_at_the_next_day(
    sched: DrillScheduler, mini: Library
) -> None:
    assert sched.suspend(drill(mini, "alpha/a1")).until is None
    assert sched.bury(drill(mini, "alpha/a2")).until == at(3, 4)


def test_previous_answer_is_of_this_drill(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    sched.record_self(drill(mini, "alpha/a1"), GOOD, Attempt(answer="Mine for a1"))
    clock.advance(minutes=5)
    sched.record_self(drill(mini, "alpha/a2"), GOOD, Attempt(answer="Mine for a2"))
    previous = sched.previous_answer(drill(mini, "alpha/a1"))
    assert previous is not None and previous.answer == "Mine for a1"


# --- the queue at its edges


def test_minutes_round_up(make_scheduler: MakeScheduler, mini: Library) -> None:
    sched = make_scheduler(library=mini, new_per_day=1, default_time_limit=31)
    assert sched.queue().minutes == 2  # 31 s to answer and 30 s to rate: 61 s


def test_a_drill_due_as_the_next_day_starts_waits_for_that_day(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    clock.set(at(2, 4))  # rated as a day starts: due as a later day starts
    due = sched.record_self(target, GOOD).state.due
    assert (due.hour, due.minute) == (4, 0)
    clock.set(due - timedelta(days=2, hours=-1))
    assert sched.due_tomorrow() == 0
    clock.set(due - timedelta(hours=1))
    assert sched.due_tomorrow() == 1
    assert "alpha/a1" not in uids(sched.queue().items)
    clock.set(due)
    assert uids(sched.queue().items)[0] == "alpha/a1"


def test_a_drill_started_as_the_day_starts_counts_as_new_today(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    sched = make_scheduler(library=mini, new_per_day=1)
    clock.set(at(3, 4))
    sched.record_self(drill(mini, "alpha/a1"), GOOD)
    assert sched.queue().new_count == 0


def test_an_assigned_pack_counts_the_drills_not_yet_started(
    sched: DrillScheduler, mini: Library, store: Store
) -> None:
    store.save_assignment(Assignment("close", "alex", "gamma", ("sam",), date(2026, 3, 20)))
    sched.record_self(drill(mini, "gamma/g1"), GOOD)
    [assigned] = sched.queue().assigned
    assert (assigned.new_left, assigned.total) == (1, 2)
    sched.suspend(drill(mini, "gamma/g2"))
    [assigned] = sched.queue().assigned
    assert (assigned.new_left, assigned.total) == (0, 2)


def test_queue_pack_ids_follow_the_assignments_given(sched: DrillScheduler) -> None:
    sched.prefs.set_pack_enabled("gamma", False)
    assert sched.queue_pack_ids() == ["alpha", "beta"]
    assigned = [Assignment("close", "alex", "gamma", ("sam",), date(2026, 3, 20))]
    assert sched.queue_pack_ids(assigned) == ["alpha", "beta", "gamma"]


# --- sessions at their edges


def test_a_session_starts_on_the_schedulers_clock(sched: DrillScheduler, clock: FakeClock) -> None:
    assert Session.start(sched).started_at == clock.now


@pytest.mark.parametrize(("minute", "back"), [(45, True), (50, False)])
def test_again_near_the_end_of_the_day_comes_back_only_if_due_today(
    sched: DrillScheduler, clock: FakeClock, minute: int, back: bool
) -> None:
    clock.set(at(3, 3, minute))  # Again is due 10 minutes later; the day ends at 04:00
    session = Session.start(sched)
    session.record(AGAIN)
    assert ("alpha/a1" in uids(session.pending)) is back


def test_session_undo_gives_the_drill_back_as_new_or_due(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    sched.record_self(drill(mini, "alpha/a1"), GOOD)
    clock.set(at(10))
    session = Session.start(sched)
    session.record(GOOD)  # alpha/a1, a review
    session.record(GOOD)  # beta/b1, new
    undone = [session.undo(), session.undo()]
    assert [(item.drill.uid, item.reason) for item in undone if item] == [
        ("beta/b1", "new"),
        ("alpha/a1", "due"),
    ]


def test_session_undo_takes_back_its_own_rating_not_the_newest(
    sched: DrillScheduler, mini: Library
) -> None:
    session = Session.start(sched)
    mine = session.record(GOOD)
    outside = sched.record_self(drill(mini, "gamma/g2"), GOOD)  # another session's
    item = session.undo()
    assert item is not None and item.drill.uid == mine.event.drill_uid
    assert [r.id for r in sched.store.ratings("sam")] == [outside.event.id]
    assert session.undo() is None


# --- the machine's own time zone


@pytest.fixture
def machine_in_new_york() -> Iterator[None]:
    """The process's local time zone is New York for the test (days in UTC all the same)."""
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset")
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


@pytest.mark.usefixtures("machine_in_new_york")
def test_scheduling_works_whatever_the_machines_time_zone(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    preview = sched.preview(sched.state(drill(mini, "alpha/a1")))
    rated = sched.record_self(drill(mini, "alpha/a1"), GOOD)
    assert rated.state.due - clock.now == preview[GOOD]
    days = Days(4)  # no time zone given: the machine's
    assert days.day_of(at(3, 8, 59)) == date(2026, 3, 2)  # 03:59 in New York
    assert days.start_of(date(2026, 3, 3)) == at(3, 9)


@pytest.mark.usefixtures("machine_in_new_york")
def test_backup_names_carry_the_utc_time(tmp_path: Path) -> None:
    path = tmp_path / "drillcoach.db"
    with closing(sqlite3.connect(path)) as db:
        migrate(db, target=1)
    Store(path, backups=tmp_path / "backups").close()
    [backup] = (tmp_path / "backups").iterdir()
    stamp = datetime.strptime(backup.name, "drillcoach-v1-%Y%m%d-%H%M%S-%f.db").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=1)


def test_the_system_clock_is_utc_now() -> None:
    before = datetime.now(UTC)
    now = system_clock()
    assert now.utcoffset() == timedelta(0) and before <= now <= datetime.now(UTC)


# --- the store's queries


def test_last_self_rating_of_these_drills_before_a_time(store: Store) -> None:
    early, late = self_rating("early", at=at(2)), self_rating("late", at=at(3))
    other = self_rating("other", at=at(4), drill_uid="beta/b1")
    manager = ManagerRating(by="alex", rep="sam", at=at(5), rubric="laer", scores={"listen": 3},
                            rating=GOOD, skill="x", drill_uid="alpha/a1")  # fmt: skip
    store.add_many([early, late, other, manager])
    assert store.last_self_rating("sam") == other
    assert store.last_self_rating("sam", ["alpha/a1"]) == late
    assert store.last_self_rating("sam", ["alpha/a1"], before=at(3)) == early
    assert store.last_self_rating("sam", ["alpha/a1"], before=at(2)) is None
    assert store.last_self_rating("kim") is None
    assert store.self_ratings("sam", ["alpha/a1"]) == [early, late]
    assert store.manager_ratings("sam", since=at(5)) == [manager]
    assert store.manager_ratings("sam", since=at(5, 11)) == []


def test_store_in_a_new_nested_folder_works_from_any_thread(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "drillcoach.db"
    with Store(path) as store, ThreadPoolExecutor(1) as pool:
        assert store.path == path
        assert pool.submit(store.add, self_rating("from-a-worker")).result() is True
        assert [r.id for r in store.ratings("sam")] == ["from-a-worker"]


def test_rows_without_optional_values_read_back_as_defaults(store: Store) -> None:
    with store.transaction() as db:
        sam, drill_id, skill = (store.name_id(name) for name in ("sam", "a/b", "x"))
        db.execute(
            "INSERT INTO ratings (event, rep, by, manager, drill, skill, at, rating) "
            "VALUES ('bare', ?, ?, 0, ?, ?, ?, 3)",
            (sam, sam, drill_id, skill, micros(at(2))),
        )
    scoreless = ManagerRating(by="alex", rep="sam", at=at(3), rubric="laer", scores={},
                              rating=GOOD, skill="x")  # fmt: skip
    store.add(scoreless)
    bare, manager = store.ratings("sam")
    assert isinstance(bare, SelfRating)
    assert (bare.mode, bare.key_points_hit, bare.replies, bare.answer) == ("typed", (), (), None)
    assert manager == scoreless


def test_backups_go_to_a_new_nested_folder_and_an_existing_one(tmp_path: Path) -> None:
    backups = tmp_path / "a" / "b" / "backups"
    for name in ("one.db", "two.db"):
        with closing(sqlite3.connect(tmp_path / name)) as db:
            migrate(db, target=1)
            migrate(db, backups=backups)
            assert schema_version(db) == SCHEMA_VERSION
    assert {p.name[:14] for p in backups.iterdir()} == {"drillcoach-v1-"}


def test_a_newer_database_without_a_path_is_named_database() -> None:
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute("PRAGMA user_version = 99")
        with pytest.raises(UserError) as caught:
            migrate(db)
    assert str(caught.value) == (
        f"database: written by a newer drillcoach (schema 99, this version knows "
        f"{SCHEMA_VERSION}); upgrade drillcoach"
    )


# --- content: every required key, text bounds, format, duplicate criteria

SHARED_FILES = {"skill": "skills.toml", "rubric": "rubrics.toml", "signal": "coaching.toml"}
SHARED_TABLES: dict[str, Doc] = {
    "skill": {"id": "renewal-math", "title": "Renewal maths", "description": "Numbers."},
    "rubric": {
        "id": "renewal-call",
        "title": "Renewal call",
        "description": "How the call went.",
        "criterion": [{"id": "recap", "title": "Recaps value", "description": "Says it back."}],
    },
    "signal": {
        "id": "talk-ratio",
        "title": "Talk ratio",
        "description": "Who talked.",
        "questions": ["Who talked more?"],
    },
}


def edited(table: Doc, changes: Doc) -> Doc:
    """``table`` with ``changes`` applied; a change to None removes the key."""
    merged = {**copy.deepcopy(table), **changes}
    return {key: value for key, value in merged.items() if value is not None}


@pytest.fixture
def problems_of(
    tmp_path: Path,
    write_pack: WritePack,
    make_library: MakeLibrary,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
) -> ProblemsOf:
    """``problems_of(table, **changes)``: load content with one table changed; return the
    file it is in and every problem. Tables: pack, drill, turn, pack skill, pack rubric,
    pack criterion (defined in a pack), skill, rubric, criterion, signal (shared content)."""

    def load(table: str, **changes: Any) -> tuple[Path, list[str]]:
        kind = table.removeprefix("pack ")
        shared: Doc = {}
        if kind == "criterion":
            rubric = SHARED_TABLES["rubric"]
            shared = {**rubric, "criterion": [edited(rubric["criterion"][0], changes)]}
            kind = "rubric"
        elif kind in SHARED_TABLES:
            shared = edited(SHARED_TABLES[kind], changes)
        if shared and not table.startswith("pack "):
            folder = tmp_path / "content"
            folder.mkdir(exist_ok=True)
            path = folder / SHARED_FILES[kind]
            path.write_text(tomli_w.dumps({"format": 1, kind: [shared]}), encoding="utf-8")
            library = load_library([], shared_content=folder)
            return path, [str(problem) for problem in library.problems]
        if table == "turn":
            one = drill_doc("d", kind="roleplay")
            one["turn"][0] = edited(one["turn"][0], changes)
        else:
            one = drill_doc("d", **(changes if table == "drill" else {}))
        doc = pack_doc("p", drills=[one], **(changes if table == "pack" else {}))
        if table.startswith("pack "):
            doc[kind] = [shared]
        path = write_pack(doc, name="p.toml")
        return path, [str(problem) for problem in make_library().problems]

    return load


ID_MISSING = "missing; expected an id like 'price-too-high'"
TEXT_MISSING = "missing; expected text"


@pytest.mark.parametrize(
    ("table", "key", "where", "message"),
    [
        ("pack", "id", "[pack]", ID_MISSING),
        ("pack", "title", "[pack]", TEXT_MISSING),
        ("pack", "version", "[pack]", TEXT_MISSING),
        ("pack", "description", "[pack]", TEXT_MISSING),
        ("drill", "id", "drill #1", ID_MISSING),
        ("drill", "kind", "drill 'd'", "missing; expected one of objection, question, pitch, "
                                        "roleplay, written"),
        ("drill", "skill", "drill 'd'", ID_MISSING),
        ("drill", "title", "drill 'd'", TEXT_MISSING),
        ("drill", "key_points", "drill 'd'", "missing; expected a list of 1 to 12 texts"),
        ("drill", "prompt", "drill 'd'", TEXT_MISSING),
        ("turn", "buyer", "drill 'd' turn #1", TEXT_MISSING),
        ("skill", "id", "skill #1", ID_MISSING),
        ("skill", "title", "skill 'renewal-math'", TEXT_MISSING),
        ("pack skill", "id", "pack skill #1", ID_MISSING),
        ("pack skill", "title", "pack skill 'renewal-math'", TEXT_MISSING),
        ("rubric", "id", "rubric #1", ID_MISSING),
        ("rubric", "title", "rubric 'renewal-call'", TEXT_MISSING),
        ("rubric", "criterion", "rubric 'renewal-call'",
         "expected 1 to 12 [[rubric.criterion]] entries, got 0"),
        ("pack rubric", "id", "pack rubric #1", ID_MISSING),
        ("pack rubric", "title", "pack rubric 'renewal-call'", TEXT_MISSING),
        ("criterion", "id", "rubric 'renewal-call' criterion #1", ID_MISSING),
        ("criterion", "title", "rubric 'renewal-call' criterion 'recap'", TEXT_MISSING),
        ("pack criterion", "id", "pack rubric 'renewal-call' criterion #1", ID_MISSING),
        ("signal", "id", "signal #1", ID_MISSING),
        ("signal", "title", "signal 'talk-ratio'", TEXT_MISSING),
        ("signal", "questions", "signal 'talk-ratio'", "missing; expected a list of 1 to 20 texts"),
    ],
)  # fmt: skip
def test_every_required_key_missing(
    problems_of: ProblemsOf,
    table: str,
    key: str,
    where: str,
    message: str,
) -> None:
    path, problems = problems_of(table, **{key: None})
    assert problems == [f"{path}: {where}: key '{key}': {message}"]


@pytest.mark.parametrize(
    ("table", "key", "where"),
    [
        ("pack", "title", "[pack]"),
        ("pack", "version", "[pack]"),
        ("pack", "description", "[pack]"),
        ("drill", "title", "drill 'd'"),
        ("drill", "prompt", "drill 'd'"),
        ("turn", "buyer", "drill 'd' turn #1"),
        ("skill", "title", "skill 'renewal-math'"),
        ("rubric", "title", "rubric 'renewal-call'"),
        ("criterion", "title", "rubric 'renewal-call' criterion 'recap'"),
        ("signal", "title", "signal 'talk-ratio'"),
    ],
)
def test_blank_required_text(problems_of: ProblemsOf, table: str, key: str, where: str) -> None:
    path, problems = problems_of(table, **{key: " \n\t"})
    assert problems == [f"{path}: {where}: key '{key}': expected non-empty text"]


@pytest.mark.parametrize(("table", "key"), [("pack", "author"), ("drill", "persona")])
def test_blank_optional_text_is_fine(problems_of: ProblemsOf, table: str, key: str) -> None:
    assert problems_of(table, **{key: " "})[1] == []


@pytest.mark.parametrize(
    ("table", "key", "where", "limit"),
    [
        ("pack", "title", "[pack]", 120),
        ("pack", "version", "[pack]", 60),
        ("pack", "description", "[pack]", 2000),
        ("pack", "author", "[pack]", 120),
        ("drill", "title", "drill 'd'", 120),
        ("drill", "persona", "drill 'd'", 500),
        ("drill", "situation", "drill 'd'", 2000),
        ("drill", "prompt", "drill 'd'", 2000),
        ("drill", "model_answer", "drill 'd'", 8000),
        ("turn", "buyer", "drill 'd' turn #1", 2000),
        ("turn", "model", "drill 'd' turn #1", 4000),
        ("skill", "title", "skill 'renewal-math'", 120),
        ("skill", "description", "skill 'renewal-math'", 2000),
        ("rubric", "title", "rubric 'renewal-call'", 120),
        ("rubric", "description", "rubric 'renewal-call'", 2000),
        ("criterion", "title", "rubric 'renewal-call' criterion 'recap'", 120),
        ("criterion", "description", "rubric 'renewal-call' criterion 'recap'", 2000),
        ("signal", "title", "signal 'talk-ratio'", 120),
        ("signal", "description", "signal 'talk-ratio'", 2000),
    ],
)
def test_text_over_its_length_limit(
    problems_of: ProblemsOf, table: str, key: str, where: str,
    limit: int,
) -> None:  # fmt: skip
    assert problems_of(table, **{key: "x" * limit})[1] == []
    path, problems = problems_of(table, **{key: "x" * (limit + 1)})
    assert problems == [
        f"{path}: {where}: key '{key}': text is {limit + 1:,} characters; expected at most "
        f"{limit:,}"
    ]


def test_format_true_is_refused(
    write_pack: WritePack,
    make_library: MakeLibrary,
    pack_doc: PackDoc,
    tmp_path: Path,
) -> None:
    path = write_pack({**pack_doc("yes"), "format": True})
    library = make_library()
    assert [str(p) for p in library.problems] == [f"{path}: key 'format': expected 1, got True"]
    assert library.packs == {}
    shared = tmp_path / "content"
    shared.mkdir()
    skills = shared / "skills.toml"
    skills.write_text(tomli_w.dumps({"format": True, "skill": [SHARED_TABLES["skill"]]}))
    library = load_library([], shared_content=shared)
    assert [str(p) for p in library.problems] == [f"{skills}: key 'format': expected 1, got True"]
    assert library.skills == {}


def test_duplicate_criterion_ids_in_a_rubric(tmp_path: Path) -> None:
    rubric = SHARED_TABLES["rubric"]
    twice = [*rubric["criterion"], {"id": "recap", "title": "Recaps again"}]
    path = tmp_path / "rubrics.toml"
    path.write_text(tomli_w.dumps({"format": 1, "rubric": [{**rubric, "criterion": twice}]}))
    library = load_library([], shared_content=tmp_path)
    assert [str(p) for p in library.problems] == [
        f"{path}: rubric 'renewal-call' criterion 'recap': key 'id': "
        "duplicate criterion id in this rubric"
    ]
    assert library.rubrics == {}


def write_shared(folder: Path, what: str, *tables: Doc, fmt: object = 1) -> Path:
    path = folder / SHARED_FILES[what]
    path.write_text(tomli_w.dumps({"format": fmt, what: list(tables)}), encoding="utf-8")
    return path


def test_shared_content_loads_every_field(tmp_path: Path) -> None:
    for what, table in SHARED_TABLES.items():
        write_shared(tmp_path, what, table)
    library = load_library([], shared_content=tmp_path)
    assert library.problems == []
    assert library.skills == {"renewal-math": Skill("renewal-math", "Renewal maths", "Numbers.")}
    recap = Criterion("recap", "Recaps value", "Says it back.")
    assert library.rubrics == {
        "renewal-call": Rubric("renewal-call", "Renewal call", (recap,), "How the call went.")
    }
    talk = CoachingSignal("talk-ratio", "Talk ratio", "Who talked.", ("Who talked more?",))
    assert library.signals == {"talk-ratio": talk}


@pytest.mark.parametrize(
    ("table", "where", "allowed"),
    [
        ("skill", "skill 'renewal-math'", "description, id, rubric, title"),
        ("pack skill", "pack skill 'renewal-math'", "description, id, rubric, title"),
        ("rubric", "rubric 'renewal-call'", "criterion, description, example, id, title"),
        ("pack rubric", "pack rubric 'renewal-call'", "criterion, description, example, id, title"),
        (
            "criterion",
            "rubric 'renewal-call' criterion 'recap'",
            "anchors, description, id, live_only, title",
        ),
        ("signal", "signal 'talk-ratio'", "description, id, questions, title"),
    ],
)
def test_an_unknown_key_names_its_table_by_id(
    problems_of: ProblemsOf, table: str, where: str, allowed: str
) -> None:
    path, problems = problems_of(table, colour="red")
    assert problems == [f"{path}: {where}: key 'colour': unknown key (allowed: {allowed})"]


def test_an_unknown_top_level_key_names_no_table(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, tmp_path: Path
) -> None:
    path = write_pack({**pack_doc("p"), "extra": 1})
    [problem] = make_library().problems
    assert (problem.file, problem.where, problem.key) == (path, "", "extra")
    skills = tmp_path / "skills.toml"
    skills.write_text(tomli_w.dumps({"format": 1, "extra": 1}), encoding="utf-8")
    [problem] = load_library([], shared_content=tmp_path).problems
    assert (problem.file, problem.where) == (skills, "")
    assert str(problem) == f"{skills}: key 'extra': unknown key (allowed: format, skill)"


def test_every_field_of_a_drill_loads(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    objection = drill_doc("d", persona="CFO", situation="Renewal call")
    roleplay = drill_doc("r", kind="roleplay", persona="Gatekeeper")
    write_pack(pack_doc("p", drills=[objection, roleplay]))
    d, r = make_library().packs["p"].drills
    assert d == Drill(
        pack_id="p", id="d", kind="objection", skill="objection-handling", title="Drill d",
        key_points=("Acknowledge", "Ask a question", "Confirm"),
        prompt="The buyer says something for d.", persona="CFO", situation="Renewal call",
        model_answer="A model answer.",
    )  # fmt: skip
    assert (r.prompt, r.persona) == ("", "Gatekeeper")
    assert r.turns == (
        Turn("Who is calling?", "Sam from Northwind."),
        Turn("What is it about?", "Your renewal."),
    )


@pytest.mark.parametrize("count", [0, 20, 21])
def test_a_drill_has_at_most_twenty_tags(problems_of: ProblemsOf, count: int) -> None:
    path, problems = problems_of("drill", tags=[f"tag-{n}" for n in range(count)])
    too_many = [f"{path}: drill 'd': key 'tags': expected 0 to 20 items, got {count}"]
    assert problems == (too_many if count > 20 else [])


def test_packs_keep_their_origin_and_description(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, library: Library
) -> None:
    path = write_pack(pack_doc("p", description="For new reps."))
    [loaded] = make_library().packs.values()
    assert (loaded.origin, loaded.description) == ("folder", "For new reps.")
    assert [p.origin for p in validate_files([path]).packs.values()] == ["folder"]
    assert [p.origin for p in validate_files([path.parent]).packs.values()] == ["folder"]
    assert {p.origin for p in library.packs.values()} == {"built-in"}


def test_later_drills_are_checked_after_a_duplicate_id(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    drills = [drill_doc("dup"), drill_doc("dup"), drill_doc("later", colour="red")]
    path = write_pack(pack_doc("p", drills=drills))
    problems = [str(problem) for problem in make_library().problems]
    assert problems[0] == f"{path}: drill 'dup': key 'id': duplicate drill id in this pack"
    assert problems[1].startswith(f"{path}: drill 'later': key 'colour': unknown key")
    assert len(problems) == 2


def test_a_drill_with_a_broken_turn_is_dropped(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    broken = drill_doc("call", kind="roleplay")
    broken["turn"][0] = {"model": "Hello."}
    path = write_pack(pack_doc("p", drills=[broken, drill_doc("call")]))
    assert [str(problem) for problem in make_library().problems] == [
        f"{path}: drill 'call' turn #1: key 'buyer': missing; expected text"
    ]  # not also reported as a duplicate of the second 'call'


def test_replacing_a_drill_of_this_pack_named_with_its_pack(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    drills = [drill_doc("old"), drill_doc("new", replaces=["p/old"])]
    path = write_pack(pack_doc("p", drills=drills))
    assert [str(problem) for problem in make_library().problems] == [
        f"{path}: drill 'new': key 'replaces': 'p/old' is still a drill of this pack; "
        "replace only removed drills"
    ]


def test_replacing_a_drill_of_another_pack_says_which(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> None:
    write_pack(pack_doc("alpha", drills=[drill_doc("old")]))
    beta = write_pack(pack_doc("beta", drills=[drill_doc("new", replaces=["alpha/old"])]))
    assert [str(problem) for problem in make_library().problems] == [
        f"{beta}: drill 'new': key 'replaces': 'alpha/old' is still a drill of pack 'alpha'; "
        "replace only removed drills"
    ]


def test_a_pack_rubric_clashing_with_a_shared_one(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc
) -> None:
    doc = pack_doc("p")
    doc["rubric"] = [{"id": "laer", "title": "My LAER", "criterion": [{"id": "x", "title": "X"}]}]
    path = write_pack(doc)
    library = make_library()
    assert [str(problem) for problem in library.problems] == [
        f"{path}: rubric 'laer': key 'id': duplicate rubric id (already defined)"
    ]
    assert library.rubrics["laer"].title == "Objection handling (LAER)"
    assert library.packs == {}


def test_unknown_skill_lists_the_known_ones(
    write_pack: WritePack,
    make_library: MakeLibrary,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    tmp_path: Path,
) -> None:
    path = write_pack(pack_doc("p", drills=[drill_doc("d", skill="juggling")]))
    library = make_library()
    known = ", ".join(sorted(library.skills))
    assert [str(problem) for problem in library.problems] == [
        f"{path}: drill 'd': key 'skill': unknown skill 'juggling' (known: {known})"
    ]
    empty = tmp_path / "no-content"
    empty.mkdir()
    library = load_library([(path.parent, "folder")], shared_content=empty)
    assert [str(problem) for problem in library.problems] == [
        f"{path}: drill 'd': key 'skill': unknown skill 'juggling' (known: none defined)"
    ]


def test_shared_content_problems_do_not_stop_the_other_files(tmp_path: Path) -> None:
    skills = tmp_path / "skills.toml"
    skills.write_text("format = 1\n[[skill]\n", encoding="utf-8")
    write_shared(tmp_path, "rubric", SHARED_TABLES["rubric"], fmt=True)
    write_shared(tmp_path, "signal", SHARED_TABLES["signal"], SHARED_TABLES["signal"])
    library = load_library([], shared_content=tmp_path)
    problems = [str(problem) for problem in library.problems]
    assert problems[0].startswith(f"{skills}: line 2, column ")
    assert problems[1:] == [
        f"{tmp_path / 'rubrics.toml'}: key 'format': expected 1, got True",
        f"{tmp_path / 'coaching.toml'}: signal 'talk-ratio': key 'id': "
        "duplicate signal id (already defined)",
    ]
    assert (library.skills, library.rubrics, list(library.signals)) == ({}, {}, ["talk-ratio"])


def test_the_built_in_content_is_the_packaged_copy_once_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = tmp_path.resolve() / "checkout"
    module = checkout / "src" / "drillcoach" / "content" / "library.py"
    monkeypatch.setattr(library_module, "__file__", str(module))
    assert builtin_root() == checkout  # a source checkout: drills/ and content/ at its top
    packaged = module.parent.parent / "_builtin"
    (packaged / "drills").mkdir(parents=True)
    assert builtin_root() == packaged  # a wheel carries them inside the package


def test_a_drill_of_a_pack_not_loaded_has_no_rubric(library: Library) -> None:
    stray = Drill(pack_id="gone", id="x", kind="objection", skill="closing", title="X",
                  key_points=("One",))  # fmt: skip
    assert library.rubric_for(stray) is None
    assert library.rubric_for(replace(stray, rubric="laer")) == library.rubrics["laer"]


def test_the_skeleton_pack_is_a_valid_pack_to_start_from(
    write_pack: WritePack, make_library: MakeLibrary
) -> None:
    text = skeleton_pack("renewals", "Renewals", "negotiation")
    write_pack(text, name="renewals.toml")
    library = make_library()
    assert library.problems == []
    assert [drill.uid for drill in library.packs["renewals"].drills] == [
        "renewals/first-objection",
        "renewals/first-written",
        "renewals/first-roleplay",
    ]
    reply = "A model reply."
    assert tomllib.loads(text) == {
        "format": 1,
        "pack": {
            "id": "renewals",
            "title": "Renewals",
            "version": "1",
            "description": "Renewals: describe who this pack is for and what it trains.",
            "segment": "Who the buyers are, like Mid-market logistics",
            "personas": "The main buyer personas, like CFO, operations lead",
            "rubric": "laer",
        },
        "drill": [
            {
                "id": "first-objection",
                "kind": "objection",
                "skill": "negotiation",
                "title": "Write the objection as a short title",
                "persona": "Who says it: role, company size, what they care about",
                "situation": "Where in the deal this comes up",
                "prompt": "The buyer's exact words, as you hear them on calls.",
                "key_points": [
                    "Acknowledges the concern before answering",
                    "Asks one question to understand what is behind it",
                    "Confirms the answer landed before moving on",
                ],
                "model_answer": "What a top rep would actually say, in two to five sentences.",
                "time_limit": 45,
                "tags": ["example"],
            },
            {
                "id": "first-written",
                "kind": "written",
                "skill": "negotiation",
                "title": "Name the email or message to write",
                "persona": "Who reads it: role, company size, what they care about",
                "situation": "What just happened, and what the rep wants to happen next",
                "prompt": "What to write, like: the recap email you send within the hour.",
                "key_points": [
                    "Subject line names the buyer's problem, not the product",
                    "Plays back what the buyer said in their own words",
                    "Ends with one next step, its date and who owns it",
                ],
                "model_answer": "Subject: What a top rep would put in the subject line\n\n"
                "Hi Dana,\n\nThe message a top rep would send, within the word limit.",
                "word_limit": 150,
                "tags": ["example"],
            },
            {
                "id": "first-roleplay",
                "kind": "roleplay",
                "skill": "negotiation",
                "title": "A short conversation to practice",
                "persona": "Who the rep is talking to",
                "key_points": ["States the reason for the call in one sentence"],
                "time_limit": 180,
                "turn": [
                    {"buyer": "The buyer's opening line.", "model": reply},
                    {"buyer": "The buyer's next line.", "model": reply},
                ],
            },
        ],
    }
