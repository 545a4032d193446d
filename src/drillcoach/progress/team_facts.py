"""What a rep's row of the team summary is made of, read lean: a manager's store holds
years of every rep's ratings (a director's, 500 reps and 5.5 M events), too many to read
whole for each row. A row's figures reach back a few weeks (the last 30 days whole; 90,
through indexes, for calibration and readiness), plus what the cards kept up to date at
each sync hold (mastery, leeches, each drill's latest counting rating: the one at the
card's last review), and two facts of the older history, each one SQL query:

- the streak, when it reaches past the days read: the latest day before them without a
  self-rating, probed day by day through the time index;
- for true retention, whether each drill rated in the last 30 days was in review state
  before them: by ``in_review_after`` that is decided by its last counting rating other
  than Hard (Again: not in review; Good or Easy: in review), found through the drill
  index.

The figures are then computed by the functions the rep's summary uses (practice.py,
skills.py, packs.py; calibration's rule counted by SQLite), so a row equals what
``row_facts`` reads off the rep's whole summary: tests/test_team_facts.py checks it on
random histories. Hundreds of reps are read by a process per processor (apart.py)."""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

from drillcoach.coaching.view import shared_view
from drillcoach.coaching.vision import vision_headline
from drillcoach.config import Config
from drillcoach.content import Drill, Library
from drillcoach.events import ManagerRating, Vision
from drillcoach.prefs import Prefs
from drillcoach.progress.calibration import SkillCalibration, widest_first
from drillcoach.progress.history import Counted, Own, counting_by_drill, own_ratings
from drillcoach.progress.model import (
    CALIBRATION_DAYS,
    HONESTY_DAYS,
    READY_DAYS,
    RETENTION_DAYS,
    TEAM_DAYS,
    TREND_DAYS,
    TREND_DAYS_DRILLED,
    TREND_RATING,
    ChecklistHonesty,
    PackProgress,
    RepSummary,
    Retention,
    Trend,
)
from drillcoach.progress.packs import pack_progress
from drillcoach.progress.practice import drills_per_day, in_review_after, true_retention
from drillcoach.progress.skills import honesty, skill_order, skill_title
from drillcoach.scheduling.cards import CardBook
from drillcoach.scheduling.cardstate import mastered
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.personal import memory_for
from drillcoach.scheduling.queue import earliest_per_pack, my_assignments, queue_pack_ids
from drillcoach.scheduling.rules import GOOD, HARD, LEECH_LAPSES, counting
from drillcoach.store import Store
from drillcoach.store.encoding import micros, moment
from drillcoach.store.history import self_rating_rows
from drillcoach.team.workspace import Member

RECENT_DAYS = max(TEAM_DAYS, 2 * TREND_DAYS, RETENTION_DAYS, HONESTY_DAYS)  # read whole
MANAGER_DAYS = max(READY_DAYS, CALIBRATION_DAYS, RECENT_DAYS)  # the manager's ratings read
_LIVE = "NOT EXISTS (SELECT 1 FROM undos u WHERE u.rating = r.id)"


class CardFacts(NamedTuple):
    """What a row reads of a kept card (store/cards.py), lean."""

    uid: str
    phase: int
    stability: float | None
    lapses: int
    last_review: int | None  # whole microseconds

    @property
    def is_mastered(self) -> bool:
        return mastered(self.phase, self.stability)

    @property
    def is_leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES


class Mine(NamedTuple):
    """A self-rating as calibration reads it (calibration.OwnRating), leaner than Own."""

    id: int
    drill_uid: str
    skill: str
    rating: int


@dataclass(frozen=True)
class SkillStanding:
    """A skill of the packs feeding the rep's queue: its drills, those mastered, and the
    mean of each rated drill's latest counting rating (None: none rated)."""

    skill: str
    title: str
    total: int
    mastered: int
    latest_mean: float | None


@dataclass(frozen=True)
class WidestCalibration:
    skill: str
    gap: float


@dataclass(frozen=True)
class RowFacts:
    """Everything a rep's row shows, from the lean read or off their whole summary."""

    rep: str
    name: str
    last_drilled: date | None
    streak: int
    recent: tuple[int, ...]  # drills rated each of the last RECENT_DAYS days, today last
    rating_trend: Trend
    packs: tuple[PackProgress, ...]
    retention: Retention
    skills: tuple[SkillStanding, ...]
    calibration: WidestCalibration | None  # the widest gap; None: nothing to compare
    honesty: ChecklistHonesty
    leeches: int
    inbox: int
    vision_shared: bool
    vision: str | None


def row_facts(
    summary: RepSummary,
    *,
    last_drilled: date | None,
    rating_trend: Trend,
    inbox: int,
    vision_shared: bool,
    vision: str | None,
) -> RowFacts:
    """A row's facts read off the rep's whole summary (the one computation the lean read
    must equal), with what the summary does not hold."""
    above = sum(item.above for item in summary.honesty)
    rated = sum(item.rated for item in summary.honesty)
    widest = summary.calibration[0] if summary.calibration else None  # widest first
    return RowFacts(
        rep=summary.rep,
        name=summary.name,
        last_drilled=last_drilled,
        streak=summary.habit.current_streak,
        recent=tuple(drills for _, drills in summary.habit.calendar[-RECENT_DAYS:]),
        rating_trend=rating_trend,
        packs=summary.packs,
        retention=summary.retention,
        skills=tuple(
            SkillStanding(s.skill, s.title, s.total, s.mastered, s.latest_mean)
            for s in summary.skills
        ),
        calibration=WidestCalibration(widest.skill, widest.gap) if widest else None,
        honesty=ChecklistHonesty(above, rated, above / rated if rated else None),
        leeches=len(summary.ahead.leeches),
        inbox=inbox,
        vision_shared=vision_shared,
        vision=vision,
    )


def vision_of(store: Store, rep: str) -> tuple[bool, str | None]:
    """Whether the rep shares their vision with their manager, and its headline if so."""
    shares = shared_view(store, rep).vision
    vision = store.latest_coaching(rep, Vision) if shares else None
    return shares, vision_headline(vision, whose="") if vision is not None else None


class TeamReader:
    """Reads reps' row facts from a manager's store as of ``now``: what is the same for
    every rep (the day boundaries, renames, packs turned off, assignments) worked out once."""

    def __init__(
        self, store: Store, library: Library, config: Config, days: Days, now: datetime
    ) -> None:
        if now.tzinfo is None:
            raise ValueError("now: expected a timezone-aware datetime")
        self.store = store
        self.library = library
        self.config = config
        self.days = days
        self.now = now
        self.today = days.day_of(now)
        first = self.today - timedelta(days=RECENT_DAYS - 1)
        self.recent_start_day = first
        self.recent_start = days.start_of(first)
        self.manager_start = days.start_of(self.today - timedelta(days=MANAGER_DAYS - 1))
        self.aliases: dict[str, str] = {}  # old uid -> current, as the cards book has it
        self._book: CardBook | None = None
        self.disabled = Prefs(store, library).disabled_packs()
        self.assignments = store.assignments()
        self.names = {int(n): str(name) for n, name in store.tuples("SELECT id, name FROM names")}
        self.numbers = {name: number for number, name in self.names.items()}
        self._days_before: list[tuple[int, int, int]] = []  # newest first: see _older
        self._days_sql = ""
        self._facts: dict[str, RowFacts] = {}  # by member id, read by this reader
        self.read_apart = 0  # reps read by processes of their own (progress/apart.py)

    # --- one rep

    def facts_of(self, members: Sequence[Member]) -> dict[str, RowFacts]:
        """The facts of ``members`` by member id, each rep read once per reader (their
        inbox left at 0: it depends on who looks). Many reps are read by a process per
        processor, each on a read-only connection of its own, their cards first brought
        up to date here (the one writer)."""
        wanted = [member for member in members if member.id not in self._facts]
        workers = min(processors(), len(wanted) // PARALLEL_FROM)
        if workers > 1 and not self.store.readonly:
            for member in wanted:
                self._book_of(member.id).ready()
            from drillcoach.progress.apart import read_apart

            try:
                found = read_apart([
                    (self.store.path, self.library, self.config, self.days,
                     self.now, wanted[start::workers])
                    for start in range(workers)
                ])  # fmt: skip
            except (OSError, RuntimeError, pickle.PickleError):
                found = {}  # no process could be started or answer: all read here, slower
            self._facts.update(found)
            self.read_apart += len(found)
        for member in wanted:
            if member.id not in self._facts:
                self._facts[member.id] = self.facts(member)
        return {member.id: self._facts[member.id] for member in members}

    def _book_of(self, rep: str) -> CardBook:
        memory = memory_for(self.store, self.config, rep)  # each rep's own parameters
        return CardBook(self.store, self.library, rep, self.days, lambda: self.now, memory)

    def facts(self, member: Member) -> RowFacts:
        """One rep's facts, read in this process."""
        rep = member.id
        today = self.today
        book = self._book_of(rep)
        book.ready()  # (it may adopt a rename: its aliases after)
        self.aliases, self._book = book.aliases, book
        cards = self._cards(rep)
        own = own_ratings(
            self_rating_rows(
                self.store, rep, until=self.now, since=self.recent_start, names=self.names
            ),
            self.aliases,
            self.days,
        )
        managers = self._managers(rep)
        manager_days = [self.days.day_of(rating.at).toordinal() for rating in managers]
        assigned = earliest_per_pack(my_assignments(self.assignments, rep))
        pack_ids = queue_pack_ids(self.library, self.disabled, assigned)
        scope = [d for pack_id in pack_ids for d in self.library.packs[pack_id].drills]
        per_day = drills_per_day(own)
        last = today.toordinal()
        recent = tuple(per_day.get(day, 0) for day in range(last - RECENT_DAYS + 1, last + 1))
        by_drill = counting_by_drill(own, managers, manager_days)
        retention = self._retention(rep, by_drill, book.memory.desired_retention)
        checked = honesty(self.library, own, today)
        above = sum(item.above for item in checked)
        rated = sum(item.rated for item in checked)
        shares, vision = vision_of(self.store, rep)
        return RowFacts(
            rep=rep,
            name=member.name,
            last_drilled=self._last_drilled(rep, own),
            streak=self._streak(rep, per_day),
            recent=recent,
            rating_trend=rating_trend(by_drill, today),
            packs=pack_progress(
                self.library,
                pack_ids,
                assigned,
                cards,
                managers,
                manager_days,
                today,
                ready_stability=self.config.ready_stability_days,
                ready_score=self.config.ready_manager_score,
            ),
            retention=retention,
            skills=self._skills(rep, scope, cards, by_drill),
            calibration=self._calibration(rep, managers, manager_days),
            honesty=ChecklistHonesty(above, rated, above / rated if rated else None),
            leeches=self._leeches(rep, scope, cards),
            inbox=0,
            vision_shared=shares,
            vision=vision,
        )

    def _cards(self, rep: str) -> dict[str, CardFacts]:
        rows = self.store.tuples(
            "SELECT drill, phase, stability, lapses, last_review FROM cards WHERE rep = ?", (rep,)
        )
        return {row[0]: CardFacts(*row) for row in rows}

    def _managers(self, rep: str) -> list[ManagerRating]:
        """The manager's ratings of the last MANAGER_DAYS days up to now, renames followed."""
        return [
            replace(rating, drill_uid=self.aliases[rating.drill_uid])
            if rating.drill_uid in self.aliases
            else rating
            for rating in self.store.manager_ratings(rep, since=self.manager_start)
            if rating.at <= self.now
        ]

    # --- the habit

    def _last_drilled(self, rep: str, own: Sequence[Own]) -> date | None:
        if own:
            return date.fromordinal(own[-1].day)
        rows = self.store.tuples(
            "SELECT r.at FROM ratings r WHERE r.rep = (SELECT id FROM names WHERE name = ?) "
            f"AND r.manager = 0 AND r.at <= ? AND {_LIVE} ORDER BY r.at DESC LIMIT 1",
            (rep, micros(self.now)),
        )
        return self.days.day_of(moment(rows[0][0])) if rows else None

    def _streak(self, rep: str, per_day: Mapping[int, int]) -> int:
        """Drilling days in a row up to today (or yesterday, until today ends), as
        ``habit.streak`` counts them; past the days read, from the store."""
        last = self.today.toordinal()
        day = last if per_day.get(last) else last - 1
        count = 0
        first_read = last - RECENT_DAYS + 1
        while day >= first_read and per_day.get(day):
            count += 1
            day -= 1
        if day >= first_read:
            return count  # a day without drilling among the days read
        days_sql = self._older(rep)
        if days_sql is None:
            return count  # no self-rating before the days read
        rows = self.store.tuples(
            f"WITH d(day, start, end) AS (VALUES {days_sql}) SELECT max(d.day) FROM d WHERE "
            "NOT EXISTS (SELECT 1 FROM ratings r WHERE r.rep = (SELECT id FROM names WHERE "
            f"name = ?) AND r.manager = 0 AND r.at >= d.start AND r.at < d.end AND {_LIVE})",
            (rep,),
        )
        return count + (first_read - 1 - int(rows[0][0]))

    def _older(self, rep: str) -> str | None:
        """The drilling days before those read, back to the day before the rep's first
        self-rating at least, as SQL values (day, start, end): the same text for every rep
        while no rep started earlier, so SQLite prepares the streak's query once. None: the
        rep has no self-rating before the days read."""
        rows = self.store.tuples(
            "SELECT min(r.at) FROM ratings r WHERE r.rep = (SELECT id FROM names WHERE "
            "name = ?) AND r.manager = 0",
            (rep,),
        )
        if not rows or rows[0][0] is None or rows[0][0] >= micros(self.recent_start):
            return None
        first = (self.days.day_of(moment(rows[0][0])) - timedelta(days=1)).toordinal()
        known = self._days_before
        if not known or known[-1][0] > first:
            day = date.fromordinal(known[-1][0]) if known else self.recent_start_day
            end = known[-1][1] if known else micros(self.recent_start)
            while day.toordinal() > first:
                day -= timedelta(days=1)
                start = micros(self.days.start_of(day))
                known.append((day.toordinal(), start, end))
                end = start
            self._days_sql = ", ".join(f"({day}, {start}, {end})" for day, start, end in known)
        return self._days_sql

    # --- true retention

    def _retention(
        self, rep: str, by_drill: Mapping[str, Sequence[Counted]], desired: float
    ) -> Retention:
        """True retention over the last RETENTION_DAYS days: the counting ratings of
        those days, each drill starting in review state or not as its older history left
        it (``_carried``), beside the rep's ``desired`` retention."""
        since = self.today.toordinal() - RETENTION_DAYS + 1
        window = {
            uid: kept
            for uid, ratings in by_drill.items()
            if (kept := [counted for counted in ratings if counted.day >= since])
        }
        return true_retention(
            window, self.today, desired, carried=self._carried(rep, sorted(window))
        )

    def _carried(self, rep: str, uids: Sequence[str]) -> dict[str, bool]:
        """Per drill of ``uids``, whether it was in review state before the retention
        window: its last counting rating before then other than Hard was Good or Easy. A
        self-rating found on a day the manager also rated the drill did not count; that
        drill's older history is then counted in full."""
        if not uids:
            return {}
        start = self.days.start_of(self.today - timedelta(days=RETENTION_DAYS - 1))
        names = {uid: self._history(uid) for uid in uids}
        ids = {name: self.numbers[name] for found in names.values() for name in found
               if name in self.numbers}  # fmt: skip
        if not ids:
            return {}
        # each drill's latest rating before then other than Hard, packed in one number
        rows = self.store.tuples(
            "SELECT d.value, (SELECT r.at * 16 + r.rating * 2 + r.manager FROM ratings r "
            "INDEXED BY ratings_by_drill WHERE r.rep = ? AND r.drill = d.value AND r.at < ? "
            f"AND r.rating != {HARD} AND {_LIVE} ORDER BY r.at DESC, r.id DESC LIMIT 1) "
            "FROM json_each(?) d",
            (self.numbers.get(rep), micros(start), json.dumps(sorted(ids.values()))),
        )
        latest: dict[str, tuple[int, int, int]] = {}  # uid -> (at, rating, by the manager)
        for drill, packed in rows:
            if packed is None:
                continue
            at, rating, manager = packed // 16, packed % 16 // 2, packed % 2
            name = self.names[drill]
            uid = self.aliases.get(name, name)
            if uid not in latest or at > latest[uid][0]:
                latest[uid] = (at, rating, manager)
        rated = self._manager_ratings_before(rep, start, {uid for uid, (_, _, by) in latest.items()
                                                          if not by})  # fmt: skip
        carried = {}
        for uid, (at, rating, manager) in latest.items():
            if not manager and self._same_day(at, rated.get(uid, ())):
                carried[uid] = self._in_review_before(rep, uid, start)
            else:
                carried[uid] = rating >= GOOD
        return carried

    def _manager_ratings_before(
        self, rep: str, start: datetime, uids: set[str]
    ) -> dict[str, list[int]]:
        """uid -> when the manager rated it before ``start`` (whole micros), of ``uids``."""
        rows = self.store.tuples(
            "SELECT r.drill, r.at FROM ratings r WHERE r.rep = ? AND r.manager = 1 AND "
            f"r.drill IS NOT NULL AND r.at < ? AND {_LIVE}",
            (self.numbers.get(rep), micros(start)),
        )
        found: dict[str, list[int]] = {}
        for drill, at in rows:
            name = self.names[drill]
            uid = self.aliases.get(name, name)
            if uid in uids:
                found.setdefault(uid, []).append(at)
        return found

    def _same_day(self, at: int, others: Sequence[int]) -> bool:
        """Whether any of ``others`` is on the drilling day of ``at`` (all whole micros)."""
        near = [other for other in others if abs(other - at) < _TWO_DAYS]
        return bool(near) and self._day(at) in {self._day(other) for other in near}

    def _day(self, at: int) -> int:
        return self.days.day_of(moment(at)).toordinal()

    def _in_review_before(self, rep: str, uid: str, start: datetime) -> bool:
        """From the drill's whole older history: the rare case the query cannot settle."""
        in_review = False
        events = self.store.ratings(rep, self._history(uid), before=start)
        for event in counting(events, self.days):
            in_review = in_review_after(in_review, event.rating)
        return in_review

    # --- skills, packs, leeches, calibration

    def _skills(
        self,
        rep: str,
        scope: Sequence[Drill],
        cards: Mapping[str, CardFacts],
        by_drill: Mapping[str, Sequence[Counted]],
    ) -> tuple[SkillStanding, ...]:
        """As ``skill_progress`` has them: each drill's latest counting rating is the one
        at its card's last review (the card has every counting rating up to then)."""
        latest = self._latest_ratings(rep, cards, by_drill)
        by_skill: dict[str, list[Drill]] = {}
        for drill in scope:
            by_skill.setdefault(drill.skill, []).append(drill)
        found = []
        for skill in skill_order(self.library, by_skill):
            drills = by_skill[skill]
            states = [cards[drill.uid] for drill in drills if drill.uid in cards]
            ratings = [latest[drill.uid] for drill in drills if drill.uid in latest]
            found.append(
                SkillStanding(
                    skill=skill,
                    title=skill_title(self.library, skill),
                    total=len(drills),
                    mastered=sum(state.is_mastered for state in states),
                    latest_mean=sum(ratings) / len(ratings) if ratings else None,
                )
            )
        return tuple(found)

    def _latest_ratings(
        self, rep: str, cards: Mapping[str, CardFacts], by_drill: Mapping[str, Sequence[Counted]]
    ) -> dict[str, int]:
        """uid -> the latest counting rating up to now, of every drill with a card: the
        last of ``by_drill`` when it is of the days read whole (none can be later), else
        the one at the card's last review (the card has every counting rating to then)."""
        first = self.recent_start_day.toordinal()
        latest = {uid: found[-1].rating for uid, found in by_drill.items()
                  if found and found[-1].day >= first}  # fmt: skip
        older = [uid for uid in cards if uid not in latest]
        rows = self.store.tuples(
            "SELECT c.drill, (SELECT r.rating FROM ratings r INDEXED BY ratings_by_drill "
            "WHERE r.rep = ? AND r.drill = (SELECT id FROM names WHERE name = c.drill) AND "
            f"r.at = c.last_review AND {_LIVE} ORDER BY r.manager DESC LIMIT 1) FROM cards c "
            "WHERE c.rep = ? AND c.drill IN (SELECT value FROM json_each(?)) AND "
            "c.last_review <= ?",
            (self.numbers.get(rep), rep, json.dumps(older), micros(self.now)),
        )  # the manager's, if both: it counts
        latest.update((drill, rating) for drill, rating in rows if rating is not None)
        for uid in older:
            if uid not in latest and cards[uid].last_review is not None:
                found = self._latest_counting(rep, uid)  # renamed, or rated ahead of now
                if found is not None:
                    latest[uid] = found
        return latest

    def _latest_counting(self, rep: str, uid: str) -> int | None:
        events = self.store.ratings(rep, self._history(uid), before=self.now + _MICRO)
        scheduling = counting(events, self.days)
        return scheduling[-1].rating if scheduling else None

    def _leeches(self, rep: str, scope: Sequence[Drill], cards: Mapping[str, CardFacts]) -> int:
        actions = self.store.drill_actions(rep)
        suspended = {self.aliases.get(uid, uid) for uid, a in actions.items()
                     if a.action == "suspend"}  # fmt: skip
        in_scope = {drill.uid for drill in scope} - suspended
        return sum(1 for uid in in_scope if (state := cards.get(uid)) and state.is_leech)

    def _calibration(
        self, rep: str, managers: Sequence[ManagerRating], manager_days: Sequence[int]
    ) -> WidestCalibration | None:
        """The widest gap of ``calibration`` (progress/calibration.py) over the last
        CALIBRATION_DAYS days, its rule counted by SQLite: the manager's ratings of those
        days, each beside the rep's self-ratings of those days of the same work (the drill
        rated, or any drill of the skill rated on a joint call), each self-rating once per
        skill; a manager's rating with no such self-rating is left out."""
        since = self.today.toordinal() - CALIBRATION_DAYS + 1
        recent = [rating for rating, day in zip(managers, manager_days, strict=True)
                  if day >= since]  # fmt: skip
        if not recent:
            return None
        keys: dict[tuple[str | None, str], int] = {}  # (drill or None, skill) -> its number
        values: list[tuple[int, str, int | None, int | None]] = []
        for rating in recent:
            key = (rating.drill_uid, rating.skill)
            if key in keys:
                continue
            number = keys[key] = len(keys)
            if rating.drill_uid is None:
                values.append((number, rating.skill, None, self.numbers.get(rating.skill)))
            else:
                names = [name for name in self._history(rating.drill_uid) if name in self.numbers]
                values += [(number, rating.skill, self.numbers[name], None) for name in names]
        if not values:
            return None
        start, end = micros(self.days.start_of(date.fromordinal(since))), micros(self.now)
        rows = self.store.tuples(
            "WITH keys(k, s, drill, skill) AS MATERIALIZED (SELECT value ->> 0, value ->> 1, "
            "value ->> 2, value ->> 3 FROM json_each(?)), hits(k, s, id, rating) AS ("
            "SELECT k.k, k.s, r.id, r.rating FROM keys k JOIN ratings r INDEXED BY "
            "ratings_by_drill ON r.rep = ? AND r.drill = k.drill AND r.at BETWEEN ? AND ? "
            f"WHERE k.drill IS NOT NULL AND r.manager = 0 AND {_LIVE} UNION ALL "
            "SELECT k.k, k.s, r.id, r.rating FROM ratings r JOIN keys k ON k.skill = r.skill "
            "WHERE r.rep = ? AND r.at BETWEEN ? AND ? AND r.skill IN (SELECT skill FROM keys) "
            f"AND r.manager = 0 AND {_LIVE}) "
            "SELECT 0, k, count(*), 0 FROM hits GROUP BY k UNION ALL "
            "SELECT 1, s, count(*), sum(rating) FROM (SELECT DISTINCT s, id, rating FROM hits) "
            "GROUP BY s",
            (json.dumps(values), self.numbers.get(rep), start, end,
             self.numbers.get(rep), start, end),
        )  # fmt: skip
        matched = {key for kind, key, _, _ in rows if kind == 0}
        own = {skill: (count, total) for kind, skill, count, total in rows if kind == 1}
        rated: dict[str, list[int]] = {}
        for rating in recent:
            if keys[(rating.drill_uid, rating.skill)] in matched:
                rated.setdefault(rating.skill, []).append(rating.rating)
        compared = widest_first([
            SkillCalibration(skill, own[skill][1] / own[skill][0], sum(found) / len(found),
                             own[skill][0], len(found))
            for skill, found in rated.items()
        ])  # fmt: skip
        return WidestCalibration(compared[0].skill, compared[0].gap) if compared else None

    # --- names

    def _history(self, uid: str) -> tuple[str, ...]:
        assert self._book is not None
        return self._book.history_uids(uid)


PARALLEL_FROM = 100  # reps a process: fewer are read sooner than a process starts


def processors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_MICRO = timedelta(microseconds=1)
_TWO_DAYS = 2 * 86_400_000_000  # micros: a drilling day is never longer (25 hours at most)


# --- trends: the last TREND_DAYS drilling days against the TREND_DAYS before


def trend(recent: float | None, before: float | None, step: float) -> Trend:
    """Up when ``recent`` is ``step`` or more above ``before``, down when as far below,
    steady between; no direction when either is missing."""
    if recent is None or before is None:
        return Trend(recent, before, None)
    if recent - before >= step:
        return Trend(recent, before, "up")
    if before - recent >= step:
        return Trend(recent, before, "down")
    return Trend(recent, before, "steady")


def days_trend(calendar: Sequence[int]) -> Trend:
    """Days drilled, from the summary's calendar (drills a day, today last)."""
    recent = sum(1 for drills in calendar[-TREND_DAYS:] if drills)
    before = sum(1 for drills in calendar[-2 * TREND_DAYS : -TREND_DAYS] if drills)
    return trend(recent, before, TREND_DAYS_DRILLED)


def rating_trend(by_drill: Mapping[str, Sequence[Counted]], today: date) -> Trend:
    """The mean of the ratings that count for scheduling (the rep's own, the manager's on
    a day they rated the drill), 1 Again to 4 Easy."""
    last = today.toordinal()
    recent_from = last - TREND_DAYS + 1
    before_from = recent_from - TREND_DAYS
    recent: list[int] = []
    before: list[int] = []
    for ratings in by_drill.values():
        for counted in ratings:
            if recent_from <= counted.day <= last:
                recent.append(counted.rating)
            elif before_from <= counted.day < recent_from:
                before.append(counted.rating)
    return trend(_mean(recent), _mean(before), TREND_RATING)


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None
