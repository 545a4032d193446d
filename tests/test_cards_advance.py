"""A manager's kept cards of their reps, stepped through what an import brings instead of
replayed (scheduling/cards.py ``_advanced``), equal a rebuild from events: randomised
histories imported over several syncs (a director's ratings on the same drilling day as
the rep's own, late and out-of-order lines, ratings from a clock set ahead, undos, the
manager's own ratings, a rename through ``replaces``); the earlier of two imports'
earliest times is kept until the cards settle; and a manager's sync keeps every touched
rep's cards without anyone looking at that rep."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_card_upkeep import write_library

from drillcoach.config import Config, resolve_paths
from drillcoach.content import Criterion, Rubric
from drillcoach.events import Event, ManagerRating, SelfRating, Undo
from drillcoach.scheduling.cards import STAMP, CardBook, cards_kept, mark_stale
from drillcoach.scheduling.rules import rating_from_scores
from drillcoach.services import Services
from drillcoach.store import Store
from drillcoach.store.encoding import micros
from drillcoach.team.eventlog import encode, import_events, month_of
from drillcoach.team.sync import sync
from drillcoach.team.workspace import Member, Membership, Team, make_workspace, write_team
from helpers import FakeClock

EASTERN = timezone(timedelta(hours=-5))  # drilling days start at 04:00 Eastern, 09:00 UTC
START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
RUBRIC = Rubric("r", "Rubric", (Criterion("c", "Criterion"),))
REPS = ("alice", "bob")


class World:
    """A workspace on disk (dana directs maria, who manages alice and bob) and maria's
    profile over it: her store, a small library (``write_library``), a fixed clock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        people = [
            Member("dana", "Dana Diaz", "manager"),
            Member("maria", "Maria Lopez", "manager", "dana"),
            Member("alice", "Alice Ng", "rep", "maria"),
            Member("bob", "Bob Stone", "rep", "maria"),
        ]
        team = make_workspace(root / "ws", "West sales", people[0])
        self.team = Team(team.root, team.name, {member.id: member for member in people})
        write_team(self.team)
        (root / "packs").mkdir()
        self.library = write_library(root / "packs", renamed=False)
        self.clock = FakeClock(START)
        self.store = Store(root / "maria.db")
        self.config = replace(
            Config(), member="maria", workspace=str(self.team.root), fuzz=True, day_starts_at=4
        )
        self.services = self._services()
        self.written: dict[str, list[SelfRating]] = {rep: [] for rep in REPS}  # live ones

    def _services(self) -> Services:
        paths = resolve_paths(self.root / "home")
        return Services(paths, self.config, self.library, self.store, clock=self.clock, tz=EASTERN)

    def rename(self) -> None:
        """Drill p/a becomes p/a2 (``replaces``) in maria's library."""
        self.library = write_library(self.root / "packs", renamed=True)
        self.services = self._services()

    def write(self, event: Event) -> None:
        """``event`` appended to its author's month file, as their sync would."""
        folder = self.team.root / "events" / event.by
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / month_of(event), "ab") as file:
            file.write(encode(event, share_answers=False))
        if isinstance(event, SelfRating):
            self.written[event.by].append(event)

    def rate(self, rep: str, uid: str, rating: int, at: datetime) -> SelfRating:
        event = SelfRating(by=rep, at=at, drill_uid=uid, skill="closing", rating=rating)  # type: ignore[arg-type]
        self.write(event)
        return event

    def director_rates(self, rep: str, uid: str, score: int, at: datetime) -> ManagerRating:
        scores = {"c": score}
        event = ManagerRating(by="dana", rep=rep, at=at, rubric="r", scores=scores,
                              rating=rating_from_scores(scores), skill="closing",
                              drill_uid=uid)  # fmt: skip
        self.write(event)
        return event

    def undo_last(self, rep: str) -> None:
        if self.written[rep]:
            taken = self.written[rep].pop()
            self.write(Undo(by=rep, at=self.clock.now, of=taken.id))

    def import_only(self) -> None:
        """An import with no settle after it (as an import interrupted before one)."""
        membership = Membership(self.team, self.team.members["maria"])
        assert import_events(self.store, membership).refused == []

    def book(self, rep: str) -> CardBook:
        return self.services.scheduler_for(rep).cards

    def deferred(self, rep: str) -> dict[str, int]:
        stamp = self.store.get_setting(STAMP.format(rep=rep))
        assert isinstance(stamp, dict)
        return dict(stamp.get("deferred") or {})

    def assert_kept(self) -> None:
        """Every rep's cards kept as a rebuild from their events would have them, after
        a sync alone: nothing waits but ratings from the future."""
        horizon = micros(self.clock.now + timedelta(minutes=5))
        for rep in REPS:
            if not self.store.rated_drills(rep):
                continue
            assert cards_kept(self.store, rep)
            assert all(at > horizon for at in self.deferred(rep).values())
            assert self.book(rep).check() == []


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made = World(tmp_path)
    try:
        yield made
    finally:
        made.store.close()


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A time on March ``day`` 2026, Eastern."""
    return datetime(2026, 3, day, hour, minute, tzinfo=EASTERN)


# --- randomised histories over several syncs

UIDS = ("p/a", "p/b", "p/c", "p/a2")  # p/a2: p/a again before the rename
rep_index = st.integers(0, len(REPS) - 1)
drill_index = st.integers(0, len(UIDS) - 1)
self_rating = st.tuples(st.just("self"), rep_index, drill_index, st.integers(1, 4),
                        st.integers(1, 60 * 24 * 2))  # fmt: skip
late_rating = st.tuples(st.just("late"), rep_index, drill_index, st.integers(1, 4),
                        st.integers(1, 60 * 24 * 5))  # fmt: skip
director = st.tuples(st.just("director"), rep_index, drill_index, st.integers(1, 5),
                     st.integers(-60 * 24 * 4, 60))  # fmt: skip
mine = st.tuples(st.just("mine"), rep_index, drill_index, st.integers(1, 5),
                 st.integers(-60 * 24 * 2, 30))  # fmt: skip
undo = st.tuples(st.just("undo"), rep_index, st.just(0), st.just(0), st.just(0))
sync_step = st.just(("sync", 0, 0, 0, 0))
other_step = st.sampled_from([("import", 0, 0, 0, 0), ("rename", 0, 0, 0, 0)])
kinds = [self_rating] * 4 + [late_rating, director, mine, undo] + [sync_step] * 3 + [other_step]
operations = st.lists(st.one_of(*kinds), min_size=5, max_size=40)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_synced_cards_equal_a_rebuild(plan: list[tuple[str, int, int, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        world = World(Path(folder))
        renamed = False
        try:
            for rep in REPS:  # cards kept from the start, so that most syncs step them
                world.rate(rep, "p/a", 3, local(1, 9))
                world.rate(rep, "p/b", 2, local(1, 9, 5))
            assert sync(world.services).refused == []
            for kind, who, which, value, minutes in [*plan, ("sync", 0, 0, 0, 0)]:
                rep = REPS[who]
                uid = UIDS[which] if renamed or which < 3 else "p/a"
                now = world.clock.now
                if kind == "self":
                    world.rate(rep, uid, value, world.clock.advance(minutes=minutes))
                elif kind == "late":  # written on a machine that synced late
                    world.rate(rep, uid, value, now - timedelta(minutes=minutes))
                elif kind == "director":  # often the same day as the rep's own; or ahead
                    world.director_rates(rep, uid, value, now + timedelta(minutes=minutes))
                elif kind == "mine":  # maria rates on her machine: the card moves at once
                    drill = world.library.drill(uid) or world.library.drill("p/b")
                    assert drill is not None
                    world.services.scheduler_for(rep).record_manager(
                        by="maria", rubric=RUBRIC, scores={"c": value}, drill=drill,
                        at=now + timedelta(minutes=minutes),
                    )  # fmt: skip
                elif kind == "undo":
                    world.undo_last(rep)
                elif kind == "import":
                    world.import_only()
                elif kind == "rename" and not renamed:
                    world.rename()
                    renamed = True
                elif kind == "sync":
                    assert sync(world.services).refused == []
                    world.assert_kept()
        finally:
            world.store.close()


# --- the way taken, and why it is safe


def test_an_in_order_day_steps_each_card_instead_of_replaying(world: World) -> None:
    for day in range(2, 8):
        for number, uid in enumerate(("p/a", "p/b", "p/c")):
            world.rate("alice", uid, 1 + (day + number) % 4, local(day, 9, 10 * number))
        world.clock.set(local(day, 20))
        world.import_only()
        book = world.book("alice")
        book.settle()
        if day == 2:  # never kept: every card built from the events
            assert book.replayed == 0 and book.advanced == 0
        else:
            assert (book.advanced, book.replayed) == (3, 0)
        assert world.deferred("alice") == {}
        assert book.check() == []


def test_a_rating_on_the_cards_last_day_replays(world: World) -> None:
    """The director's rating on the drilling day of the card's last review displaces the
    rep's own of that day: only a replay knows what that day counted."""
    world.rate("alice", "p/a", 4, local(2, 9))
    world.rate("alice", "p/a", 4, local(3, 9))
    world.clock.set(local(3, 20))
    world.import_only()
    world.book("alice").settle()
    world.director_rates("alice", "p/a", 1, local(3, 19))
    world.import_only()
    book = world.book("alice")
    book.settle()
    assert (book.advanced, book.replayed) == (0, 1)
    assert book.check() == []
    world.rate("alice", "p/a", 4, local(4, 9))  # the next day: a step, where the
    world.director_rates("alice", "p/a", 2, local(4, 10))  # director's rating counts
    world.clock.set(local(4, 20))
    world.import_only()
    book = world.book("alice")
    book.settle()
    assert (book.advanced, book.replayed) == (1, 0)
    assert book.check() == []


def test_an_undo_replays(world: World) -> None:
    world.rate("alice", "p/a", 3, local(2, 9))
    world.clock.set(local(3, 20))
    world.import_only()
    world.book("alice").settle()
    world.rate("alice", "p/a", 1, local(3, 9))
    world.undo_last("alice")
    world.import_only()
    assert world.deferred("alice") == {"p/a": 0}
    book = world.book("alice")
    book.settle()
    assert (book.advanced, book.replayed) == (0, 1)
    assert book.check() == []


@pytest.mark.parametrize("late_first", [False, True])
def test_two_imports_before_a_settle_keep_the_earlier_time(world: World, late_first: bool) -> None:
    """A late rating on the card's last day in one import and a next-day rating in the
    other, then one settle: it replays, whichever import came first (the later time alone
    would have stepped past the late rating)."""
    world.rate("alice", "p/a", 3, local(2, 9))
    world.clock.set(local(4, 20))
    world.import_only()
    world.book("alice").settle()
    late, next_day = local(2, 15), local(4, 9)
    for at in (late, next_day) if late_first else (next_day, late):
        world.rate("alice", "p/a", 1 if at == late else 4, at)
        world.import_only()
    assert world.deferred("alice") == {"p/a": micros(late)}
    book = world.book("alice")
    book.settle()
    assert (book.advanced, book.replayed) == (0, 1)
    assert book.check() == []


def test_an_import_notes_the_earliest_time_of_each_drill_and_0_for_an_undo(
    world: World,
) -> None:
    """The fast way (a plain self-rating line), the general way (a line with replies, a
    director's rating) and an undo, in one import: per rep and drill, the earliest."""
    world.rate("alice", "p/a", 3, local(3, 9))
    world.rate("alice", "p/a", 2, local(2, 9))  # out of order in the file
    with_replies = SelfRating(by="alice", at=local(2, 10), drill_uid="p/b", skill="closing",
                              rating=2, answer="Fair.", replies=("And then?",))  # fmt: skip
    world.write(with_replies)
    world.rate("alice", "p/b", 4, local(2, 11))
    world.director_rates("alice", "p/a", 4, local(1, 18))
    world.rate("bob", "p/c", 1, local(2, 9))
    world.undo_last("bob")
    imported = import_events(world.store, Membership(world.team, world.team.members["maria"]))
    assert imported.refused == []
    assert imported.touched == {"alice": {"p/a", "p/b"}, "bob": {"p/c"}}
    assert imported.earliest == {
        "alice": {"p/a": micros(local(1, 18)), "p/b": micros(local(2, 10))},
        "bob": {"p/c": 0},
    }


def test_mark_stale_keeps_the_earliest_and_leaves_unkept_reps_alone(world: World) -> None:
    world.store.set_setting(STAMP.format(rep="alice"), {"memory": "m", "deferred": {"p/a": 5}})
    mark_stale(world.store, {"alice": {"p/a": 9, "p/b": 3}, "bob": {"p/a": 1}})
    assert world.deferred("alice") == {"p/a": 5, "p/b": 3}
    mark_stale(world.store, {"alice": {"p/a": 2}})
    assert world.deferred("alice") == {"p/a": 2, "p/b": 3}
    assert not cards_kept(world.store, "bob")  # never kept: built on first use instead


# --- the manager's sync keeps every rep's cards


def test_a_managers_sync_keeps_every_touched_reps_cards(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[tuple[str, int | None, int | None]] = []

    def progress(step: str, done: int | None = None, total: int | None = None) -> None:
        said.append((step, done, total))

    for rep in REPS:
        world.rate(rep, "p/a", 3, local(2, 9))
        world.rate(rep, "p/b", 2, local(2, 9, 5))
    world.director_rates("bob", "p/b", 4, local(2, 18))
    world.clock.set(local(2, 20))
    sync(world.services, progress=progress)
    building = "updating the cards of 2 rep(s), building them for 2 for the first time"
    assert [said for said in said if said[0] == building] == [
        (building, None, None), (building, 1, 2), (building, 2, 2)
    ]  # fmt: skip
    world.assert_kept()

    books: list[CardBook] = []
    made = world.services.scheduler_for

    def watched(rep: str) -> object:
        scheduler = made(rep)
        books.append(scheduler.cards)
        return scheduler

    monkeypatch.setattr(world.services, "scheduler_for", watched)
    for rep in REPS:
        world.rate(rep, "p/a", 4, local(3, 9))
        world.rate(rep, "p/c", 1, local(3, 9, 5))  # a drill new to them: built from its events
    world.clock.set(local(3, 20))
    said.clear()
    sync(world.services, progress=progress)
    assert ("updating the cards of 2 rep(s)", 2, 2) in said
    assert not any("building" in step for step, _, _ in said)
    assert sum(book.advanced for book in books) == 2  # p/a of each
    assert sum(book.replayed for book in books) == 2  # p/c of each
    monkeypatch.undo()
    world.assert_kept()
