"""How a commitment is going: each week, month or stretch to its date judged from what
the rep did.

Drilling days start at ``config.day_starts_at`` local time (``Days``), so a rating at
03:30 counts for the day before when days start at 04:00. Weeks start on Monday.

A commitment is judged per period: a week for "drill-days" and "debrief-calls", a
calendar month for "manager-ratings", and for "finish-pack" and "own" the one stretch
from the day it was made to its date. Within the period now running:

- **kept**: the number is met (days drilled, debriefs logged, role-plays rated, every
  drill of the pack rated at least once, the rep's own one ticked off);
- **at risk**: not met yet, and it takes every chance left to still meet it: for
  drill-days the days left in the week, today included unless already drilled today; for
  debrief-calls the working days (Monday to Friday) left, today included; for
  manager-ratings the weeks left in the month, this one included; for finish-pack the
  days left to the date, today included, drilling a full day's new drills
  (``new_per_day``) each; for an own commitment with a date, its last two days;
- **missed**: the period ended without it, its date passed, or (drill-days only) too few
  days are left in the week to still make it;
- **on track**: otherwise.

Fairness: the period a commitment is made in counts against the rep only if, when they
made it, it was on track (a "drill 4 days a week" made on a Friday needs four days the
week has not got). Such a first period is a run-up: kept, it counts as kept; not, it is
not held against anyone, and its state says so ("starting").

A weekly or monthly commitment with a date runs up to the end of the period holding that
date. A commitment ends when it is done (own ones), dropped, settled (a pack finished or
its date passed) or has run its course; it stays on the list through the week after, so
Today and the 1:1 can still say how it went.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, TypeAlias

from drillcoach.content import Library
from drillcoach.dates import written
from drillcoach.events import (
    LIVE_CONTEXTS,
    Commitment,
    CommitmentKind,
    CommitmentUpdate,
    Debrief,
    ManagerRating,
    short_id,
)
from drillcoach.scheduling.days import Days
from drillcoach.store import Store
from drillcoach.text import plural

Outcome: TypeAlias = Literal["kept", "missed"]
State: TypeAlias = Literal[
    "kept", "on-track", "at-risk", "missed", "starting", "done", "dropped", "unknown"
]

DEFAULT_NEW_PER_DAY = 5  # config's default, for a manager who does not know the rep's
UNSEEN_WORDS = {"debrief-calls": "debriefs", "drill-days": "drilling days"}


@dataclass(frozen=True)
class Period:
    """One judged week, month or stretch to a date, and how it ended."""

    start: date
    end: date  # its last day (a Sunday, a month's last day), or the day it was settled
    outcome: Outcome
    done: int  # days drilled, debriefs, role-plays rated, drills started (own: 1 or 0)
    target: int


@dataclass(frozen=True)
class CommitmentStatus:
    commitment: Commitment
    state: State
    progress: str  # e.g. "3 of 4 days this week, 2 days left"
    last_week: Outcome | None  # how the period that ended last week went (None: none did)
    history: tuple[Period, ...] = ()  # the judged periods that ended, oldest first
    ended: date | None = None  # the day it ended; None while it runs
    count: tuple[int, int] | None = None  # (done, target) of the period running (not own)

    @property
    def short_id(self) -> str:
        return short_id(self.commitment.id)


def judge_commitments(
    store: Store,
    library: Library,
    rep: str,
    days: Days,
    now: datetime,
    new_per_day: int,
    *,
    ended_since: date | None = None,
    hidden: Collection[CommitmentKind] = (),
) -> list[CommitmentStatus]:
    """The commitments the rep made, with how each is going, newest first; with
    ``ended_since``, only those that may not have ended before that day (the others are
    not judged: what they ask is not read). ``hidden``: the kinds whose evidence the one
    looking cannot see (a manager, of a rep who shares commitments but not debriefs):
    "unknown", never judged on what is missing."""
    ended_by = updates(store, rep)
    made = [
        c
        for c in store.coaching(rep, Commitment, by=rep)
        if ended_since is None or not _ended_before(c, ended_by.get(c.id), days, ended_since)
    ]
    evidence = _Evidence(store, library, rep, days, made, days.day_of(now))
    judge = _Judge(days, now, evidence, new_per_day)
    return [
        judge.unseen(c, ended_by.get(c.id))
        if c.kind in hidden
        else judge.status(c, ended_by.get(c.id), library)
        for c in reversed(made)
    ]


def _ended_before(c: Commitment, update: CommitmentUpdate | None, days: Days, day: date) -> bool:
    """Whether the commitment was done or dropped, or ran out, before ``day``."""
    if update is not None and days.day_of(update.at) < day:
        return True
    if c.due is None:
        return False
    last = {"drill-days": _week, "debrief-calls": _week, "manager-ratings": _month}.get(c.kind)
    return (last(c.due)[1] if last else c.due) < day


def updates(store: Store, rep: str) -> dict[str, CommitmentUpdate]:
    """Commitment id -> the update that ended it (the first; later ones change nothing)."""
    found: dict[str, CommitmentUpdate] = {}
    for update in store.coaching(rep, CommitmentUpdate, by=rep):
        found.setdefault(update.of, update)
    return found


def first_ratings(store: Store, library: Library, rep: str, pack_id: str) -> list[datetime]:
    """When each drill of the pack was first rated (self or manager), for those that were."""
    drills = library.packs[pack_id].drills
    uids = [uid for drill in drills for uid in drill.history_uids()]
    first: dict[str, datetime] = {}
    for rating in store.ratings(rep, uids):
        first.setdefault(rating.drill_uid or "", rating.at)
    found = []
    for drill in drills:
        moments = [first[uid] for uid in drill.history_uids() if uid in first]
        if moments:
            found.append(min(moments))
    return found


def kept_ratio(statuses: Iterable[CommitmentStatus], since: date | None = None) -> tuple[int, int]:
    """(kept, judged): the weeks, months and dated commitments that ended (since
    ``since``) and how many of them were kept. Give it ``commitment_statuses(every=True)``."""
    ended = [p for s in statuses for p in s.history if since is None or p.end >= since]
    return sum(p.outcome == "kept" for p in ended), len(ended)


def against_commitment(
    statuses: Iterable[CommitmentStatus], kind: CommitmentKind, since: date
) -> tuple[int, int]:
    """(done, committed) over the judged periods of ``kind`` that started since
    ``since``: days drilled against days committed, debriefs logged against debriefs
    promised. Give it ``commitment_statuses(every=True)``."""
    periods = [
        p for s in statuses if s.commitment.kind == kind for p in s.history if p.start >= since
    ]
    return sum(min(p.done, p.target) for p in periods), sum(p.target for p in periods)


def _week(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _month(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _counts_as_roleplay(rating: ManagerRating) -> bool:
    """A role-play rated by the manager: a drill seen live, or a skill seen in a role-play
    (an answer sent for review is not one)."""
    if rating.drill_uid is not None:
        return rating.context in LIVE_CONTEXTS
    return rating.context == "roleplay"


class _Evidence:
    """What the rep did since the first period of the commitments judged, read once per
    kind that asks for it."""

    def __init__(
        self,
        store: Store,
        library: Library,
        rep: str,
        days: Days,
        made: Sequence[Commitment],
        today: date,
    ) -> None:
        self.store = store
        self.library = library
        self.rep = rep
        self.days = days
        self.today = today
        self.first: dict[str, date] = {}  # kind -> the first day of its first period
        for c in made:
            start = (_month if c.kind == "manager-ratings" else _week)(days.day_of(c.at))[0]
            self.first[c.kind] = min(start, self.first.get(c.kind, start))
        self._kept: dict[str, list[datetime] | None] = {}

    def moments(self, commitment: Commitment) -> list[datetime] | None:
        """When the rep did what the commitment counts (each drilling, debrief, role-play
        rated, drill of the pack first rated); None for a pack not loaded here."""
        key = commitment.kind if commitment.kind != "finish-pack" else f"pack:{commitment.pack}"
        if key not in self._kept:
            self._kept[key] = self._read(commitment)
        return self._kept[key]

    def _read(self, commitment: Commitment) -> list[datetime] | None:
        store, rep = self.store, self.rep
        since = self.days.start_of(self.first.get(commitment.kind, self.today))
        if commitment.kind == "drill-days":
            return self._drilling_days()
        if commitment.kind == "debrief-calls":
            return [d.at for d in store.coaching(rep, Debrief, since=since, by=rep)]
        if commitment.kind == "manager-ratings":
            found = store.manager_ratings(rep, since=since)
            return [r.at for r in found if _counts_as_roleplay(r)]
        if commitment.kind == "finish-pack":
            if commitment.pack not in self.library.packs:
                return None
            return sorted(first_ratings(store, self.library, rep, commitment.pack))
        return []

    def _drilling_days(self) -> list[datetime]:
        """The start of each day the rep drilled: one indexed probe a day, however many
        ratings a day holds. A day's start stands for every rating in it; for what is
        judged (days drilled, and whether today or the day it was made is drilled yet)
        that is the same as the ratings' own times."""
        days = self.days
        day = self.first.get("drill-days", self.today)
        found = []
        start = days.start_of(day)
        while day <= self.today:
            end = days.start_of(day + timedelta(days=1))
            if self.store.self_rated_between(self.rep, start, end):
                found.append(start)
            day, start = day + timedelta(days=1), end
        return found


@dataclass(frozen=True)
class _Span:
    """A period being judged: its days and its number."""

    start: date
    end: date
    target: int
    first: bool = False  # the period the commitment was made in


class _Judge:
    def __init__(self, days: Days, now: datetime, evidence: _Evidence, new_per_day: int) -> None:
        self.days = days
        self.now = now
        self.today = days.day_of(now)
        self.evidence = evidence
        self.new_per_day = max(1, new_per_day)

    # --- what counts, as of a moment

    def done(
        self, c: Commitment, moments: Sequence[datetime], span: _Span, before: datetime
    ) -> int:
        """How many count in the period before ``before`` (``moments`` are in time order):
        distinct days for drill-days, each one for the others; for finish-pack the drills
        first rated before then, whenever it was."""
        if c.kind == "finish-pack":
            return bisect_left(moments, before)
        low = bisect_left(moments, self.days.start_of(span.start))
        high = bisect_left(moments, min(before, self.days.start_of(span.end + timedelta(days=1))))
        if c.kind == "drill-days":
            return len({self.days.day_of(moment) for moment in moments[low:high]})
        return high - low

    def chances(self, c: Commitment, span: _Span, as_of: date, drilled_that_day: bool) -> int:
        """The chances left to still meet it, ``as_of`` included (see the module's doc)."""
        left = (span.end - as_of).days + 1
        if c.kind == "drill-days":
            return left - drilled_that_day
        if c.kind == "debrief-calls":
            return sum((as_of + timedelta(days=n)).weekday() < 5 for n in range(left))
        if c.kind == "manager-ratings":
            return (span.end - _week(as_of)[0]).days // 7 + 1
        return left

    def state(self, c: Commitment, done: int, target: int, chances: int) -> State:
        if done >= target:
            return "kept"
        needed = target - done
        if c.kind == "finish-pack":
            needed = math.ceil(needed / self.new_per_day)  # days of new drills
        elif c.kind == "own":
            needed = 2  # its last two days
        if c.kind == "drill-days" and needed > chances:
            return "missed"
        return "at-risk" if needed >= chances else "on-track"

    def as_of(
        self, c: Commitment, moments: Sequence[datetime], span: _Span, moment: datetime
    ) -> tuple[int, State, int]:
        """How far the period got by ``moment``, its state then, and the chances left."""
        done = self.done(c, moments, span, moment)
        day = self.days.day_of(moment)
        # drilled that day already: drilling again adds no day
        drilled = c.kind == "drill-days" and bisect_left(
            moments, self.days.start_of(day)
        ) < bisect_left(moments, moment)
        chances = self.chances(c, span, day, drilled)
        return done, self.state(c, done, span.target, chances), chances

    # --- one commitment

    def status(
        self, c: Commitment, update: CommitmentUpdate | None, library: Library
    ) -> CommitmentStatus:
        if c.kind in ("drill-days", "debrief-calls", "manager-ratings"):
            return self.periodic(c, update)
        if c.kind == "finish-pack":
            return self.finish_pack(c, update, library)
        return self.own(c, update)

    def periodic(self, c: Commitment, update: CommitmentUpdate | None) -> CommitmentStatus:
        """A weekly or monthly commitment: each period since it was made, judged."""
        monthly = c.kind == "manager-ratings"
        period = _month if monthly else _week
        unit = "month" if monthly else "week"
        moments = self.evidence.moments(c) or []
        made = self.days.day_of(c.at)
        stop = self.days.day_of(update.at) if update else None
        last = period(c.due)[0] if c.due else None
        target = c.number or 1
        history: list[Period] = []
        running: _Span | None = None
        start, end = period(made)
        first = _Span(start, end, target, first=True)
        # the period it was made in counts against the rep only if it was on track then
        judged_first = self.as_of(c, moments, first, c.at)[1] in ("on-track", "kept")
        span = first
        while span.start <= self.today:
            if (last is not None and span.start > last) or (stop is not None and span.start > stop):
                break
            judged = judged_first or not span.first
            if span.end < self.today or (stop is not None and stop <= span.end):
                ends = self.days.start_of(min(span.end, stop or span.end) + timedelta(days=1))
                done = self.done(c, moments, span, ends)
                outcome: Outcome = "kept" if done >= target else "missed"
                dropped_in_it = stop is not None and stop <= span.end
                if outcome == "kept" or (judged and not dropped_in_it):
                    history.append(Period(span.start, span.end, outcome, done, target))
            else:
                running = span
            following = span.end + timedelta(days=1)
            span = _Span(following, period(following)[1], target)
        last_week = self.last_week(history)
        if update is not None and stop is not None:
            return CommitmentStatus(c, "dropped", f"dropped {self.when(stop)}", last_week,
                                    tuple(history), stop)  # fmt: skip
        if running is None:  # it ran its course
            ended = period(c.due)[1] if c.due else self.today
            kept = sum(p.outcome == "kept" for p in history)
            state: State = history[-1].outcome if history else "done"
            progress = f"ran until {self.when(ended)}: kept {kept} of {plural(len(history), unit)}"
            return CommitmentStatus(c, state, progress, last_week, tuple(history), ended)
        done, state, chances = self.as_of(c, moments, running, self.now)
        what = {"drill-days": "days", "debrief-calls": "debriefs",
                "manager-ratings": "role-plays rated"}[c.kind]  # fmt: skip
        progress = f"{done} of {target} {what} this {unit}"
        if state != "kept":
            left = {"drill-days": "day", "debrief-calls": "workday", "manager-ratings": "week"}
            progress += f", {plural(chances, left[c.kind])} left" if chances else ", none left"
        if running.first and not judged_first and state != "kept":
            state = "starting"
            progress += f"; counts from {self.when(running.end + timedelta(days=1))}"
        return CommitmentStatus(c, state, progress, last_week, tuple(history), None,
                                (done, target))  # fmt: skip

    def finish_pack(
        self, c: Commitment, update: CommitmentUpdate | None, library: Library
    ) -> CommitmentStatus:
        """Every drill of the pack rated at least once, by the date."""
        made = self.days.day_of(c.at)
        due = c.due or made
        stop = self.days.day_of(update.at) if update else None
        moments = self.evidence.moments(c)
        if moments is None:
            return self.unseen(c, update)
        total = len(library.packs[c.pack or ""].drills)
        span = _Span(made, due, total)
        history: list[Period] = []
        finished = moments[-1] if len(moments) >= total else None
        until = update.at if update else self.now
        settled: date | None = None
        if finished is not None and finished < until and self.days.day_of(finished) <= due:
            settled = max(made, self.days.day_of(finished))
            history.append(Period(made, settled, "kept", total, total))
        elif self.today > due and (stop is None or stop > due):
            settled = due
            done = self.done(c, moments, span, self.days.start_of(due + timedelta(days=1)))
            history.append(Period(made, due, "missed", done, total))
        last_week = self.last_week(history)
        if stop is not None:
            return CommitmentStatus(c, "dropped", f"dropped {self.when(stop)}", last_week,
                                    tuple(history), stop)  # fmt: skip
        if history:
            period = history[0]
            if period.outcome == "kept":
                progress = f"all {total} drills started by {self.when(period.end)}"
            else:
                progress = f"{period.done} of {total} drills started by {self.when(due)}"
            return CommitmentStatus(c, period.outcome, progress, last_week, tuple(history),
                                    settled)  # fmt: skip
        done, state, _ = self.as_of(c, moments, span, self.now)
        days_left = (due - self.today).days + 1
        progress = f"{done} of {total} drills started, {plural(days_left, 'day')} left"
        return CommitmentStatus(c, state, progress, None, (), None, (done, total))

    def own(self, c: Commitment, update: CommitmentUpdate | None) -> CommitmentStatus:
        """Ticked off by the rep, by its date if it has one."""
        made = self.days.day_of(c.at)
        history: list[Period] = []
        stop = self.days.day_of(update.at) if update else None
        if update is not None and stop is not None and update.action == "done":
            on_time = c.due is None or stop <= c.due
            outcome: Outcome = "kept" if on_time else "missed"
            history.append(Period(made, stop if on_time else c.due or stop, outcome,
                                  int(on_time), 1))  # fmt: skip
            return CommitmentStatus(c, "done", f"done {self.when(stop)}",
                                    self.last_week(history), tuple(history), stop)  # fmt: skip
        missed = c.due is not None and self.today > c.due and (stop is None or stop > c.due)
        if missed and c.due is not None:
            history.append(Period(made, c.due, "missed", 0, 1))
        last_week = self.last_week(history)
        if stop is not None:
            return CommitmentStatus(c, "dropped", f"dropped {self.when(stop)}", last_week,
                                    tuple(history), stop)  # fmt: skip
        if c.due is None:
            return CommitmentStatus(c, "on-track", "no date: tick it off when it's done", None)
        if missed:
            return CommitmentStatus(c, "missed", f"was due {self.when(c.due)}", last_week,
                                    tuple(history), c.due)  # fmt: skip
        left = (c.due - self.today).days
        when = {0: "today", 1: "tomorrow"}.get(left, self.when(c.due))
        state = self.state(c, 0, 1, left + 1)
        return CommitmentStatus(c, state, f"due {when}", None)

    def unseen(self, c: Commitment, update: CommitmentUpdate | None) -> CommitmentStatus:
        """A commitment whose evidence is not here: a pack not loaded, debriefs not shared."""
        if update is not None:
            stop = self.days.day_of(update.at)
            state: State = "done" if update.action == "done" else "dropped"
            return CommitmentStatus(c, state, f"{update.action} {self.when(stop)}", None, (),
                                    stop)  # fmt: skip
        if c.kind == "finish-pack":
            progress = f"pack {c.pack} is not loaded here, so it cannot be checked"
        else:
            progress = (
                f"its {UNSEEN_WORDS.get(c.kind, 'records')} are not shared, so it cannot be checked"
            )
        return CommitmentStatus(c, "unknown", progress, None)

    def when(self, day: date) -> str:
        """'Mon 09 Mar', with the year when it is not this one."""
        return written(day, "%a %d %b %Y" if day.year != self.today.year else "%a %d %b")

    def last_week(self, history: Sequence[Period]) -> Outcome | None:
        """How the period that ended last week (Monday to Sunday) went."""
        monday = _week(self.today)[0]
        ended = [p for p in history if monday - timedelta(days=7) <= p.end < monday]
        return ended[-1].outcome if ended else None
