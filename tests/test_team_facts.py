"""A rep's row of the team summary read lean (progress/team_facts.py) against the same row
read off their whole summary (progress/summary.py, the one computation): equal on random
histories in a real store: days drilled and skipped, streaks longer than the weeks the
lean read takes whole, self-ratings taken back, the manager's ratings of drills (some on
a day the rep rated the drill too) and of skills, assignments, suspended drills, in UTC
and in zones with summer time, across the rollover hour."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.events import Assignment, DrillAction, ManagerRating, SelfRating, Undo
from drillcoach.progress import team_facts
from drillcoach.progress.team_facts import RECENT_DAYS, TeamReader
from drillcoach.progress.team_summary import rep_facts
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.rules import as_rating
from drillcoach.store import Store
from drillcoach.team.workspace import Member
from helpers import DrillDoc, MakeLibrary, OpenStore, PackDoc, WritePack

FIVE = ["One", "Two", "Three", "Four", "Five"]
SAM = Member("sam", "Sam Patel", "rep", "maria")
ZONES = [UTC, ZoneInfo("Europe/London"), ZoneInfo("America/New_York")]


@pytest.fixture
def packs(write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc,
          drill_doc: DrillDoc) -> Library:  # fmt: skip
    write_pack(pack_doc("alpha", drills=[
        *(drill_doc(f"a{n}", key_points=FIVE) for n in (1, 2, 3)),
        drill_doc("r1", kind="roleplay"),
        drill_doc("r2", kind="roleplay"),  # only ever rated by the manager, live
    ]))  # fmt: skip
    write_pack(pack_doc("beta", drills=[
        drill_doc(f"b{n}", kind="question", skill="discovery") for n in (1, 2, 3)
    ]))  # fmt: skip
    write_pack(pack_doc("gamma", drills=[drill_doc("c1", skill="closing")]))
    return make_library()


def history(
    store: Store, library: Library, rng: random.Random, days: Days, today: date, rep: str = "sam"
) -> None:
    """A random history of a rep's (Sam's), ending on ``today``."""
    drills = [drill for drill in library.drills() if drill.uid != "alpha/r2"]
    live = library.drill_of("alpha/r2")
    length = rng.choice([20, 45, 120, 260])
    keen = rng.choice([0.5, 0.85, 1.0])  # 1.0: a streak as long as the history
    own: list[SelfRating] = []
    for back in range(length, -1, -1):
        day = today - timedelta(days=back)
        if rng.random() > keen:
            continue
        start = days.start_of(day)
        for _ in range(rng.randint(1, 6)):
            drill = rng.choice(drills)
            # any minute of the drilling day, often near its start and end
            offset = rng.choice([rng.randint(0, 60), rng.randint(0, 1439), rng.randint(1380, 1439)])
            at = start + timedelta(minutes=offset, seconds=rng.randint(0, 59))
            total = len(drill.key_points) or None
            hits = tuple(sorted(rng.sample(range(total), rng.randint(0, total)))) if total else ()
            rating = SelfRating(by=rep, at=at, drill_uid=drill.uid, skill=drill.skill,
                                rating=as_rating(rng.randint(1, 4)),
                                duration_ms=rng.randint(5, 90) * 1000,
                                key_points_hit=hits, key_points_total=total)  # fmt: skip
            store.add(rating)
            own.append(rating)
            if rng.random() < 0.1:  # the manager rates the drill the same day
                manager(store, rng, rep, drill.uid, drill.skill, at + timedelta(minutes=5))
        if rng.random() < 0.05:  # a live role-play the rep never rated themselves
            manager(store, rng, rep, live.uid, live.skill, start + timedelta(hours=8))
        if rng.random() < 0.08:  # a joint call: the skill
            manager(store, rng, rep, None, rng.choice(drills).skill, start + timedelta(hours=9))
        if own and rng.random() < 0.05:
            taken = rng.choice(own)
            if not store.is_undone(taken.id):
                store.add(Undo(by=rep, at=taken.at + timedelta(seconds=1), of=taken.id))
    if rng.random() < 0.5:
        due = today + timedelta(days=rng.randint(-20, 20))
        store.save_assignment(Assignment(f"a-{rep}", "maria", "beta", (rep,), due))
    if rng.random() < 0.5:
        uid = rng.choice(drills).uid
        store.add(DrillAction(by=rep, at=days.start_of(today), drill_uid=uid, action="suspend"))


def manager(
    store: Store, rng: random.Random, rep: str, uid: str | None, skill: str, at: datetime
) -> None:
    score = rng.randint(1, 5)
    store.add(ManagerRating(by="maria", rep=rep, at=at, rubric="laer",
                            scores={"listen": score}, rating=as_rating(max(1, min(4, score - 1))),
                            skill=skill, drill_uid=uid))  # fmt: skip


@pytest.mark.parametrize("seed", range(16))
def test_a_lean_row_equals_the_row_of_the_whole_summary(
    seed: int, open_store: OpenStore, packs: Library, test_config: Config, tmp_path: Path
) -> None:
    rng = random.Random(seed)
    tz = ZONES[seed % len(ZONES)]
    config = replace(test_config, day_starts_at=rng.choice([0, 4]))
    days = Days(config.day_starts_at, tz)
    today = date(2026, 3, 29) + timedelta(days=rng.randint(0, 220))  # summer time changes
    store = open_store(tmp_path / "manager.db")
    history(store, packs, rng, days, today)
    now = datetime.combine(today, time(rng.choice([2, 12, 23])), tz).astimezone(UTC)
    now = max(now, days.start_of(today) + timedelta(minutes=1))  # on ``today``
    full = rep_facts(store, packs, config, SAM, days, now)
    lean = TeamReader(store, packs, config, days, now).facts(SAM)
    assert lean == full
    assert len(lean.recent) == RECENT_DAYS


def test_a_streak_longer_than_the_days_read_comes_from_the_store(
    open_store: OpenStore, packs: Library, test_config: Config, tmp_path: Path
) -> None:
    days = Days(4, ZoneInfo("Europe/London"))
    today = date(2026, 4, 20)
    store = open_store(tmp_path / "manager.db")
    b1 = packs.drill_of("beta/b1")
    for back in range(75):  # 75 days in a row, then a day off, then 10 more before
        if back == 75 - 11:
            continue
        at = days.start_of(today - timedelta(days=back)) + timedelta(hours=20, minutes=30)
        store.add(SelfRating(by="sam", at=at, drill_uid=b1.uid, skill=b1.skill, rating=3))
    now = days.start_of(today) + timedelta(hours=21)
    lean = TeamReader(store, packs, test_config, days, now).facts(SAM)
    assert lean.streak == 75 - 11
    assert lean == rep_facts(store, packs, test_config, SAM, days, now)


def test_many_reps_are_read_by_a_process_each_processor_alike(
    open_store: OpenStore, packs: Library, test_config: Config, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    rng = random.Random(7)
    days = Days(4, ZoneInfo("Europe/London"))
    today = date(2026, 10, 27)  # two days after the clocks went back
    store = open_store(tmp_path / "manager.db")
    reps = [Member(f"rep-{n}", f"Rep {n}", "rep", "maria") for n in range(6)]
    for rep in reps:
        history(store, packs, rng, days, today, rep.id)
    now = days.start_of(today) + timedelta(hours=15)
    alone = TeamReader(store, packs, test_config, days, now).facts_of(reps)
    monkeypatch.setattr(team_facts, "PARALLEL_FROM", 3)
    monkeypatch.setattr(team_facts, "processors", lambda: 2)
    apart = TeamReader(store, packs, test_config, days, now)
    assert apart.facts_of(reps) == alone
    assert apart.read_apart == len(reps)
    assert list(alone) == [rep.id for rep in reps]


def test_reading_apart_works_in_the_machines_own_zone(
    open_store: OpenStore, packs: Library, test_config: Config, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The TUI's days are in the machine's zone, read from /etc/localtime (which cannot be
    pickled): the reading processes find the same zone themselves."""
    monkeypatch.delenv("TZ", raising=False)
    days = Days(4, None)
    rng = random.Random(11)
    today = date(2026, 6, 3)
    store = open_store(tmp_path / "manager.db")
    reps = [Member(f"rep-{n}", f"Rep {n}", "rep", "maria") for n in range(4)]
    for rep in reps:
        history(store, packs, rng, days, today, rep.id)
    now = days.start_of(today) + timedelta(hours=9)
    alone = TeamReader(store, packs, test_config, days, now).facts_of(reps)
    monkeypatch.setattr(team_facts, "PARALLEL_FROM", 2)
    monkeypatch.setattr(team_facts, "processors", lambda: 2)
    apart = TeamReader(store, packs, test_config, days, now)
    assert apart.facts_of(reps) == alone
    assert apart.read_apart == len(reps)
