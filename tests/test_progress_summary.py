"""The rep's summary (issue 12): hand-built histories, recorded through the scheduler into a
real store on a FakeClock, with a known answer for every figure: streaks across the
rollover hour and a daylight-saving change, weeks and volume, true retention, mastery and
recall, the change per skill, honesty, calibration labels, pack readiness, the forecast."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest

from drillcoach.coaching.commitments import add_commitment, make_commitment
from drillcoach.config import Config
from drillcoach.content import Drill, Library
from drillcoach.events import Assignment, ManagerRating, SelfRating
from drillcoach.prefs import Prefs
from drillcoach.progress.history import Own, counting_by_drill, day_numbers
from drillcoach.progress.model import (
    Calibration,
    CalibrationPoint,
    Honesty,
    PackProgress,
    RepSummary,
    SkillProgress,
    Week,
)
from drillcoach.progress.practice import in_review_after
from drillcoach.progress.skills import (
    calibration_label,
    change_words,
    honesty_line,
    ratings_above_checklist,
)
from drillcoach.progress.summary import rep_summary
from drillcoach.scheduling.cardstate import CardState, Phase
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.memory import Memory
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import AGAIN, EASY, GOOD, HARD, counting
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store
from drillcoach.store.encoding import micros
from helpers import START, DrillDoc, FakeClock, MakeLibrary, PackDoc, WritePack

LONDON = ZoneInfo("Europe/London")
FIVE = ["One", "Two", "Three", "Four", "Five"]
LAER = ("listen", "acknowledge", "explore", "respond", "confirm", "advance")


def day(number: int, hour: int = 10, minute: int = 0) -> datetime:
    """``number`` days after Monday 2 March 2026, at ``hour`` UTC."""
    return START.replace(hour=hour, minute=minute) + timedelta(days=number)


@pytest.fixture
def packs(write_pack: WritePack, make_library: MakeLibrary, pack_doc: PackDoc,
          drill_doc: DrillDoc) -> Library:  # fmt: skip
    """alpha: three objections (five key points) and a role-play, all objection handling;
    beta: two discovery questions (three key points); gamma: one closing drill."""
    write_pack(pack_doc("alpha", drills=[
        *(drill_doc(f"a{n}", key_points=FIVE) for n in (1, 2, 3)),
        drill_doc("r1", kind="roleplay"),
    ]))  # fmt: skip
    write_pack(pack_doc("beta", drills=[
        drill_doc(f"b{n}", kind="question", skill="discovery") for n in (1, 2)
    ]))  # fmt: skip
    write_pack(pack_doc("gamma", drills=[drill_doc("c1", skill="closing")]))
    return make_library()


class Rep:
    """Sam drilling through the scheduler on a clock set to each moment; a manager rating
    them; and the summary as of a moment."""

    def __init__(
        self, store: Store, library: Library, config: Config, tz: ZoneInfo | None = None
    ) -> None:
        self.clock = FakeClock()
        self.library = library
        self.config = config
        self.sched = DrillScheduler(store, library, config, clock=self.clock, tz=tz or UTC)

    def drill(self, uid: str) -> Drill:
        return self.library.drill_of(uid)

    def rate(
        self, uid: str, rating: int, when: datetime, *, hits: Sequence[int] = (),
        seconds: float | None = None,
    ) -> SelfRating:  # fmt: skip
        self.clock.set(when)
        duration = None if seconds is None else int(seconds * 1000)
        attempt = Attempt(duration_ms=duration, key_points_hit=tuple(hits))
        return self.sched.record_self(self.drill(uid), rating, attempt).event

    def manager(self, uid: str, mean: float, when: datetime) -> ManagerRating:
        """Maria's rating of the drill on the LAER rubric, with scores of that mean (a
        whole number, or halfway between two)."""
        low = math.floor(mean)
        high = math.ceil(mean)
        scores = {key: low if n % 2 else high for n, key in enumerate(LAER)}
        self.clock.set(when)
        return self.sched.record_manager(
            by="maria", rubric=self.library.rubrics["laer"], scores=scores, drill=self.drill(uid)
        )

    def summary(self, when: datetime, config: Config | None = None) -> RepSummary:
        self.clock.set(when)
        return rep_summary(self.sched.store, self.library, config or self.config, "sam",
                           "Sam Patel", self.sched.days, when)  # fmt: skip


@pytest.fixture
def rep(store: Store, packs: Library, test_config: Config) -> Rep:
    return Rep(store, packs, test_config)


# --- the habit


def test_streaks_count_drilling_days_across_the_rollover_hour_and_summer_time(
    store: Store, packs: Library, test_config: Config
) -> None:
    sam = Rep(store, packs, test_config, LONDON)
    # British Summer Time starts on Sunday 29 March 2026 at 01:00 UTC; days start at 04:00
    sam.rate("alpha/a1", GOOD, datetime(2026, 3, 27, 12, tzinfo=UTC))  # Friday 27
    sam.rate("alpha/a1", GOOD, datetime(2026, 3, 29, 2, 30, tzinfo=UTC))  # 03:30 BST: Sat 28
    sam.rate("alpha/a1", GOOD, datetime(2026, 3, 29, 12, tzinfo=UTC))  # Sunday 29
    sam.rate("alpha/a1", GOOD, datetime(2026, 3, 30, 3, 30, tzinfo=UTC))  # 04:30 BST: Mon 30
    sam.rate("alpha/a2", GOOD, datetime(2026, 3, 31, 2, 59, tzinfo=UTC))  # 03:59 BST: Mon 30
    sam.rate("alpha/a1", GOOD, datetime(2026, 4, 1, 3, tzinfo=UTC))  # 04:00 BST: Wed 1 April
    summary = sam.summary(datetime(2026, 4, 1, 12, tzinfo=UTC))
    habit = summary.habit
    assert (habit.current_streak, habit.longest_streak) == (1, 4)  # 27 to 30 March, then 1 April
    assert habit.calendar[-6:] == (
        (date(2026, 3, 27), 1), (date(2026, 3, 28), 1), (date(2026, 3, 29), 1),
        (date(2026, 3, 30), 2), (date(2026, 3, 31), 0), (date(2026, 4, 1), 1),
    )  # fmt: skip
    assert len(habit.calendar) == 182
    assert habit.calendar[0][0] == date(2026, 4, 1) - timedelta(days=181)
    assert [(w.start, w.days, w.drills) for w in habit.weeks[-2:]] == [
        (date(2026, 3, 23), 3, 3),
        (date(2026, 3, 30), 2, 3),
    ]
    assert summary.as_of == datetime(2026, 4, 1, 13, tzinfo=LONDON)
    # the same ratings with days starting at 04:00 UTC: every day a drilling day but today
    utc = rep_summary(store, packs, test_config, "sam", "Sam Patel", Days(4, UTC),
                      datetime(2026, 4, 1, 12, tzinfo=UTC))  # fmt: skip
    assert (utc.habit.current_streak, utc.habit.longest_streak) == (5, 5)


def test_weeks_count_days_drills_once_a_day_and_minutes(rep: Rep) -> None:
    rep.rate("alpha/a1", GOOD, day(0), seconds=90)
    rep.rate("alpha/a1", GOOD, day(0, 10, 5), seconds=30)  # the same drill the same day
    rep.rate("alpha/a2", HARD, day(0, 10, 10), seconds=45)
    rep.rate("beta/b1", GOOD, day(2), seconds=60)
    rep.rate("beta/b2", GOOD, day(7, 3, 30), seconds=15)  # Monday 9 March 03:30: still Sunday
    rep.rate("alpha/a1", GOOD, day(8), seconds=120)
    undone = rep.rate("alpha/a3", GOOD, day(8, 11), seconds=600)
    assert rep.sched.undo_last() == undone  # taken back: counted nowhere
    summary = rep.summary(day(8, 12))
    weeks = summary.habit.weeks
    assert len(weeks) == 12
    assert weeks[0].start == date(2025, 12, 22)
    assert all(week == Week(week.start, 0, 0, 0) for week in weeks[:-2])
    assert weeks[-2:] == (
        Week(date(2026, 3, 2), days=3, drills=4, minutes=4),  # 240 seconds
        Week(date(2026, 3, 9), days=1, drills=1, minutes=2),
    )
    assert summary.volume == weeks
    assert summary.habit.calendar[-1] == (date(2026, 3, 10), 1)
    assert (summary.habit.current_streak, summary.habit.longest_streak) == (1, 1)


def test_commitments_kept(rep: Rep, store: Store) -> None:
    assert rep.summary(day(0)).habit.commitments_kept is None
    made = make_commitment(store, rep.library, "sam", rep.sched.days, day(0),
                           kind="drill-days", motivation="My own team in three years",
                           number=2)  # fmt: skip
    add_commitment(store, made)
    rep.rate("alpha/a1", GOOD, day(0))
    rep.rate("alpha/a1", GOOD, day(3))  # the first week kept
    rep.rate("alpha/a1", GOOD, day(8))  # the second missed
    assert rep.summary(day(14)).habit.commitments_kept == (1, 2)


# --- true retention


def test_true_retention_counts_first_reviews_of_drills_in_review_state(rep: Rep) -> None:
    # today is day 40: the window is days 11 to 40
    rep.rate("alpha/a3", GOOD, day(0))  # graduates
    rep.rate("alpha/a3", GOOD, day(5))  # a review before the window
    rep.rate("alpha/a3", GOOD, day(12))  # passed
    rep.rate("alpha/a1", GOOD, day(20))  # graduates
    rep.rate("alpha/a1", GOOD, day(23))  # passed
    rep.rate("alpha/a1", AGAIN, day(30))  # failed: relearning
    rep.rate("alpha/a1", HARD, day(30, 10, 30))  # not the first of the day; relearning
    rep.rate("alpha/a1", GOOD, day(31))  # relearning, not a review: graduates again
    rep.rate("alpha/a1", HARD, day(35))  # passed
    rep.rate("alpha/a2", HARD, day(20))  # learning
    rep.rate("alpha/a2", HARD, day(21))  # still learning
    rep.rate("alpha/a2", GOOD, day(22))  # graduates
    rep.rate("alpha/a2", AGAIN, day(25))  # failed
    rep.rate("beta/b1", GOOD, day(20))  # graduates
    rep.rate("beta/b1", EASY, day(24))  # the rep says Easy, but that day ...
    rep.manager("beta/b1", 1, day(24, 11))  # ... the manager's Again counts: failed
    retention = rep.summary(day(40)).retention
    assert (retention.true_retention, retention.reviews, retention.desired) == (0.5, 6, 0.9)


def test_the_review_state_rule_follows_fsrs() -> None:
    memory = Memory(desired_retention=0.9, fuzz=False)
    draw = random.Random(12)
    for _ in range(200):
        state = CardState.new("pack/drill", START)
        in_review = False
        moment = START
        for _ in range(10):
            rating = draw.choice((AGAIN, HARD, GOOD, EASY))
            moment += timedelta(minutes=draw.choice((5, 30, 600, 3000, 9000)))
            state = memory.review(state, rating, moment)
            in_review = in_review_after(in_review, rating)
            assert in_review == (state.phase == Phase.REVIEW)


def test_counting_follows_the_scheduling_rule(rep: Rep, store: Store) -> None:
    rep.rate("alpha/a1", GOOD, day(0))
    rep.rate("alpha/a1", EASY, day(1))
    rep.manager("alpha/a1", 2.5, day(1, 12))
    rep.rate("alpha/a1", GOOD, day(1, 13))
    rep.rate("alpha/a1", HARD, day(2))
    rep.rate("beta/b1", GOOD, day(2))
    days = rep.sched.days
    events = store.ratings("sam")
    own = [e for e in events if isinstance(e, SelfRating)]
    managers = [e for e in events if isinstance(e, ManagerRating)]
    numbers = day_numbers([micros(e.at) for e in own], days)
    lean = [
        Own(n, e.drill_uid, e.skill, micros(e.at), number, e.rating, 0, 0, None)
        for n, (e, number) in enumerate(zip(own, numbers, strict=True))
    ]
    found = counting_by_drill(lean, managers, [days.day_of(m.at).toordinal() for m in managers])
    for uid in ("alpha/a1", "beta/b1"):
        expected = counting([e for e in events if e.drill_uid == uid], days)
        assert [(c.at, c.rating) for c in found[uid]] == [
            (micros(e.at), e.rating) for e in expected
        ]
    assert len(found["alpha/a1"]) == 3  # the rep's own two ratings of day 1 do not count


# --- skills


def test_skills_started_mastered_and_recall(rep: Rep) -> None:
    rep.rate("alpha/a1", EASY, day(0))  # remembered 8 days: due on day 8
    rep.rate("alpha/a2", GOOD, day(0))
    rep.rate("alpha/a1", EASY, day(8))
    now = day(10)
    a1, a2 = (rep.sched.state(rep.drill(uid)) for uid in ("alpha/a1", "alpha/a2"))
    assert (a1.stability or 0) >= 21 > (a2.stability or 0)
    skills = {skill.skill: skill for skill in rep.summary(now).skills}
    assert list(skills) == ["discovery", "objection-handling", "closing"]  # the skill map's order
    handling = skills["objection-handling"]
    assert (handling.title, handling.started, handling.total, handling.mastered) == (
        "Objection handling", 2, 4, 1
    )  # fmt: skip
    scheduler = fsrs.Scheduler()
    expected = [
        scheduler.get_card_retrievability(
            fsrs.Card(state=fsrs.State.Review, stability=s.stability, difficulty=s.difficulty,
                      last_review=s.last_review, due=s.due),
            now,
        )
        for s in (a1, a2)
    ]  # fmt: skip
    assert handling.recall == pytest.approx(sum(expected) / 2)
    assert (handling.first_mean, handling.latest_mean) == (3.5, 3.5)
    assert skills["discovery"] == SkillProgress(
        "discovery", "Discovery", started=0, total=2, mastered=0, recall=None,
        first_mean=None, latest_mean=None, change=None,
    )  # fmt: skip


def test_skill_change_over_four_weeks(rep: Rep) -> None:
    # today is day 60: the last four weeks are days 33 to 60, the four before days 5 to 32
    rep.rate("alpha/a2", AGAIN, day(1))  # before both
    rep.rate("alpha/a1", HARD, day(10))
    rep.rate("alpha/a1", HARD, day(20))
    rep.rate("alpha/a1", GOOD, day(40))
    rep.rate("alpha/a1", GOOD, day(50))
    rep.rate("beta/b1", GOOD, day(10))
    rep.rate("beta/b1", HARD, day(45))
    skills = {skill.skill: skill for skill in rep.summary(day(60)).skills}
    handling, discovery = skills["objection-handling"], skills["discovery"]
    assert handling.change == pytest.approx(50.0)
    assert (handling.first_mean, handling.latest_mean) == (1.5, 2.0)  # a1 2 then 3; a2 1
    assert discovery.change == pytest.approx(-100 / 3)
    assert change_words(handling) == "50% better at objection handling"
    assert change_words(discovery) == "33% down on discovery"
    assert skills["closing"].change is None
    assert change_words(skills["closing"]) is None
    spin = replace(handling, title="SPIN questions", change=0.2)
    assert change_words(spin) == "holding steady at SPIN questions"
    assert change_words(replace(spin, change=20.4)) == "20% better at SPIN questions"


# --- honesty


def test_ratings_above_the_checklist(rep: Rep) -> None:
    rep.rate("alpha/a1", EASY, day(0), hits=[])  # above, but before the last 30 days
    today = [
        rep.rate("alpha/a1", GOOD, day(40), hits=[0]),  # 1 of 5 suggests Again: above
        rep.rate("alpha/a1", GOOD, day(40, 11), hits=[0, 1, 2, 3]),  # suggests Good
        rep.rate("alpha/a2", EASY, day(40), hits=[0, 1, 2, 3, 4]),  # suggests Easy
        rep.rate("alpha/a2", HARD, day(40, 11), hits=[0, 1, 2]),  # suggests Hard
        rep.rate("alpha/a3", EASY, day(40), hits=[0, 1, 2, 3]),  # suggests Good: above
        # every point, though over time: the checklist alone suggests Easy
        rep.rate("alpha/a3", EASY, day(40, 11), hits=[0, 1, 2, 3, 4], seconds=200),
        rep.rate("beta/b1", GOOD, day(40), hits=[2]),  # 1 of 3 suggests Again: above
    ]
    assert rep.summary(day(40, 12)).honesty == (
        Honesty("discovery", above=1, rated=1),
        Honesty("objection-handling", above=2, rated=6),
    )
    assert ratings_above_checklist(today) == 3
    assert honesty_line(3) == "3 ratings above your checklist today"
    assert honesty_line(1) == "1 rating above your checklist today"
    assert honesty_line(0) is None


# --- calibration


def test_calibration_labels_and_weekly_points(rep: Rep) -> None:
    rep.rate("alpha/a2", EASY, day(-100))
    rep.manager("alpha/a2", 1, day(-100, 12))  # more than 90 days ago: left out
    rep.rate("alpha/a1", EASY, day(1))
    rep.rate("alpha/a1", EASY, day(8))
    rep.manager("alpha/a1", 2.5, day(9))  # Hard: the rep rates higher
    rep.rate("beta/b1", HARD, day(2))
    rep.manager("beta/b1", 4.5, day(3))  # Easy: the rep rates lower
    rep.rate("gamma/c1", GOOD, day(4))
    rep.manager("gamma/c1", 3.5, day(4, 12))  # Good, the same day: agrees
    assert rep.summary(day(20)).calibration == (
        Calibration("discovery", 2.0, 4.0, -2.0, "under-confident",
                    (CalibrationPoint(date(2026, 3, 2), 2.0, 4.0),)),
        Calibration("objection-handling", 4.0, 2.0, 2.0, "over-confident",
                    (CalibrationPoint(date(2026, 3, 9), 4.0, 2.0),)),
        Calibration("closing", 3.0, 3.0, 0.0, "calibrated",
                    (CalibrationPoint(date(2026, 3, 2), 3.0, 3.0),)),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("gap", "label"),
    [(0.5, "over-confident"), (0.49, "calibrated"), (-0.49, "calibrated"),
     (-0.5, "under-confident"), (2.0, "over-confident")],
)  # fmt: skip
def test_calibration_thresholds(gap: float, label: str) -> None:
    assert calibration_label(gap) == label


# --- packs


def test_pack_ready_when_every_drill_is_mastered_and_role_plays_rated_well(rep: Rep) -> None:
    for uid in ("alpha/a1", "alpha/a2", "alpha/a3", "alpha/r1"):
        rep.rate(uid, EASY, day(0))
    for uid in ("alpha/a1", "alpha/a2", "alpha/a3"):
        rep.rate(uid, EASY, day(8))
    rep.manager("alpha/r1", 4.5, day(8))  # Easy: it schedules the role-play too
    states = rep.sched.states(rep.library.packs["alpha"].drills).values()
    assert all(state.is_mastered for state in states)

    def alpha(when: datetime, config: Config = rep.config) -> PackProgress:
        return next(pack for pack in rep.summary(when, config).packs if pack.pack == "alpha")

    assert alpha(day(10)) == PackProgress(
        "alpha", "Pack alpha", total=4, started=4, mastered=4, due=None, overdue=False,
        ready=True,
    )  # fmt: skip
    assert not alpha(day(10), replace(rep.config, ready_manager_score=4.75)).ready
    assert not alpha(day(10), replace(rep.config, ready_stability_days=365)).ready
    assert alpha(day(8 + 89)).ready  # the rating is 90 days old: still recent
    assert not alpha(day(8 + 90)).ready


def test_packs_assigned_first_with_due_dates(rep: Rep, store: Store) -> None:
    rep.rate("beta/b1", GOOD, day(0))
    store.save_assignment(Assignment("a-1", "maria", "beta", ("sam",), date(2026, 3, 7)))
    store.save_assignment(Assignment("a-2", "maria", "gamma", ("bob",), date(2026, 3, 4)))
    store.save_assignment(Assignment("a-3", "maria", "beta", ("*",), date(2026, 3, 20)))
    Prefs(store, rep.library).set_enabled_packs(["alpha"])  # beta is off, but assigned
    packs = rep.summary(day(10)).packs
    assert packs == (
        PackProgress("beta", "Pack beta", total=2, started=1, mastered=0,
                     due=date(2026, 3, 7), overdue=True, ready=False),
        PackProgress("alpha", "Pack alpha", total=4, started=0, mastered=0,
                     due=None, overdue=False, ready=False),
    )  # fmt: skip
    assert rep.summary(day(4)).packs[0].overdue is False  # due on day 5


# --- ahead


def test_drills_due_ahead_and_minutes_a_day(
    store: Store, test_config: Config, write_pack: WritePack, make_library: MakeLibrary,
    pack_doc: PackDoc, drill_doc: DrillDoc,
) -> None:  # fmt: skip
    limits = {"f1": 300, "f2": 600, "f3": 600, "f4": 600, "f5": 600, "f6": 600, "f7": 5}
    write_pack(pack_doc("fwd", drills=[drill_doc(n, time_limit=s) for n, s in limits.items()]))
    sam = Rep(store, make_library(), test_config)
    sam.rate("fwd/f1", GOOD, day(0))  # due in 2 days (fuzz off: its stability)
    sam.rate("fwd/f2", EASY, day(0))  # due in 8 days
    sam.rate("fwd/f3", AGAIN, day(0))  # due in 10 minutes
    sam.rate("fwd/f4", GOOD, day(0))
    sam.sched.suspend(sam.drill("fwd/f4"))  # not counted
    sam.rate("fwd/f5", AGAIN, day(0))
    sam.sched.bury(sam.drill("fwd/f5"))  # counted tomorrow, when its burial ends
    summary = sam.summary(day(0, 12))
    assert summary.ahead.due == tuple(
        (date(2026, 3, 2) + timedelta(days=n), {0: 1, 1: 1, 2: 1, 8: 1}.get(n, 0))
        for n in range(14)
    )
    # f1, f2, f3 and f5 due once each, f6 and f7 new: each answered, then read and rated
    seconds = 300 + 600 + 600 + 600 + 600 + 5 + 6 * 30
    assert summary.ahead.minutes_per_day == math.ceil(seconds / 14 / 60) == 4
    assert summary.ahead.leeches == ()


def test_leeches(rep: Rep) -> None:
    rep.rate("alpha/a1", GOOD, day(0))
    rep.rate("alpha/a2", GOOD, day(0))
    moment = day(0)
    for lapse in range(8):
        for uid in ("alpha/a1", "alpha/a2")[: 1 if lapse == 7 else 2]:
            moment += timedelta(minutes=1)
            rep.rate(uid, AGAIN, moment)
            rep.rate(uid, GOOD, moment + timedelta(seconds=30))
    assert (rep.sched.state(rep.drill("alpha/a1")).lapses,
            rep.sched.state(rep.drill("alpha/a2")).lapses) == (8, 7)  # fmt: skip
    assert rep.summary(day(1)).ahead.leeches == ("alpha/a1",)


# --- the whole


def test_a_rep_with_no_history(rep: Rep) -> None:
    summary = rep.summary(day(0))
    assert (summary.rep, summary.name, summary.version) == ("sam", "Sam Patel", 1)
    assert (summary.habit.current_streak, summary.habit.longest_streak) == (0, 0)
    assert summary.retention.true_retention is None
    assert (summary.honesty, summary.calibration, summary.ahead.leeches) == ((), (), ())
    assert [pack.pack for pack in summary.packs] == ["alpha", "beta", "gamma"]
    assert summary.ahead.due[0] == (date(2026, 3, 2), 0)
    # five new drills a day while they last: all seven in the first two days
    assert summary.ahead.minutes_per_day == math.ceil(7 * 90 / 14 / 60)


def test_now_must_carry_its_time_zone(rep: Rep, store: Store) -> None:
    with pytest.raises(ValueError, match=r"^now: expected a timezone-aware datetime$"):
        rep_summary(store, rep.library, rep.config, "sam", "Sam", rep.sched.days,
                    datetime(2026, 3, 2, 10))  # fmt: skip
