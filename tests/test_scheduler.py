"""FSRS scheduling with a fixed clock and fuzzing off: the daily queue, limits, day
boundaries, ratings, undo, suspend/bury, leeches, manager ratings, renames and sessions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from drillcoach.content import Drill, Library
from drillcoach.errors import UserError
from drillcoach.events import Assignment, Rating
from drillcoach.progress.habit import practice_days
from drillcoach.scheduling.cardstate import Phase
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.queue import QueueItem
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    check_scores,
    rating_from_scores,
    suggest_rating,
)
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.scheduling.session import Session
from drillcoach.store import Store
from drillcoach.text import format_interval
from helpers import DrillDoc, FakeClock, MakeLibrary, MakeScheduler, PackDoc, WritePack

# --- a small library the tests control


@pytest.fixture
def mini(
    write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc, drill_doc: DrillDoc
) -> Library:
    """alpha: a1..a4 (objection handling); beta: b1..b3 (discovery, b3 a roleplay);
    gamma: g1..g2 (closing); onboarding: o1..o2 (off by default)."""
    write_pack(pack_doc("alpha", drills=[drill_doc(f"a{n}", time_limit=30) for n in range(1, 5)]))
    write_pack(
        pack_doc(
            "beta",
            drills=[
                drill_doc("b1", kind="question", skill="discovery"),
                drill_doc("b2", kind="question", skill="discovery"),
                drill_doc("b3", kind="roleplay", skill="discovery"),
            ],
        )
    )
    write_pack(pack_doc("gamma", drills=[drill_doc(f"g{n}", skill="closing") for n in (1, 2)]))
    write_pack(pack_doc("onboarding", drills=[drill_doc(f"o{n}") for n in (1, 2)]))
    library = make_library()
    assert library.problems == []
    return library


@pytest.fixture
def sched(make_scheduler: MakeScheduler, mini: Library) -> DrillScheduler:
    return make_scheduler(library=mini)


def drill(library: Library, uid: str) -> Drill:
    found = library.drill(uid)
    assert found is not None, uid
    return found


def uids(items: Iterable[QueueItem]) -> list[str]:
    return [item.drill.uid for item in items]


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    """Day ``day`` of March 2026 at hour:minute UTC (the tests' local time zone)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def laer_scores(score: int) -> dict[str, int]:
    return {c: score for c in ("listen", "acknowledge", "explore", "respond", "confirm", "advance")}


# --- pure rules


@pytest.mark.parametrize(
    ("hit", "total", "seconds", "limit", "expected"),
    [
        (0, 4, None, None, AGAIN),
        (1, 4, None, None, AGAIN),
        (2, 4, None, None, HARD),  # exactly half: no longer "under half"
        (2, 3, None, None, HARD),
        (3, 4, None, None, GOOD),  # exactly three quarters
        (11, 12, None, None, GOOD),
        (4, 4, None, None, EASY),
        (4, 4, 45, 45, EASY),  # on the limit is within it
        (4, 4, 46, 45, GOOD),  # over the limit: one step lower
        (3, 4, 46, 45, HARD),
        (2, 4, 46, 45, AGAIN),
        (1, 4, 46, 45, AGAIN),  # never below Again
        (4, 4, 500, None, EASY),  # no limit, no penalty
        (0, 0, None, None, AGAIN),
    ],
)
def test_suggest_rating(
    hit: int, total: int, seconds: int | None, limit: int | None, expected: Rating
) -> None:
    assert suggest_rating(hit, total, seconds, limit) == expected


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([1, 1, 1], AGAIN),
        ([1, 2, 2, 2], AGAIN),  # 1.75
        ([1, 3], HARD),  # exactly 2
        ([3, 3, 2, 2], HARD),  # 2.5
        ([3, 3, 3, 2], HARD),  # 2.75
        ([3, 3], GOOD),  # exactly 3
        ([4, 4, 4, 4, 5], GOOD),  # 4.2
        ([4, 4, 4, 5], EASY),  # exactly 4.25
        ([5, 5], EASY),
    ],
)
def test_rating_from_scores(scores: list[int], expected: Rating) -> None:
    assert rating_from_scores({f"c{n}": s for n, s in enumerate(scores)}) == expected


def test_rating_from_no_scores() -> None:
    with pytest.raises(ValueError):
        rating_from_scores({})


def test_check_scores(library: Library) -> None:
    rubric = library.rubrics["laer"]
    assert check_scores(rubric, laer_scores(3)) == laer_scores(3)
    with pytest.raises(UserError, match="rubric 'laer': no criterion 'charm'"):
        check_scores(rubric, {**laer_scores(3), "charm": 5})
    with pytest.raises(UserError, match="rubric 'laer': missing a score for 'acknowledge'"):
        check_scores(rubric, {k: v for k, v in laer_scores(3).items() if k != "acknowledge"})
    with pytest.raises(UserError, match="score for 'listen' must be 1 to 5, got 6"):
        check_scores(rubric, {**laer_scores(3), "listen": 6})
    with pytest.raises(UserError, match="score for 'listen' must be 1 to 5, got True"):
        check_scores(rubric, {**laer_scores(3), "listen": True})


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (timedelta(seconds=10), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=76), "2.5mo"),
        (timedelta(days=91.2), "3mo"),
        (timedelta(days=438), "1.2y"),
        (timedelta(days=730), "2y"),
    ],
)
def test_format_interval(delta: timedelta, shown: str) -> None:
    assert format_interval(delta) == shown


def test_day_starts_at_four_local_time() -> None:
    days = Days(4, UTC)
    assert days.day_of(at(3, 3, 30)) == date(2026, 3, 2)
    assert days.day_of(at(3, 3, 59)) == date(2026, 3, 2)
    assert days.day_of(at(3, 4, 0)) == date(2026, 3, 3)
    assert days.start_of(date(2026, 3, 3)) == at(3, 4)
    assert days.next_start(at(3, 3, 30)) == at(3, 4)
    assert days.next_start(at(3, 4, 0)) == at(4, 4)


def test_day_start_is_in_the_reps_time_zone() -> None:
    new_york = timezone(timedelta(hours=-5))
    days = Days(4, new_york)
    assert days.day_of(at(3, 8, 59)) == date(2026, 3, 2)  # 03:59 in New York
    assert days.day_of(at(3, 9, 0)) == date(2026, 3, 3)  # 04:00 in New York
    assert days.start_of(date(2026, 3, 3)) == at(3, 9)


# --- the queue


def test_fresh_queue_on_the_builtin_library(
    make_scheduler: MakeScheduler, library: Library
) -> None:
    scheduler = make_scheduler()
    queue = scheduler.queue()
    in_queue = [p for p in library.packs.values() if p.id != "onboarding"]
    expected = [pack.drills[0].uid for pack in in_queue][:5]
    if len(expected) < 5:
        expected += [pack.drills[1].uid for pack in in_queue][: 5 - len(expected)]
    assert uids(queue.items) == expected
    assert (queue.due_count, queue.new_count, queue.done_today) == (0, 5, 0)
    assert queue.more_new == sum(len(p.drills) for p in in_queue) - 5
    assert all(item.reason == "new" and item.state.is_new for item in queue.items)
    expected_seconds = sum((item.drill.time_limit or 60) + 30 for item in queue.items)
    assert queue.minutes == -(-expected_seconds // 60)


def test_new_drills_take_turns_across_packs(sched: DrillScheduler) -> None:
    queue = sched.queue()
    assert uids(queue.items) == ["alpha/a1", "beta/b1", "gamma/g1", "alpha/a2", "beta/b2"]
    assert queue.more_new == 9 - 5
    # a1..a4 have 30 s limits, the others the default 60 s; 30 s each to reveal and rate
    assert queue.minutes == -(-(60 + 90 + 90 + 60 + 90) // 60)


def test_due_reviews_first_most_overdue_first(
    sched: DrillScheduler, clock: FakeClock, mini: Library
) -> None:
    for day, uid in ((2, "gamma/g1"), (3, "beta/b1"), (4, "alpha/a1")):
        clock.set(at(day))
        sched.record_self(drill(mini, uid), GOOD)
    clock.set(at(10))
    queue = sched.queue()
    assert [(item.drill.uid, item.reason) for item in queue.items[:3]] == [
        ("gamma/g1", "due"),
        ("beta/b1", "due"),
        ("alpha/a1", "due"),
    ]
    assert queue.items[0].state.due < queue.items[1].state.due < queue.items[2].state.due
    assert uids(queue.items[3:]) == ["alpha/a2", "beta/b2", "gamma/g2", "alpha/a3", "beta/b3"]
    assert (queue.due_count, queue.new_count) == (3, 5)


def test_not_yet_due_reviews_stay_out(
    sched: DrillScheduler, clock: FakeClock, mini: Library
) -> None:
    sched.record_self(drill(mini, "alpha/a1"), EASY)
    clock.advance(days=1)
    assert "alpha/a1" not in uids(sched.queue().items)


def test_new_limit_counts_what_was_started_today(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    sched = make_scheduler(library=mini, new_per_day=3)
    assert sched.queue().new_count == 3
    sched.record_self(drill(mini, "alpha/a1"), GOOD)
    clock.advance(minutes=2)
    sched.record_self(drill(mini, "beta/b1"), EASY)
    queue = sched.queue()
    assert uids(queue.items) == ["gamma/g1"]
    assert (queue.new_count, queue.more_new, queue.done_today) == (1, 6, 2)
    sched.record_self(drill(mini, "gamma/g1"), GOOD)
    queue = sched.queue()
    assert queue.is_empty and queue.more_new == 6 and queue.done_today == 3


def test_review_limit_counts_what_was_reviewed_today(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    sched = make_scheduler(library=mini, reviews_per_day=2, new_per_day=0)
    for uid in ("alpha/a4", "alpha/a2", "alpha/a3", "alpha/a1"):
        sched.record_self(drill(mini, uid), GOOD)
        clock.advance(hours=1)
    clock.set(at(5))
    queue = sched.queue()
    assert (queue.due_count, queue.more_due) == (2, 2)
    assert uids(queue.items) == ["alpha/a4", "alpha/a2"]  # the most overdue make the cut
    sched.record_self(queue.items[0].drill, GOOD)
    queue = sched.queue()
    assert (queue.due_count, queue.more_due) == (1, 2)
    sched.record_self(queue.items[0].drill, GOOD)
    queue = sched.queue()
    assert (queue.due_count, queue.more_due, queue.is_empty) == (0, 2, True)
    clock.set(at(6, 4))
    assert sched.queue().due_count == 2


def test_a_review_at_0330_counts_for_the_previous_day(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    sched = make_scheduler(library=mini, reviews_per_day=1, new_per_day=0)
    clock.set(at(2, 10))
    sched.record_self(drill(mini, "alpha/a1"), GOOD)
    sched.record_self(drill(mini, "alpha/a2"), GOOD)
    clock.set(at(5, 3, 30))  # still the drilling day of 4 March
    assert sched.queue().due_count == 1
    sched.record_self(drill(mini, "alpha/a1"), GOOD)
    queue = sched.queue()
    assert (queue.due_count, queue.more_due) == (0, 1)
    assert practice_days(sched.store.self_rating_times("sam"), sched.days) == {
        date(2026, 3, 2),
        date(2026, 3, 4),
    }
    clock.set(at(5, 4))
    assert uids(sched.queue().items) == ["alpha/a2"]


def test_new_limit_resets_at_day_start(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    sched = make_scheduler(library=mini, new_per_day=1)
    clock.set(at(2, 23))
    sched.record_self(drill(mini, "alpha/a1"), GOOD)
    assert sched.queue().new_count == 0
    clock.set(at(3, 3, 59))
    assert sched.queue().new_count == 0
    clock.set(at(3, 4))
    assert uids(sched.queue().items) == ["beta/b1"]


def test_learning_drills_are_not_held_back_by_the_review_limit(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    sched = make_scheduler(library=mini, reviews_per_day=0, new_per_day=1)
    sched.record_self(drill(mini, "alpha/a1"), AGAIN)
    queue = sched.queue()
    assert [(item.drill.uid, item.reason) for item in queue.items] == [("alpha/a1", "due")]
    assert queue.items[0].state.due == clock.now + timedelta(minutes=10)


# --- previews


def test_preview_of_a_new_drill(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    preview = make_scheduler(library=mini).preview(make_scheduler(library=mini).state(target))
    assert preview[AGAIN] == timedelta(minutes=10)
    assert preview[HARD] == timedelta(minutes=15)
    assert timedelta(days=1) <= preview[GOOD] < preview[EASY]
    assert preview[GOOD] % timedelta(days=1) == timedelta(0)
    assert preview[EASY] % timedelta(days=1) == timedelta(0)
    for rating in (AGAIN, HARD, GOOD, EASY):
        rep = make_scheduler(library=mini, rep=f"rep-{rating}")
        rated = rep.record_self(target, rating)
        assert rated.state.due - clock.now == preview[rating]


@pytest.mark.parametrize("fuzz", [False, True])
def test_preview_of_a_review_matches_what_rating_schedules(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock, fuzz: bool
) -> None:
    target = drill(mini, "beta/b1")
    reps = {rating: make_scheduler(library=mini, rep=f"rep-{rating}", fuzz=fuzz)
            for rating in (AGAIN, HARD, GOOD, EASY)}  # fmt: skip
    for sched in reps.values():
        sched.record_self(target, GOOD)
    clock.advance(days=3)
    for sched in reps.values():
        sched.record_self(target, GOOD)
    clock.advance(days=9)
    preview = reps[GOOD].preview(reps[GOOD].state(target))
    assert preview[AGAIN] < preview[HARD] < preview[GOOD] < preview[EASY]
    assert preview[AGAIN] == timedelta(minutes=10)
    for rating, sched in reps.items():
        assert sched.preview(sched.state(target)) == preview
        assert sched.record_self(target, rating).state.due - clock.now == preview[rating]


# --- recording and undo


def test_record_self_stores_everything(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a2")
    attempt = Attempt(duration_ms=31_000, key_points_hit=(2, 0, 2), suggested=GOOD, mode="spoken")
    rated = sched.record_self(target, HARD, attempt)
    [stored] = sched.store.ratings("sam")
    assert stored == rated.event
    assert (stored.rating, stored.suggested, stored.key_points_hit, stored.key_points_total) == (
        HARD,
        GOOD,
        (0, 2),
        3,
    )
    assert (stored.at, stored.time_limit, stored.mode, stored.source) == (
        clock.now,
        30,
        "spoken",
        "self",
    )
    assert rated.state.reviews == 1 and rated.state.first_review == clock.now


def test_record_self_refuses_bad_input(sched: DrillScheduler, mini: Library) -> None:
    with pytest.raises(UserError, match="rating must be 1 \\(Again\\) to 4 \\(Easy\\), got 5"):
        sched.record_self(drill(mini, "alpha/a1"), 5)
    with pytest.raises(ValueError, match="key point index 3 out of range"):
        sched.record_self(drill(mini, "alpha/a1"), GOOD, Attempt(key_points_hit=(3,)))
    assert sched.store.ratings("sam") == []


def test_undo_restores_the_previous_state_exactly(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    sched.record_self(target, GOOD)
    clock.set(at(5))
    before = sched.state(target)
    assert "alpha/a1" in uids(sched.queue().items)
    lapsed = sched.record_self(target, AGAIN)
    assert lapsed.state.phase == Phase.RELEARNING
    assert lapsed.state.lapses == 1
    clock.advance(seconds=20)
    undone = sched.undo_last()
    assert undone == lapsed.event
    after = sched.state(target)
    assert after == before
    assert after.row() == before.row()
    queue = sched.queue()
    assert queue.items[0].drill.uid == "alpha/a1" and queue.items[0].reason == "due"
    assert [r.id for r in sched.store.ratings("sam", include_undone=True)] == [
        sched.store.ratings("sam")[0].id,
        lapsed.event.id,
    ]


def test_undo_of_a_first_rating_makes_the_drill_new_again(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    sched.record_self(target, EASY)
    assert sched.undo_last() is not None
    state = sched.state(target)
    assert state.is_new and state.reviews == 0
    assert uids(sched.queue().items)[0] == "alpha/a1"
    assert sched.undo_last() is None


def test_undo_skips_manager_ratings(
    sched: DrillScheduler, mini: Library, library: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    mine = sched.record_self(target, GOOD)
    clock.advance(days=1)
    sched.record_manager(by="alex", rubric=library.rubrics["laer"], scores=laer_scores(4),
                         drill=drill(mini, "alpha/a2"))  # fmt: skip
    assert sched.undo_last() == mine.event
    assert [r.source for r in sched.store.ratings("sam")] == ["manager"]


# --- suspend, bury


def test_suspend_and_unsuspend(sched: DrillScheduler, mini: Library, clock: FakeClock) -> None:
    target = drill(mini, "alpha/a1")
    sched.suspend(target)
    queue = sched.queue()
    assert "alpha/a1" not in uids(queue.items)
    assert uids(queue.items) == ["beta/b1", "gamma/g1", "alpha/a2", "beta/b2", "gamma/g2"]
    assert sched.suspended() == {"alpha/a1"}
    clock.advance(days=30)
    assert "alpha/a1" not in uids(sched.queue().items)
    sched.unsuspend(target)
    assert uids(sched.queue().items)[0] == "alpha/a1"
    assert sched.suspended() == set()


def test_suspended_review_leaves_the_queue(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    sched.record_self(target, GOOD)
    clock.set(at(6))
    assert sched.queue().due_count == 1
    sched.suspend(target)
    assert sched.queue().due_count == 0


def test_bury_hides_until_the_next_day_start_only(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    clock.set(at(2, 22))
    sched.bury(target)
    assert "alpha/a1" not in uids(sched.queue().items)
    clock.set(at(3, 3, 59))
    assert "alpha/a1" not in uids(sched.queue().items)
    clock.set(at(3, 4))
    assert uids(sched.queue().items)[0] == "alpha/a1"


def test_bury_after_midnight_lasts_until_four(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    clock.set(at(3, 1))
    sched.bury(drill(mini, "alpha/a1"))
    clock.set(at(3, 4))
    assert uids(sched.queue().items)[0] == "alpha/a1"


# --- leeches


def test_leech_after_eight_lapses(sched: DrillScheduler, mini: Library, clock: FakeClock) -> None:
    target = drill(mini, "beta/b2")
    sched.record_self(target, GOOD)  # straight to Review
    for lapse in range(1, 9):
        state = sched.state(target)
        assert state.phase == Phase.REVIEW
        assert not state.is_leech
        clock.set(state.due + timedelta(hours=1))
        assert "beta/b2" in uids(sched.queue().items)
        rated = sched.record_self(target, AGAIN)
        assert rated.state.lapses == lapse
        assert rated.state.phase == Phase.RELEARNING
        clock.advance(minutes=10)
        sched.record_self(target, GOOD)  # relearnt: back to Review
    state = sched.state(target)
    assert state.lapses == 8 and state.is_leech
    queue = sched.queue()
    assert [(item.drill.uid, item.state.lapses) for item in queue.leeches] == [("beta/b2", 8)]


def test_again_on_a_relearning_drill_is_not_another_lapse(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    sched.record_self(target, GOOD)
    clock.set(at(5))
    sched.record_self(target, AGAIN)
    clock.advance(minutes=10)
    assert sched.record_self(target, AGAIN).state.lapses == 1


# --- manager ratings


def test_late_manager_rating_lands_in_its_place(
    make_scheduler: MakeScheduler, mini: Library, library: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    rubric = library.rubrics["laer"]
    late = make_scheduler(library=mini, rep="sam")
    in_order = make_scheduler(library=mini, rep="kim")

    clock.set(at(2))
    late.record_self(target, GOOD)
    in_order.record_self(target, GOOD)
    clock.set(at(4))
    in_order.record_manager(by="alex", rubric=rubric, scores=laer_scores(1), drill=target)
    for day in (6, 12):
        clock.set(at(day))
        late.record_self(target, GOOD)
        in_order.record_self(target, GOOD)
    without_manager = late.state(target)

    clock.set(at(13))  # the manager's rating of the 4th arrives now
    late.record_manager(by="alex", rubric=rubric, scores=laer_scores(1), drill=target, at=at(4))
    rebuilt = late.state(target)
    assert rebuilt == in_order.state(target)
    assert (rebuilt.reviews, rebuilt.lapses) == (4, 1)
    assert rebuilt != without_manager
    assert [r.source for r in late.store.ratings("sam", [target.uid])] == [
        "self",
        "manager",
        "self",
        "self",
    ]


def test_manager_rating_outweighs_self_rating_the_same_day(
    make_scheduler: MakeScheduler, mini: Library, library: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    rubric = library.rubrics["laer"]
    both = make_scheduler(library=mini, rep="sam")
    manager_only = make_scheduler(library=mini, rep="kim")
    both.record_self(target, EASY)
    clock.advance(hours=5)
    review = both.record_manager(by="alex", rubric=rubric, scores=laer_scores(2), drill=target)
    manager_only.record_manager(by="alex", rubric=rubric, scores=laer_scores(2), drill=target)
    assert review.rating == HARD and review.scores == laer_scores(2)
    state = both.state(target)
    assert state == manager_only.state(target)
    assert state.reviews == 1 and state.first_review == clock.now
    assert state.due == clock.now + timedelta(minutes=15)
    assert [(r.source, r.rating) for r in both.store.ratings("sam")] == [
        ("self", EASY),
        ("manager", HARD),
    ]


def test_self_rating_on_another_day_still_counts(
    make_scheduler: MakeScheduler, mini: Library, library: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    sched = make_scheduler(library=mini)
    sched.record_self(target, GOOD)
    clock.set(at(3, 10))
    sched.record_manager(by="alex", rubric=library.rubrics["laer"], scores=laer_scores(4),
                         drill=target)  # fmt: skip
    assert sched.state(target).reviews == 2


def test_manager_rating_needs_drill_or_skill(sched: DrillScheduler, library: Library) -> None:
    rubric = library.rubrics["laer"]
    with pytest.raises(UserError, match="of one drill or of one skill"):
        sched.record_manager(by="alex", rubric=rubric, scores=laer_scores(3))
    with pytest.raises(UserError, match="unknown skill 'juggling'"):
        sched.record_manager(by="alex", rubric=rubric, scores=laer_scores(3), skill="juggling")
    assert sched.store.ratings("sam") == []


def test_manager_skill_rating_makes_a_focus_skill(
    sched: DrillScheduler, mini: Library, library: Library, clock: FakeClock
) -> None:
    joint = library.rubrics["joint-call"]
    scores = {c.id: 2 for c in joint.criteria}
    sched.record_manager(by="alex", rubric=joint, scores=scores, skill="closing",
                         context="joint-call")  # fmt: skip
    assert sched.focus_skills() == ["closing"]
    queue = sched.queue()
    assert uids(queue.items) == ["gamma/g1", "gamma/g2", "alpha/a1", "beta/b1", "alpha/a2"]
    assert [item.focus for item in queue.items] == [True, True, False, False, False]
    assert sched.state(drill(mini, "gamma/g1")).is_new  # a skill rating schedules no card


def test_weakest_focus_skill_first(
    sched: DrillScheduler, mini: Library, library: Library, clock: FakeClock
) -> None:
    joint = library.rubrics["joint-call"]
    sched.record_manager(by="alex", rubric=joint, scores={c.id: 3 for c in joint.criteria},
                         skill="closing")  # fmt: skip
    sched.record_manager(by="alex", rubric=joint, scores={c.id: 1 for c in joint.criteria},
                         skill="discovery")  # fmt: skip
    assert sched.focus_skills() == ["discovery", "closing"]
    assert uids(sched.queue().items) == ["beta/b1", "beta/b2", "beta/b3", "gamma/g1", "gamma/g2"]


def test_focus_fades_after_sixty_days(
    sched: DrillScheduler, mini: Library, library: Library, clock: FakeClock
) -> None:
    joint = library.rubrics["joint-call"]
    sched.record_manager(by="alex", rubric=joint, scores={c.id: 2 for c in joint.criteria},
                         skill="closing")  # fmt: skip
    clock.advance(days=61)
    assert sched.focus_skills() == []


# --- packs in the queue and assignments


def test_onboarding_is_off_by_default(sched: DrillScheduler, mini: Library) -> None:
    assert sched.prefs.disabled_packs() == {"onboarding"}
    assert sched.queue_pack_ids() == ["alpha", "beta", "gamma"]
    assert not any(uid.startswith("onboarding/") for uid in uids(sched.queue().items))


def test_set_pack_enabled(sched: DrillScheduler, mini: Library) -> None:
    sched.prefs.set_pack_enabled("onboarding", True)
    sched.prefs.set_pack_enabled("alpha", False)
    assert sched.queue_pack_ids() == ["beta", "gamma", "onboarding"]
    assert uids(sched.queue().items) == ["beta/b1", "gamma/g1", "onboarding/o1", "beta/b2",
                                         "gamma/g2"]  # fmt: skip
    with pytest.raises(UserError, match="no pack 'nope'"):
        sched.prefs.set_pack_enabled("nope", True)


def test_set_enabled_packs(sched: DrillScheduler) -> None:
    sched.prefs.set_enabled_packs(["gamma"])
    assert sched.queue_pack_ids() == ["gamma"]
    assert sched.prefs.disabled_packs() == {"alpha", "beta", "onboarding"}


def test_assigned_packs_come_first_by_due_date(
    make_scheduler: MakeScheduler, mini: Library, store: Store
) -> None:
    sched = make_scheduler(library=mini, new_per_day=6)
    store.save_assignment(Assignment("a1", "alex", "beta", ("sam",), date(2026, 3, 20)))
    store.save_assignment(Assignment("a2", "alex", "gamma", ("*",), date(2026, 3, 10)))
    store.save_assignment(Assignment("a3", "alex", "alpha", ("kim",), date(2026, 3, 3)))
    queue = sched.queue()
    assert uids(queue.items) == ["gamma/g1", "gamma/g2", "beta/b1", "beta/b2", "beta/b3",
                                 "alpha/a1"]  # fmt: skip
    assert [item.assignment.id if item.assignment else None for item in queue.items] == [
        "a2", "a2", "a1", "a1", "a1", None
    ]  # fmt: skip
    assert [(a.assignment.id, a.title, a.new_left, a.total) for a in queue.assigned] == [
        ("a2", "Pack gamma", 2, 2),
        ("a1", "Pack beta", 3, 3),
    ]


def test_assignment_outranks_focus(
    sched: DrillScheduler, mini: Library, store: Store, library: Library
) -> None:
    joint = library.rubrics["joint-call"]
    sched.record_manager(by="alex", rubric=joint, scores={c.id: 1 for c in joint.criteria},
                         skill="discovery")  # fmt: skip
    store.save_assignment(Assignment("q", "alex", "gamma", ("sam",), date(2026, 3, 20)))
    assert uids(sched.queue().items) == ["gamma/g1", "gamma/g2", "beta/b1", "beta/b2", "beta/b3"]


def test_an_assigned_pack_feeds_the_queue_even_if_disabled(
    sched: DrillScheduler, mini: Library, store: Store
) -> None:
    sched.prefs.set_pack_enabled("gamma", False)
    assert "gamma" not in sched.queue_pack_ids()
    store.save_assignment(Assignment("start", "alex", "onboarding", ("sam",), date(2026, 3, 9)))
    store.save_assignment(Assignment("close", "alex", "gamma", ("sam",), date(2026, 3, 16)))
    assert sched.queue_pack_ids() == ["alpha", "beta", "gamma", "onboarding"]
    assert uids(sched.queue().items) == ["onboarding/o1", "onboarding/o2", "gamma/g1",
                                         "gamma/g2", "alpha/a1"]  # fmt: skip


def test_assignment_of_an_unknown_pack_is_ignored(sched: DrillScheduler, store: Store) -> None:
    store.save_assignment(Assignment("x", "alex", "no-such-pack", ("sam",), date(2026, 3, 9)))
    queue = sched.queue()
    assert queue.assigned == ()
    assert uids(queue.items)[0] == "alpha/a1"


# --- content changes keep progress


def test_rename_with_replaces_carries_history(
    make_scheduler: MakeScheduler,
    write_pack: WritePack,
    make_library: MakeLibrary,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    clock: FakeClock,
) -> None:
    write_pack(pack_doc("renewals", drills=[drill_doc("old-name"), drill_doc("other")]))
    v1 = make_library()
    sched = make_scheduler(library=v1)
    sched.record_self(drill(v1, "renewals/old-name"), GOOD)
    clock.advance(days=2, hours=1)
    sched.record_self(drill(v1, "renewals/old-name"), GOOD, Attempt(answer="My answer"))
    before = sched.state(drill(v1, "renewals/old-name"))

    write_pack(
        pack_doc(
            "renewals",
            version="2",
            drills=[
                drill_doc("other"),
                drill_doc("new-name", title="Renamed", replaces=["old-name"]),
            ],
        )
    )
    v2 = make_library()
    assert v2.problems == [] and v2.drill("renewals/old-name") is None
    sched = make_scheduler(library=v2)
    renamed = drill(v2, "renewals/new-name")
    after = sched.state(renamed)
    assert (after.reviews, after.lapses, after.first_review) == (2, 0, before.first_review)
    assert after.due == before.due
    assert after.stability == before.stability
    assert after.difficulty == before.difficulty
    assert after.phase == before.phase
    assert "renewals/new-name" not in uids(sched.queue().items)
    previous = sched.previous_answer(renamed)
    assert previous is not None
    assert previous.answer == "My answer"
    clock.set(after.due + timedelta(hours=1))
    assert uids(sched.queue().items)[0] == "renewals/new-name"


def test_pack_edited_in_place_keeps_progress(
    make_scheduler: MakeScheduler,
    write_pack: WritePack,
    make_library: MakeLibrary,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    clock: FakeClock,
) -> None:
    write_pack(pack_doc("renewals", drills=[drill_doc("a"), drill_doc("b")]))
    v1 = make_library()
    sched = make_scheduler(library=v1)
    sched.record_self(drill(v1, "renewals/a"), GOOD)
    sched.record_self(drill(v1, "renewals/b"), HARD)
    before = {uid: sched.state(drill(v1, uid)) for uid in ("renewals/a", "renewals/b")}

    edited = [
        drill_doc("c"),
        drill_doc("b", title="Better title", key_points=["One", "Two"], prompt="New words"),
        drill_doc("a", model_answer="A rewritten model answer"),
    ]
    write_pack(pack_doc("renewals", version="2", description="Edited", drills=edited))
    v2 = make_library()
    sched = make_scheduler(library=v2)
    for uid, state in before.items():
        assert sched.state(drill(v2, uid)) == state
    assert sched.state(drill(v2, "renewals/c")).is_new
    assert drill(v2, "renewals/b").title == "Better title"


def test_removed_drill_leaves_the_queue_but_keeps_its_reviews(
    make_scheduler: MakeScheduler,
    write_pack: WritePack,
    make_library: MakeLibrary,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    clock: FakeClock,
    store: Store,
) -> None:
    write_pack(pack_doc("renewals", drills=[drill_doc("a"), drill_doc("b")]))
    v1 = make_library()
    make_scheduler(library=v1).record_self(drill(v1, "renewals/b"), AGAIN)
    write_pack(pack_doc("renewals", version="2", drills=[drill_doc("a")]))
    v2 = make_library()
    sched = make_scheduler(library=v2)
    assert uids(sched.queue().items) == ["renewals/a"]
    assert [r.rating for r in store.ratings("sam", ["renewals/b"])] == [AGAIN]


# --- card state kept with each rating


def test_a_full_rebuild_gives_identical_states(
    sched: DrillScheduler, mini: Library, clock: FakeClock, drillcoach_home: Path
) -> None:
    plan = [("alpha/a1", GOOD), ("beta/b1", AGAIN), ("alpha/a1", HARD), ("beta/b3", EASY)]
    for uid, rating in plan:
        sched.record_self(drill(mini, uid), rating)
        clock.advance(days=3)
    drills = list(mini.drills())
    kept = sched.states(drills)
    assert sched.cards.check() == []
    with closing(sqlite3.connect(drillcoach_home / "drillcoach.db")) as db, db:
        assert db.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 3
        db.execute("DELETE FROM cards")
    assert [m.uid for m in sched.cards.check()] == ["alpha/a1", "beta/b1", "beta/b3"]
    sched.cards.rebuild()
    assert sched.states(drills) == kept
    assert sched.cards.check() == []


def test_a_new_retention_moves_due_dates_as_a_rebuild_would(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    target = drill(mini, "alpha/a1")
    make_scheduler(library=mini).record_self(target, GOOD)
    clock.advance(days=2)
    make_scheduler(library=mini).record_self(target, GOOD)
    usual = make_scheduler(library=mini).state(target)
    stricter = make_scheduler(library=mini, desired_retention=0.97)
    assert stricter.state(target).due < usual.due
    assert stricter.cards.check() == []
    assert make_scheduler(library=mini).state(target) == usual


# --- sessions


def test_again_comes_back_before_the_session_ends(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    session = Session.start(sched)
    assert session.remaining == 5
    first = session.current
    assert first is not None and first.drill.uid == "alpha/a1"
    session.record(AGAIN, Attempt(duration_ms=20_000))
    assert session.remaining == 5
    assert uids(session.pending) == ["beta/b1", "gamma/g1", "alpha/a2", "beta/b2", "alpha/a1"]
    assert session.pending[-1].reason == "due"
    for rating in (GOOD, EASY, GOOD, GOOD):
        clock.advance(minutes=2)
        session.record(rating)
    assert uids(session.pending) == ["alpha/a1"]
    clock.advance(minutes=3)
    session.record(GOOD)
    assert session.current is None and session.remaining == 0
    assert [r.event.drill_uid for r in session.rated] == [
        "alpha/a1", "beta/b1", "gamma/g1", "alpha/a2", "beta/b2", "alpha/a1"
    ]  # fmt: skip


@pytest.mark.parametrize("rating", [GOOD, EASY])
def test_good_or_easy_on_first_sight_does_not_come_back(
    sched: DrillScheduler, rating: Rating
) -> None:
    session = Session.start(sched)
    session.record(rating)
    assert "alpha/a1" not in uids(session.pending)
    assert session.remaining == 4


def test_session_undo_puts_the_drill_back_first(
    sched: DrillScheduler, mini: Library, clock: FakeClock
) -> None:
    session = Session.start(sched)
    session.record(GOOD)
    clock.advance(minutes=1)
    session.record(AGAIN)
    assert uids(session.pending)[-1] == "beta/b1"
    item = session.undo()
    assert item is not None and item.drill.uid == "beta/b1"
    assert uids(session.pending) == ["beta/b1", "gamma/g1", "alpha/a2", "beta/b2"]
    assert session.pending[0].state.is_new
    assert [r.event.drill_uid for r in session.rated] == ["alpha/a1"]
    item = session.undo()
    assert item is not None and item.drill.uid == "alpha/a1"
    assert uids(session.pending)[:2] == ["alpha/a1", "beta/b1"]
    assert session.undo() is None
    assert sched.store.ratings("sam") == []


def test_session_skip_current(sched: DrillScheduler) -> None:
    session = Session.start(sched)
    skipped = session.skip_current("bury")
    assert skipped is not None and skipped.drill.uid == "alpha/a1"
    suspended = session.skip_current("suspend")
    assert suspended is not None
    assert suspended.drill.uid == "beta/b1"
    assert uids(session.pending) == ["gamma/g1", "alpha/a2", "beta/b2"]
    assert sched.suspended() == {"beta/b1"}
    assert uids(sched.queue().items)[:2] == ["gamma/g1", "alpha/a2"]


def test_due_tomorrow(sched: DrillScheduler, mini: Library, clock: FakeClock) -> None:
    sched.record_self(drill(mini, "alpha/a1"), GOOD)  # due in 2 days
    sched.record_self(drill(mini, "alpha/a2"), AGAIN)  # due in 10 minutes
    sched.record_self(drill(mini, "alpha/a3"), EASY)  # due in a week or more
    assert sched.due_tomorrow() == 1
    clock.advance(days=1)
    assert sched.due_tomorrow() == 2


def test_reviewing_a_renamed_drill_is_a_review_not_a_new_drill(
    make_scheduler: MakeScheduler,
    write_pack: WritePack,
    make_library: MakeLibrary,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    clock: FakeClock,
) -> None:
    write_pack(pack_doc("renewals", drills=[drill_doc("old-name"), drill_doc("b"), drill_doc("c")]))
    v1 = make_library()
    make_scheduler(library=v1).record_self(drill(v1, "renewals/old-name"), GOOD)
    write_pack(
        pack_doc(
            "renewals",
            drills=[drill_doc("new-name", replaces=["old-name"]), drill_doc("b"), drill_doc("c")],
        )
    )
    v2 = make_library()
    sched = make_scheduler(library=v2, new_per_day=2, reviews_per_day=1)
    clock.set(at(5))
    queue = sched.queue()
    assert uids(queue.items) == ["renewals/new-name", "renewals/b", "renewals/c"]
    sched.record_self(drill(v2, "renewals/new-name"), GOOD)
    queue = sched.queue()
    assert (queue.new_count, queue.due_count) == (2, 0)
    assert uids(queue.items) == ["renewals/b", "renewals/c"]


def test_turning_a_pack_off_or_suspending_frees_no_new_drills(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    sched = make_scheduler(library=mini, new_per_day=3)
    sched.record_self(drill(mini, "alpha/a1"), GOOD)
    sched.record_self(drill(mini, "alpha/a2"), EASY)
    sched.prefs.set_pack_enabled("alpha", False)
    assert uids(sched.queue().items) == ["beta/b1"]
    sched.prefs.set_pack_enabled("alpha", True)
    sched.suspend(drill(mini, "alpha/a1"))
    assert uids(sched.queue().items) == ["beta/b1"]


def test_undoing_a_first_rating_gives_the_new_slot_back(
    make_scheduler: MakeScheduler, mini: Library, clock: FakeClock
) -> None:
    sched = make_scheduler(library=mini, new_per_day=1)
    sched.record_self(drill(mini, "alpha/a1"), GOOD)
    assert sched.queue().is_empty
    sched.undo_last()
    assert uids(sched.queue().items) == ["alpha/a1"]
