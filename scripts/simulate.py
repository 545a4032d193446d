"""Write a simulated history of one rep into a drillcoach home: a month of morning
sessions by default, recorded through the domain as the app records them, for demos, the
README's screenshots and trying the Progress screen on a history that tells a story.

    python scripts/simulate.py --home DIR [--days 30] [--seed 1] [--rep-name "Sam Patel"]
                               [--until 2026-03-27] [--tz Europe/London] [--with-manager]

The rep picks Northwind's packs on the welcome, writes a vision on the first morning,
agrees on coaching areas and makes two commitments in the first days, then drills most
weekday mornings (some days missed, a couple of weekend sessions, one week of holiday)
for 10 to 15 minutes: answers near the time limit, ticks the key points they hit (more of
them as the weeks go by), and mostly takes the suggested rating, now and then rating a
Good with few key points. They debrief an important call or two. With --with-manager,
their manager rates a few role-plays and a joint call, with notes, as a sync would bring
them in. The same seed writes the same history (event ids aside: they are random).

The home must not hold a history already. The last day simulated is --until (default
yesterday, so today's queue is still there to drill); days are the rep's drilling days in
--tz (default this machine's zone, the one drillcoach itself reads).
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from drillcoach.coaching.agreement import make_agreement
from drillcoach.coaching.commitments import add_commitment, make_commitment
from drillcoach.coaching.debriefs import DebriefForm, add_debrief
from drillcoach.coaching.vision import current_vision, make_vision
from drillcoach.config import SettingError
from drillcoach.content import Drill
from drillcoach.errors import UserError
from drillcoach.events import AnswerMode, Rating
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import GOOD, expected_seconds, suggest_rating, time_limit
from drillcoach.scheduling.session import Session
from drillcoach.services import Services, open_services
from drillcoach.text import plural

COMPANY = "northwind"  # the rep sells Northwind's freight product: its packs, on the welcome
MANAGER = "maria"  # the manager id on synced ratings (Maria Lopez in the team tests)
REVEAL_SECONDS = (15, 45)  # reading the model answer, ticking, rating
BLIND_SPOT = "negotiation"  # the skill this rep over-rates: a story for honesty and calibration
OVER_RATE = {BLIND_SPOT: 0.5}  # chance of a Good when the checklist says Again or Hard
OVER_RATE_USUAL = 0.15
UNDER_RATE = 0.04  # chance of a Good when the checklist says Easy
TYPED_SHARE = 0.3  # answers typed rather than said aloud
MISSED_WEEKDAYS = 0.12  # of the working days, not counting the first
# how much of a skill's key points the rep hits at first, before practice
STARTING_HIT_RATE = {
    "objection-handling": 0.61,
    "prospecting": 0.63,
    "discovery": 0.55,
    "qualification": 0.55,
    "value-articulation": 0.57,
    BLIND_SPOT: 0.5,
    "closing": 0.51,
    "call-control": 0.57,
}
DEFAULT_HIT_RATE = 0.53
PRACTICE_GAIN = 0.28  # what practice of a skill adds to its hit rate, at most
PRACTICE_PACE = 15.0  # ratings of a skill to get about two thirds of that gain
DRILL_GAIN = 0.04  # each earlier attempt at the same drill, up to three
HABIT_GAIN = 0.08  # what the habit itself adds to every skill, at most (structure, calm)
HABIT_PACE = 10.0  # sessions to get about two thirds of that

VISION = {
    "in_2_years": "Senior AE running my own mid-market book, top quartile on quota.",
    "in_3_years": "Leading a pod of three AEs and still closing the biggest deals myself.",
    "in_5_years": "Regional sales manager, building a team people ask to join.",
    "why": "I want to provide for my family on my own terms.\n"
    "And prove to myself I can lead, not just sell.",
    "desire": 9,
    "willingness": 8,
    "done_lately": "Asked Maria for weekly role-plays; started drilling every morning.",
    "give_up": "Scrolling on the train: that is my drilling time now.",
    "in_the_way": "Busy quarter-ends, when I skip practice first.",
}
AGREEMENT = {
    "objection-handling": {"ways": ["every-roleplay"], "vision": "2"},
    BLIND_SPOT: {"ways": ["weekly", "joint-calls"], "vision": "3"},
}
AGREEMENT_NOTE = "Tell me straight when I cave on price. Praise in public, the rest in 1:1s."
DEBRIEFS = (
    DebriefForm(
        account="Halden Foods",
        call_type="proposal",
        outcome="advanced",
        went_well="Let the CFO finish on budget before answering; asked what the figure was "
        "based on.",
        to_improve="Offered a discount before exploring the renewal timing.",
        objections=(
            "You're thirty percent above what we budgeted.",
            "We're locked in with our carrier until June.",
        ),
        skills=("objection-handling=4", f"{BLIND_SPOT}=2"),
        next_step="Revised proposal with phased rollout, Thursday 10:00.",
    ),
    DebriefForm(
        account="Brightwater Logistics",
        call_type="discovery",
        outcome="advanced",
        went_well="Found the real pain: late deliveries cost them two retail contracts.",
        to_improve="Talked too much in the first ten minutes.",
        objections=("We tried a platform like yours and it failed.",),
        skills=("discovery=4", "call-control=3"),
        next_step="Demo with their ops lead on the 14th.",
    ),
)
MANAGER_NOTES = {
    "objection-handling": (
        "Good acknowledge; you still jump to the answer before exploring.",
        "Much better: one open question, then you waited. Keep that pause.",
    ),
    BLIND_SPOT: (
        "You traded the discount away for nothing in return. Ask for something back.",
        "Held the price longer this time; the concession came too early still.",
    ),
    "discovery": (
        "Strong first questions; go one level deeper on impact before summarising.",
        "Good depth. Summarise back before you move to next steps.",
    ),
    "closing": ("Ask for the next step with a date, not 'let's touch base'.",),
}
JOINT_CALL_NOTE = "Great rapport with the ops lead. Let them talk more in the first ten minutes."


class SimClock:
    """The clock the simulation moves; drillcoach reads it as the time now."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment.astimezone(UTC)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass(frozen=True)
class Sitting:
    """One planned session: its day, when it starts, and how many minutes the rep has."""

    day: date
    start: time
    minutes: float


@dataclass
class Story:
    """What the simulation wrote, for the summary it prints."""

    rep: str
    name: str
    first: date
    last: date
    holiday: tuple[date, date] | None = None
    sittings: list[Sitting] = field(default_factory=list)
    ratings: int = 0
    drills: set[str] = field(default_factory=set)
    minutes: float = 0.0
    over_rated: int = 0
    hits: dict[date, tuple[int, int]] = field(default_factory=dict)  # day -> (hit, total)
    visions: int = 0
    agreements: int = 0
    commitments: int = 0
    debriefs: int = 0
    manager_ratings: int = 0

    def hit_share(self, first: date, last: date) -> float:
        hit = sum(h for day, (h, _) in self.hits.items() if first <= day <= last)
        total = sum(t for day, (_, t) in self.hits.items() if first <= day <= last)
        return hit / total if total else 0.0


# --- the plan: which days the rep drills, when, for how long


def holiday_week(first: date, last: date) -> tuple[date, date] | None:
    """A Monday-to-Sunday week off near the middle, clear of the first and the last week
    (none in a period too short for that)."""
    if (last - first).days + 1 < 21:
        return None
    middle = first + timedelta(days=(last - first).days // 2)
    monday = middle - timedelta(days=middle.weekday())
    if monday < first + timedelta(days=7):
        monday += timedelta(days=7)
    sunday = monday + timedelta(days=6)
    if sunday > last - timedelta(days=7):
        return None
    return monday, sunday


def plan_sittings(first: date, last: date, rng: random.Random) -> list[Sitting]:
    """Most weekday mornings, never the holiday week, a couple of weekend mornings."""
    holiday = holiday_week(first, last)
    length = (last - first).days + 1
    days = [first + timedelta(days=n) for n in range(length)]

    def away(day: date) -> bool:
        return holiday is not None and holiday[0] <= day <= holiday[1]

    weekends = [day for day in days if day.weekday() >= 5 and not away(day)]
    chosen_weekends = set(rng.sample(weekends, min(len(weekends), max(1, round(length / 15)))))
    weekdays = [day for day in days[1:] if day.weekday() < 5 and not away(day)]
    missed = set(rng.sample(weekdays, round(len(weekdays) * MISSED_WEEKDAYS)))
    sittings: list[Sitting] = []
    for day in days:
        if away(day) or day in missed:
            continue
        if day.weekday() < 5:
            minute = rng.randint(7 * 60 + 40, 9 * 60 + 15)  # before the first call
            budget = rng.uniform(10, 15)
        elif day in chosen_weekends:
            minute = rng.randint(9 * 60 + 30, 11 * 60)
            budget = rng.uniform(6, 10)
        else:
            continue
        sittings.append(Sitting(day, time(minute // 60, minute % 60), budget))
    return sittings


def local_moment(day: date, at: time, zone: tzinfo | None) -> datetime:
    """``day`` at the local time ``at`` in ``zone`` (None: the C library's local time, as
    drillcoach reads it where the machine names no zone), in UTC."""
    naive = datetime.combine(day, at)
    local = naive.astimezone() if zone is None else naive.replace(tzinfo=zone)
    return local.astimezone(UTC)


# --- the rep: how well they answer, and how they rate themselves


class Rep:
    """The simulated rep's skill: a hit rate per skill that grows with practice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.practice: Counter[str] = Counter()
        self.seen: Counter[str] = Counter()
        self.own: dict[str, list[Rating]] = {}  # drill uid -> the rep's ratings of it
        self.sessions = 0
        self.start = {
            skill: rate + rng.uniform(-0.05, 0.05) for skill, rate in STARTING_HIT_RATE.items()
        }

    def level(self, skill: str, drill: Drill | None = None) -> float:
        """The share of key points the rep hits now, on average, in ``skill`` (on
        ``drill``: a little more for each of the first earlier attempts at it)."""
        start = self.start.get(skill, DEFAULT_HIT_RATE)
        gain = PRACTICE_GAIN * (1 - math.exp(-self.practice[skill] / PRACTICE_PACE))
        gain += HABIT_GAIN * (1 - math.exp(-self.sessions / HABIT_PACE))
        again = DRILL_GAIN * min(3, self.seen[drill.uid]) if drill is not None else 0.0
        return min(0.92, start + gain + again)

    def answer(self, drill: Drill, default_limit: int) -> tuple[Attempt, Rating, float]:
        """An attempt at ``drill``, the rating its checklist suggests, and how many
        seconds it took."""
        rng = self.rng
        form = rng.gauss(0, 0.08)  # a good or a bad morning
        rate = max(0.05, min(0.99, self.level(drill.skill, drill) + form))
        hit = tuple(i for i in range(len(drill.key_points)) if rng.random() < rate)
        limit = time_limit(drill, default_limit)
        budget = limit or expected_seconds(drill, default_limit)
        seconds = round(budget * max(0.35, min(1.25, rng.gauss(0.82, 0.14))), 1)
        suggested = suggest_rating(len(hit), len(drill.key_points), seconds, limit)
        mode: AnswerMode = "typed" if drill.is_written else "spoken"
        answer = None
        if not drill.is_roleplay and drill.model_answer and rng.random() < TYPED_SHARE:
            mode, answer = "typed", first_sentence(drill.model_answer)
        attempt = Attempt(
            duration_ms=int(seconds * 1000),
            key_points_hit=hit,
            suggested=suggested,
            mode=mode,
            answer=answer,
        )
        self.practice[drill.skill] += 1
        self.seen[drill.uid] += 1
        return attempt, suggested, seconds

    def rate(self, drill: Drill, suggested: Rating) -> Rating:
        """Mostly the suggestion; now and then a Good the checklist does not back (more
        often in the rep's blind spot), or a modest Good for an Easy."""
        if suggested < GOOD:
            chance = OVER_RATE.get(drill.skill, OVER_RATE_USUAL)
        else:
            chance = UNDER_RATE if suggested > GOOD else 0.0
        rating = GOOD if self.rng.random() < chance else suggested
        self.own.setdefault(drill.uid, []).append(rating)
        return rating

    def surest(self, drills: Sequence[Drill]) -> Drill:
        """The drill the rep brings to a 1:1 role-play: the one they rate themselves
        best on, a role-play if it ties."""

        def mean(drill: Drill) -> float:
            own = self.own.get(drill.uid)
            return sum(own) / len(own) if own else 0.0

        return max(drills, key=lambda drill: (mean(drill), drill.is_roleplay))

    def manager_scores(
        self, drill: Drill | None, skill: str, criteria: Sequence[str]
    ) -> dict[str, int | None]:
        """What a manager hears: the rep's level on the rubric's scale, where a criterion
        scored about 4*level (2 for half the key points, 3 for three quarters) maps to the
        rating the checklist would suggest; a little lower in the blind spot, where the
        rep's own ratings run high."""
        level = self.level(skill, drill) - (0.08 if skill == BLIND_SPOT else 0.0)
        return {
            criterion: max(1, min(5, round(0.3 + 4 * level + self.rng.gauss(0, 0.5))))
            for criterion in criteria
        }


def member_id(name: str) -> str:
    """The rep's member id from their first name: 'Élodie Durand' is 'elodie'."""
    first = unicodedata.normalize("NFKD", name.split()[0]).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]+", "-", first.lower()).strip("-")[:64].strip("-") or "rep"


def first_sentence(text: str) -> str:
    words = " ".join(text.split())
    end = re.search(r"[.?!](\s|$)", words)
    return words[: end.end()].strip() if end else words[:200]


# --- writing it


def simulate(
    home: Path,
    *,
    days: int = 30,
    seed: int = 1,
    rep_name: str = "Sam Patel",
    until: date | None = None,
    zone: tzinfo | None = None,
    with_manager: bool = False,
) -> Story:
    """Write the history into ``home`` and say what was written."""
    if days < 1:
        raise UserError(f"--days: expected a whole number of days from 1, got {days}")
    rng = random.Random(seed)
    clock = SimClock(datetime.now(UTC))
    services = open_services(home, clock=clock, tz=zone)
    try:
        if services.store.holds_events():
            raise UserError(f"--home: {home} already holds a drillcoach history; give a new "
                            "or empty folder")  # fmt: skip
        today = services.scheduler.days.day_of(clock())  # the drilling day running now
        last = until or today - timedelta(days=1)
        if last >= today:  # a session later today would be in the future
            raise UserError(f"--until: expected a day before today ({today:%Y-%m-%d}), got "
                            f"{last:%Y-%m-%d}")  # fmt: skip
        first = last - timedelta(days=days - 1)
        sittings = plan_sittings(first, last, rng)
        try:
            services.set_setting("name", rep_name)
        except SettingError as error:
            raise UserError(f"--rep-name: {error.expected}") from None
        member = member_id(rep_name)
        services.set_setting("member", member)
        story = Story(member, rep_name, first, last, holiday_week(first, last), sittings)
        _welcome(services)
        _Writer(services, clock, rng, story, with_manager).run()
        return story
    finally:
        services.close()


def _welcome(services: Services) -> None:
    """What the rep picks on the welcome: their company's packs."""
    packs = [pack.id for pack in services.library.packs.values() if pack.company == COMPANY]
    services.prefs.set_enabled_packs(packs)
    services.prefs.set_welcomed()


class _Writer:
    def __init__(
        self,
        services: Services,
        clock: SimClock,
        rng: random.Random,
        story: Story,
        with_manager: bool,
    ) -> None:
        self.services = services
        self.clock = clock
        self.rng = rng
        self.story = story
        self.with_manager = with_manager
        self.rep = Rep(rng)
        self.days = services.scheduler.days  # the rep's drilling days, in their zone

    def at(self, day: date, hour: int, minute: int = 0) -> None:
        self.clock.set(local_moment(day, time(hour, minute), self.days.zone))

    def run(self) -> None:
        sittings = self.story.sittings
        drilled = [s.day for s in sittings]
        weekdays = [day for day in drilled if day.weekday() < 5]
        debrief_days = self._spread(weekdays[2:], len(DEBRIEFS))
        rating_days = self._one_to_ones(weekdays) if self.with_manager else []
        for number, sitting in enumerate(sittings):
            self.at(sitting.day, sitting.start.hour, sitting.start.minute)
            if number == 0:  # asked for a vision before the first session
                self._vision_and_first_commitment()
                self.clock.advance(240)
            elif number == 2:  # after the first 1:1 with the manager
                self._agreement_and_second_commitment()
                self.clock.advance(180)
            self._sitting(sitting)
            if sitting.day in rating_days:
                self._one_to_one(sitting.day, rating_days.index(sitting.day))
            if sitting.day in debrief_days:
                self._debrief(sitting.day, DEBRIEFS[debrief_days.index(sitting.day)])

    @staticmethod
    def _spread(days: Sequence[date], count: int) -> list[date]:
        """``count`` days spread evenly over ``days``."""
        if not days:
            return []
        return sorted({days[(len(days) * (2 * n + 1)) // (2 * count)] for n in range(count)})

    @staticmethod
    def _one_to_ones(weekdays: Sequence[date]) -> list[date]:
        """A weekly 1:1 with a role-play: the first day drilled from Wednesday on, each
        week, from the second week."""
        weeks: dict[date, date] = {}
        for day in weekdays:
            monday = day - timedelta(days=day.weekday())
            if day.weekday() >= 2 and monday not in weeks:
                weeks[monday] = day
        return sorted(weeks.values())[1:5]

    # --- the coaching records

    def _vision_and_first_commitment(self) -> None:
        services, rep = self.services, self.story.rep
        vision = make_vision(rep, self.clock(), VISION)
        services.store.add(vision)
        self.story.visions += 1
        self.clock.advance(90)
        why = VISION["why"]
        assert isinstance(why, str)
        made = make_commitment(
            services.store, services.library, rep, self.days, self.clock(),
            kind="drill-days", number=4, motivation=why.splitlines()[0],
        )  # fmt: skip
        add_commitment(services.store, made)
        self.story.commitments += 1

    def _agreement_and_second_commitment(self) -> None:
        services, rep = self.services, self.story.rep
        vision = current_vision(services.store, rep)
        agreement = make_agreement(
            rep, self.clock(), AGREEMENT, AGREEMENT_NOTE,
            skills=services.library.skills, vision=vision,
        )  # fmt: skip
        services.store.add(agreement)
        self.story.agreements += 1
        self.clock.advance(60)
        today = self.days.day_of(self.clock())
        made = make_commitment(
            services.store, services.library, rep, self.days, self.clock(),
            kind="finish-pack", pack="objections-core", due=today + timedelta(days=35),
            motivation=str(VISION["in_2_years"]),
        )  # fmt: skip
        add_commitment(services.store, made)
        self.story.commitments += 1

    def _debrief(self, day: date, form: DebriefForm) -> None:
        self.at(day, 17, self.rng.randint(0, 40))
        add_debrief(
            self.services.store, self.services.library, self.story.rep, form,
            at=self.clock(), today=self.days.day_of(self.clock()),
        )  # fmt: skip
        self.story.debriefs += 1

    # --- drilling

    def _sitting(self, sitting: Sitting) -> None:
        scheduler = self.services.scheduler
        default_limit = self.services.config.default_time_limit
        queue = scheduler.queue()
        if not queue.new_count + queue.more_new and self._more_packs():
            queue = scheduler.queue()
        session = Session.start(scheduler, queue)
        started = self.clock()
        hit = total = 0
        while session.current is not None:
            drill = session.current.drill
            elapsed = (self.clock() - started).total_seconds()
            if elapsed + expected_seconds(drill, default_limit) > sitting.minutes * 60:
                break  # no time for another: the rest waits for tomorrow
            attempt, suggested, seconds = self.rep.answer(drill, default_limit)
            self.clock.advance(seconds)
            self.clock.advance(self.rng.uniform(*REVEAL_SECONDS))
            rating = self.rep.rate(drill, suggested)
            session.record(rating, attempt)
            self.story.ratings += 1
            self.story.drills.add(drill.uid)
            self.story.over_rated += rating > suggested
            hit += len(attempt.key_points_hit)
            total += len(drill.key_points)
        self.story.minutes += (self.clock() - started).total_seconds() / 60
        self.rep.sessions += 1
        day = self.days.day_of(started)
        before = self.story.hits.get(day, (0, 0))
        self.story.hits[day] = (before[0] + hit, before[1] + total)

    def _more_packs(self) -> bool:
        """Every drill started: the rep turns on the next pack for any product, as Today
        suggests (a longer simulation than a month gets there)."""
        prefs = self.services.prefs
        disabled = prefs.disabled_packs()
        more = [
            pack.id
            for pack in self.services.library.packs.values()
            if pack.company is None and pack.id in disabled
        ]
        if more:
            prefs.set_pack_enabled(more[0], True)
        return bool(more)

    # --- the manager, as a sync brings their ratings in

    def _one_to_one(self, day: date, number: int) -> None:
        """A role-play in the weekly 1:1, rated by the manager; in the third, a joint
        call rated on a skill instead."""
        self.at(day, 14, 30)
        scheduler = self.services.scheduler
        library = self.services.library
        if number == 2:
            skill = "discovery"
            rubric = library.rubric_for_skill(skill)
            if rubric is not None:
                criteria = [c.id for c in rubric.criteria]
                scheduler.record_manager(
                    by=MANAGER, rubric=rubric, skill=skill, context="joint-call",
                    scores=self.rep.manager_scores(None, skill, criteria), note=JOINT_CALL_NOTE,
                )  # fmt: skip
                self.story.manager_ratings += 1
            return
        skills = ("objection-handling", BLIND_SPOT, "objection-handling", "closing")
        skill = skills[number % len(skills)]
        candidates = [
            drill
            for drill in library.with_skill(skill)
            if drill.uid in self.rep.own and library.rubric_for(drill) is not None
        ]
        if not candidates:
            return
        drill = self.rep.surest(candidates)
        rubric = library.rubric_for(drill)
        assert rubric is not None
        notes = MANAGER_NOTES.get(skill, ("Good work. Let's pick this up next week.",))
        scheduler.record_manager(
            by=MANAGER, rubric=rubric, drill=drill, context="roleplay",
            scores=self.rep.manager_scores(drill, skill, [c.id for c in rubric.criteria]),
            note=notes[min(number // 2, len(notes) - 1)],
        )  # fmt: skip
        self.story.manager_ratings += 1


# --- the command line


def summary(story: Story, home: Path) -> str:
    """One paragraph: what was written, and how to open it."""
    sittings = story.sittings
    weekends = sum(1 for s in sittings if s.day.weekday() >= 5)
    holiday = (
        f", a week off from {story.holiday[0]:%d %b} to {story.holiday[1]:%d %b}"
        if story.holiday
        else ""
    )
    week_one = story.hit_share(story.first, story.first + timedelta(days=6))
    last_week = story.hit_share(story.last - timedelta(days=6), story.last)
    moved = "rose" if last_week > week_one else "went"
    hits = f"key points hit {moved} from {week_one:.0%} in the first week to {last_week:.0%}"
    hits += " in the last"
    if (story.last - story.first).days < 13:  # the weeks overlap
        hits = f"key points hit: {story.hit_share(story.first, story.last):.0%}"
    average = story.minutes / len(sittings) if sittings else 0
    records = [
        plural(story.visions, "vision"),
        plural(story.agreements, "coaching agreement"),
        plural(story.commitments, "commitment"),
        plural(story.debriefs, "debrief"),
    ]
    manager = (
        f" {plural(story.manager_ratings, 'rating')} by their manager ({MANAGER}), with "
        "notes, as a sync brings them in."
        if story.manager_ratings
        else ""
    )
    return (
        f"Wrote {plural((story.last - story.first).days + 1, 'day')} of {story.name} "
        f"({story.rep}) into {home}, {story.first:%d %b %Y} to {story.last:%d %b %Y}: "
        f"{plural(len(sittings), 'session')} ({weekends} at weekends{holiday}) of "
        f"{average:.0f} minutes on average, {plural(story.ratings, 'rating')} of "
        f"{plural(len(story.drills), 'drill')}; {hits}; "
        f"{plural(story.over_rated, 'self-rating')} above the checklist. "
        f"{', '.join(records[:-1])} and {records[-1]}.{manager} "
        f"Open it with: drillcoach --home {home}"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="simulate.py", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--home", required=True, type=Path, help="the drillcoach home to write")
    parser.add_argument("--days", type=int, default=30, help="days to simulate (default 30)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--rep-name", default="Sam Patel", help="the rep's name")
    parser.add_argument("--until", help="the last day simulated, YYYY-MM-DD (default yesterday)")
    parser.add_argument("--tz", help="the rep's time zone (default this machine's)")
    parser.add_argument("--with-manager", action="store_true",
                        help="add a few manager ratings with notes, as if synced")  # fmt: skip
    return parser.parse_args(argv)


def _until(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--until: expected a date like 2026-03-27, got {text!r}") from None


def _zone(name: str | None) -> tzinfo | None:
    if name is None:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"--tz: expected a time zone like Europe/London, got {name!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if not args.rep_name.strip():
            raise UserError("--rep-name: expected a name, like 'Sam Patel'")
        story = simulate(
            args.home,
            days=args.days,
            seed=args.seed,
            rep_name=args.rep_name.strip(),
            until=_until(args.until),
            zone=_zone(args.tz),
            with_manager=args.with_manager,
        )
    except UserError as error:
        print(f"simulate.py: {error}", file=sys.stderr)
        return 2
    print(summary(story, args.home))
    return 0


if __name__ == "__main__":
    sys.exit(main())
